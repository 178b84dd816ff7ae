/**
 * Answering an 8079 look-up, privately: data about a person or a dossier goes
 * only to the phone registered for that person (or the dossier's applicant);
 * every other case, an unknown number included, gets the same mismatch
 * wording, so the service cannot tell anyone which numbers exist. Each phone
 * has an hourly limit; the limit itself is answered once. A gateway retry of
 * the same messageId is answered once.
 */
import { subjectKey, type SubjectType } from '../commons/contacts.ts';
import type { Dossiers } from '../commons/dossiers.ts';
import type { MessagePlan } from '../commons/messages.ts';
import { recordAndQueue, type OutboundDeps, type OutboundOutcome } from '../commons/outbound.ts';
import { normalizeVnMobile } from '../commons/phone.ts';
import type { Period, ReadModels } from '../commons/read-models.ts';
import type { DetailOf } from '../commons/schemas.ts';
import { MAX_SEGMENTS, renderSms, TemplateTooLongError, type TemplateData, type TemplateId } from '../commons/templates.ts';
import { formatMonth } from '../commons/text/format.ts';
import { parseLookup, type LookupRequest } from './parser.ts';

export interface LookupDeps extends OutboundDeps {
  dossiers: Dossiers;
  readModels: ReadModels;
  /** Counts one look-up for this phone in the current hour and returns the count so far. */
  countLookup(phone: string, at: Date): Promise<number>;
  rateLimitPerHour: number;
  /** Publishes PasswordResetRequested for the portal. */
  requestPasswordReset(personId: string, phone: string): Promise<void>;
}

export type LookupOutcome =
  | { outcome: 'lookup-duplicate'; key: string }
  | { outcome: 'lookup-rate-limited'; key: string }
  | { outcome: 'password-reset-requested'; key: string }
  | (OutboundOutcome & { request?: LookupRequest['kind']; matched?: boolean });

const VIETNAM_OFFSET_MS = 7 * 3600_000;
const monthOf = (at: Date) => new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 7);
const todayOf = (at: Date) => new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return Math.max(0, (ty - fy) * 12 + (tm - fm) + 1);
}

/** Total months paid within the range, and the latest periods that fit in 3 parts, newest first. */
export function historyAnswer(
  personId: string,
  periods: Period[],
  range: { from?: string; to?: string },
  now: Date,
): TemplateData<'lookup-history'> {
  const current = monthOf(now);
  const clipped = periods
    .map((p) => {
      const to = p.to ?? current;
      const from = range.from && range.from > p.from ? range.from : p.from;
      const end = range.to && range.to < to ? range.to : to;
      return { ...p, from, end, open: p.to === null && (!range.to || range.to >= current) };
    })
    .filter((p) => p.from <= p.end)
    .sort((a, b) => (a.from < b.from ? 1 : -1));
  const months = clipped.reduce((n, p) => n + monthsBetween(p.from, p.end), 0);
  const rangeText = range.from && range.to ? `${formatMonth(range.from)}-${formatMonth(range.to)}` : undefined;
  const items = clipped.map((p) => `${shortName(p.unitName)} ${formatMonth(p.from)}-${p.open ? 'nay' : formatMonth(p.end)}`);
  let shown = 0;
  const data = (n: number) => ({ personId, months, ...(rangeText ? { range: rangeText } : {}), periods: items.slice(0, n).join('; '), more: items.length - n });
  while (shown < items.length && fits('lookup-history', data(shown + 1))) shown += 1;
  return data(shown);
}

/** Unit names can run to 200 characters; an answer shows at most 48, cut at a word. */
function shortName(name: string, max = 48): string {
  if (name.length <= max) return name;
  const cut = name.slice(0, max);
  return cut.slice(0, cut.lastIndexOf(' ') > 20 ? cut.lastIndexOf(' ') : max).trim();
}

function fits<K extends TemplateId>(id: K, d: TemplateData<K>): boolean {
  try {
    return renderSms(id, d).segments <= MAX_SEGMENTS;
  } catch (error) {
    if (error instanceof TemplateTooLongError) return false;
    throw error;
  }
}

