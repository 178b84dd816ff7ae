/**
 * Answering an 8079 look-up, privately: data about a person or a dossier goes
 * only to the phone registered for that person (or the dossier's applicant);
 * every other case, an unknown number included, gets the same mismatch
 * wording, so the service cannot tell anyone which numbers exist. Each phone
 * has an hourly limit; the limit itself is answered once. A gateway retry of
 * the same messageId is answered once; a redelivery after a failed attempt
 * finishes what that attempt left undone (`afterEarlierAttempt`).
 */
import { NotifyDetailType } from '../../domain/catalogue.ts';
import type { LedgerItem } from '../../domain/ledger.ts';
import { subjectKey, type SubjectType } from '../../domain/contacts.ts';
import { historyAnswer } from '../../domain/lookup-answers.ts';
import { parseLookup, type LookupRequest } from '../../domain/lookup-request.ts';
import type { MessagePlan } from '../../domain/messages.ts';
import { normalizeVnMobile } from '../../domain/phone.ts';
import type { DetailOf } from '../../domain/schemas.ts';
import type { TemplateId } from '../../domain/templates.ts';
import { vietnamDate } from '../../domain/vietnam-time.ts';
import { recordAndQueue, type MessagingPorts, type OutboundOutcome } from '../messaging/record-and-queue.ts';
import type { DossierStore, EventPublisher, LookupCounter, ReadModelStore } from '../ports.ts';

export interface LookupPorts extends MessagingPorts {
  dossiers: DossierStore;
  readModels: ReadModelStore;
  lookupCounter: LookupCounter;
  /** Publishes PasswordResetRequested for the portal. */
  events: EventPublisher;
  rateLimitPerHour: number;
}

export type LookupOutcome =
  | { outcome: 'lookup-duplicate'; key: string }
  | { outcome: 'requeued'; key: string; kind: string }
  | { outcome: 'lookup-rate-limited'; key: string }
  | { outcome: 'password-reset-requested'; key: string }
  | (OutboundOutcome & { request?: LookupRequest['kind']; matched?: boolean });

export async function answerLookup(d: DetailOf<'InboundSmsReceived'>, eventId: string, deps: LookupPorts): Promise<LookupOutcome> {
  const key = `lookup-answer#${d.messageId}`;
  const earlier = await deps.ledger.get(key);
  if (earlier) return afterEarlierAttempt(earlier, d, eventId, deps);
  const answer = (kind: TemplateId, data: unknown): MessagePlan => ({ kind, key, subject: 'inbound#8079', phone: d.from, data, reply: true }) as MessagePlan;

  const from = normalizeVnMobile(d.from);
  if (!from.ok) return recordAndQueue(answer('lookup-help', {}), eventId, deps); // recorded as skipped invalid-phone
  const count = await deps.lookupCounter.count(from.e164, deps.now());
  if (count > deps.rateLimitPerHour) {
    if (count === deps.rateLimitPerHour + 1) return recordAndQueue(answer('lookup-rate-limited', { limit: deps.rateLimitPerHour }), eventId, deps);
    await deps.ledger.record({ key, kind: 'lookup-rate-limited', subject: 'inbound#8079', status: 'skipped', reason: 'rate-limited', eventId }, deps.now());
    return { outcome: 'lookup-rate-limited', key };
  }

  const request = parseLookup(d.body);
  const ownsPerson = async (personId: string) => (await deps.contacts.get(subjectKey('person', personId)))?.phone === from.e164;
  const mismatch = () => recordAndQueue(answer('lookup-mismatch', {}), eventId, deps).then((r) => ({ ...r, request: request.kind, matched: false }));
  const matched = (kind: TemplateId, data: unknown) => recordAndQueue(answer(kind, data), eventId, deps).then((r) => ({ ...r, request: request.kind, matched: true }));

  switch (request.kind) {
    case 'help':
      return recordAndQueue(answer('lookup-help', {}), eventId, deps).then((r) => ({ ...r, request: 'help' as const }));
    case 'history': {
      if (!(await ownsPerson(request.personId))) return mismatch();
      const history = await deps.readModels.history(request.personId);
      const branded = deps.brandedKinds?.includes('lookup-history') === true;
      return matched('lookup-history', historyAnswer(request.personId, history?.periods ?? [], request, deps.now(), { branded }));
    }
    case 'card': {
      const card = await deps.readModels.card(request.cardNo);
      if (!card || !(await ownsPerson(card.personId))) return mismatch();
      const valid = card.validTo >= vietnamDate(deps.now());
      return matched(valid ? 'lookup-card-valid' : 'lookup-card-expired', { cardNo: card.cardNo, validTo: card.validTo });
    }
    case 'dossier': {
      const dossier = await deps.dossiers.get(request.dossierNo);
      if (!dossier || !['received', 'overdue', 'rejected', 'resolved'].includes(dossier.status)) return mismatch();
      const ownPhone = dossier.phone ? normalizeVnMobile(dossier.phone) : undefined;
      const applicant = dossier.subjectType ? await deps.contacts.get(subjectKey(dossier.subjectType as SubjectType, dossier.subjectId ?? '')) : undefined;
      if (!((ownPhone?.ok && ownPhone.e164 === from.e164) || applicant?.phone === from.e164)) return mismatch();
      return matched('lookup-dossier', {
        dossierNo: dossier.dossierNo,
        status: dossier.status,
        ...(dossier.expectedResultDate ? { expectedResultDate: dossier.expectedResultDate } : {}),
      });
    }
    case 'password-reset': {
      if (!(await ownsPerson(request.personId))) return mismatch();
      // Recorded first: a gateway retry must not make the portal issue a second password.
      const recorded = await deps.ledger.record(
        { key, kind: 'lookup-password-reset', subject: subjectKey('person', request.personId), status: 'skipped', reason: 'answered by the temporary-password SMS', eventId },
        deps.now(),
      );
      if (!recorded.created) return afterEarlierAttempt(recorded.existing, d, eventId, deps);
      return requestPasswordReset(key, request.personId, from.e164, deps);
    }
  }
}

async function requestPasswordReset(key: string, personId: string, phone: string, deps: LookupPorts): Promise<LookupOutcome> {
  await deps.events.publish(NotifyDetailType.PasswordResetRequested, { personId, phone });
  return { outcome: 'password-reset-requested', key };
}

/**
 * The request was seen before. An answer still `queued` may never have reached the send queue (the attempt that
 * recorded it failed on SendMessage): it is queued again (the sender's claim makes a second copy harmless; an answer
 * goes at any hour, so no quiet-hours deferral). A BH MK whose own event is redelivered may have failed on
 * PutEvents: PasswordResetRequested is published again (a gateway retry, another event, is not: it would make the
 * portal issue a second password). Anything else was answered: nothing more is sent.
 */
async function afterEarlierAttempt(earlier: LedgerItem, d: DetailOf<'InboundSmsReceived'>, eventId: string, deps: LookupPorts): Promise<LookupOutcome> {
  const { key } = earlier;
  if (earlier.status === 'queued') {
    await deps.sendQueue.enqueue({ key, kind: earlier.kind, segments: earlier.segments ?? 1 });
    return { outcome: 'requeued', key, kind: earlier.kind };
  }
  if (earlier.kind === 'lookup-password-reset' && earlier.eventId === eventId) {
    const request = parseLookup(d.body);
    const from = normalizeVnMobile(d.from);
    // Recorded only after the phone was found to be the person's: both parse again as they did then.
    if (request.kind === 'password-reset' && from.ok) return requestPasswordReset(key, request.personId, from.e164, deps);
  }
  return { outcome: 'lookup-duplicate', key };
}
