/**
 * What the intake does with one event from the bus: validate it against the
 * catalogue, quarantine it with readable reasons if it is bad, update the
 * contact projection, or record the message it causes in the ledger and queue
 * it for sending. Idempotent: the same fact seen again sends nothing new.
 */
import type { CatalogueEvent, QuarantineReason } from '../commons/schemas.ts';
import { parseCatalogueEvent } from '../commons/schemas.ts';
import type { Contacts } from '../commons/contacts.ts';
import { subjectKey } from '../commons/contacts.ts';
import type { Ledger, LedgerItem } from '../commons/ledger.ts';
import { normalizeVnMobile } from '../commons/phone.ts';
import { NotGsm7Error } from '../commons/text/gsm7.ts';
import { TemplateTooLongError } from '../commons/templates.ts';
import { planContributionStopped, planUnitPayment, renderPlan, resolveRecipient, type MessagePlan } from '../commons/messages.ts';

export interface IntakeDeps {
  ledger: Ledger;
  contacts: Contacts;
  /** Hands a recorded message to the sender (the send queue). */
  enqueue(message: { key: string; kind: string; segments: number }): Promise<void>;
  /** Keeps a bad event, untouched, with the reasons, for an operator. */
  quarantine(body: string, reason: QuarantineReason | 'render-failed' | 'not-yet-supported', errors: string[]): Promise<void>;
  now(): Date;
}

export type IntakeOutcome =
  | { outcome: 'quarantined'; reason: string; errors: string[] }
  | { outcome: 'contact-updated' | 'contact-stale'; subject: string }
  | { outcome: 'queued'; key: string; kind: string; segments: number }
  | { outcome: 'requeued'; key: string; kind: string }
  | { outcome: 'duplicate'; key: string; kind: string; status: string }
  | { outcome: 'skipped'; key: string; kind: string; reason: string };

export async function handleEventBody(body: string, deps: IntakeDeps): Promise<IntakeOutcome> {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    await deps.quarantine(body, 'not-json', ['body: is not valid JSON']);
    return { outcome: 'quarantined', reason: 'not-json', errors: ['body: is not valid JSON'] };
  }
  const parsed = parseCatalogueEvent(raw);
  if (!parsed.ok) {
    await deps.quarantine(body, parsed.reason, parsed.errors);
    return { outcome: 'quarantined', reason: parsed.reason, errors: parsed.errors };
  }
  const event = parsed.event;
  switch (event.detailType) {
    case 'ContactUpdated':
      return updateContact(event, deps);
    case 'UnitPaymentReceived':
      return recordAndQueue(event, planUnitPayment(event.detail), body, deps);
    case 'EmployeeContributionStopped':
      return recordAndQueue(event, planContributionStopped(event.detail), body, deps);
    default: {
      // Valid, but its workflow is not deployed yet: keep it for a redrive once it is.
      const errors = [`detail-type: ${event.detailType} is valid but its workflow is not deployed in this release`];
      await deps.quarantine(body, 'not-yet-supported', errors);
      return { outcome: 'quarantined', reason: 'not-yet-supported', errors };
    }
  }
}

async function updateContact(event: Extract<CatalogueEvent, { detailType: 'ContactUpdated' }>, deps: IntakeDeps): Promise<IntakeOutcome> {
  const d = event.detail;
  const subject = subjectKey(d.subjectType, d.subjectId);
  const phone = d.phone === null ? null : normalizeVnMobile(d.phone);
  const stored = await deps.contacts.upsert({
    subject,
    name: d.name,
    phone: phone?.ok ? phone.e164 : null,
    ...(phone && !phone.ok ? { phoneRejected: phone.reason } : {}),
    gender: d.gender ?? null,
    agency: d.agency ?? null,
    asOf: new Date(event.time).toISOString(),
    eventId: event.id,
  });
  return { outcome: stored ? 'contact-updated' : 'contact-stale', subject };
}

async function recordAndQueue(event: CatalogueEvent, plan: MessagePlan, body: string, deps: IntakeDeps): Promise<IntakeOutcome> {
  const contact = await deps.contacts.get(plan.subject);
  let rendered;
  try {
    rendered = renderPlan(plan, contact);
  } catch (error) {
    if (error instanceof NotGsm7Error || error instanceof TemplateTooLongError) {
      const errors = [`message: ${error.message}`];
      await deps.quarantine(body, 'render-failed', errors);
      return { outcome: 'quarantined', reason: 'render-failed', errors };
    }
    throw error;
  }
  const recipient = resolveRecipient(plan.phone, contact);
  const common = { key: plan.key, kind: plan.kind, subject: plan.subject, eventId: event.id, text: rendered.text, segments: rendered.segments };
  const result = await deps.ledger.record(
    recipient.ok
      ? { ...common, status: 'queued', recipient: recipient.e164, recipientMasked: recipient.masked }
      : { ...common, status: 'skipped', reason: recipient.reason },
    deps.now(),
  );
  if (!result.created) return afterDuplicate(result.existing, plan, deps);
  if (!recipient.ok) return { outcome: 'skipped', key: plan.key, kind: plan.kind, reason: recipient.reason };
  await deps.enqueue({ key: plan.key, kind: plan.kind, segments: rendered.segments });
  return { outcome: 'queued', key: plan.key, kind: plan.kind, segments: rendered.segments };
}

/**
 * A fact already in the ledger. If it is still waiting to be sent, queue it
 * again: the first attempt may have crashed between the ledger write and the
 * queue, and the sender's claim makes a second queue entry harmless.
 */
async function afterDuplicate(existing: LedgerItem, plan: MessagePlan, deps: IntakeDeps): Promise<IntakeOutcome> {
  if (existing.status === 'queued') {
    await deps.enqueue({ key: existing.key, kind: existing.kind, segments: existing.segments ?? 1 });
    return { outcome: 'requeued', key: existing.key, kind: plan.kind };
  }
  return { outcome: 'duplicate', key: existing.key, kind: plan.kind, status: existing.status };
}