export async function answerLookup(d: DetailOf<'InboundSmsReceived'>, eventId: string, deps: LookupDeps): Promise<LookupOutcome> {
  const key = `lookup-answer#${d.messageId}`;
  if (await deps.ledger.get(key)) return { outcome: 'lookup-duplicate', key };
  const answer = (kind: TemplateId, data: unknown): MessagePlan =>
    ({ kind, key, subject: 'inbound#8079', phone: d.from, data, reply: true }) as MessagePlan;

  const from = normalizeVnMobile(d.from);
  if (!from.ok) return recordAndQueue(answer('lookup-help', {}), eventId, deps); // recorded as skipped invalid-phone
  const count = await deps.countLookup(from.e164, deps.now());
  if (count > deps.rateLimitPerHour) {
    if (count === deps.rateLimitPerHour + 1) return recordAndQueue(answer('lookup-rate-limited', { limit: deps.rateLimitPerHour }), eventId, deps);
    await deps.ledger.record({ key, kind: 'lookup-rate-limited', subject: 'inbound#8079', status: 'skipped', reason: 'rate-limited', eventId }, deps.now());
    return { outcome: 'lookup-rate-limited', key };
  }

  const request = parseLookup(d.body);
  const ownsPerson = async (personId: string) => (await deps.contacts.get(subjectKey('person', personId)))?.phone === from.e164;
  const mismatch = () => recordAndQueue(answer('lookup-mismatch', {}), eventId, deps).then((r) => ({ ...r, request: request.kind, matched: false }));
  const matched = (kind: TemplateId, data: unknown) =>
    recordAndQueue(answer(kind, data), eventId, deps).then((r) => ({ ...r, request: request.kind, matched: true }));

  switch (request.kind) {
    case 'help':
      return recordAndQueue(answer('lookup-help', {}), eventId, deps).then((r) => ({ ...r, request: 'help' as const }));
    case 'history': {
      if (!(await ownsPerson(request.personId))) return mismatch();
      const history = await deps.readModels.history(request.personId);
      return matched('lookup-history', historyAnswer(request.personId, history?.periods ?? [], request, deps.now()));
    }
    case 'card': {
      const card = await deps.readModels.card(request.cardNo);
      if (!card || !(await ownsPerson(card.personId))) return mismatch();
      const valid = card.validTo >= todayOf(deps.now());
      return matched(valid ? 'lookup-card-valid' : 'lookup-card-expired', { cardNo: card.cardNo, validTo: card.validTo });
    }
    case 'dossier': {
      const dossier = await deps.dossiers.get(request.dossierNo);
      if (!dossier || !['received', 'overdue', 'rejected', 'resolved'].includes(dossier.status)) return mismatch();
      const ownPhone = dossier.phone ? normalizeVnMobile(dossier.phone) : undefined;
      const applicant = dossier.subjectType ? await deps.contacts.get(subjectKey(dossier.subjectType as SubjectType, dossier.subjectId ?? '')) : undefined;
      if (!((ownPhone?.ok && ownPhone.e164 === from.e164) || applicant?.phone === from.e164)) return mismatch();
      return matched('lookup-dossier', { dossierNo: dossier.dossierNo, status: dossier.status, ...(dossier.expectedResultDate ? { expectedResultDate: dossier.expectedResultDate } : {}) });
    }
    case 'password-reset': {
      if (!(await ownsPerson(request.personId))) return mismatch();
      // Recorded first: a gateway retry must not make the portal issue a second password.
      const recorded = await deps.ledger.record({ key, kind: 'lookup-password-reset', subject: subjectKey('person', request.personId), status: 'skipped', reason: 'answered by the temporary-password SMS', eventId }, deps.now());
      if (!recorded.created) return { outcome: 'lookup-duplicate', key };
      await deps.requestPasswordReset(request.personId, from.e164);
      return { outcome: 'password-reset-requested', key };
    }
  }
}
