/**
 * Turning a planned message into a ledger entry and a queued SMS: shared by
 * the intake and the workflows. Idempotent by the plan's business key: a
 * second call for the same fact records a duplicate and sends nothing new.
 */
import type { Contacts } from './contacts.ts';
import type { Ledger, LedgerItem } from './ledger.ts';
import { renderPlan, resolveRecipient, type MessagePlan } from './messages.ts';

export interface OutboundDeps {
  ledger: Ledger;
  contacts: Contacts;
  /** Hands a recorded message to the sender (the send queue). */
  enqueue(message: { key: string; kind: string; segments: number }): Promise<void>;
  now(): Date;
}

export type OutboundOutcome =
  | { outcome: 'queued'; key: string; kind: string; segments: number }
  | { outcome: 'requeued'; key: string; kind: string }
  | { outcome: 'duplicate'; key: string; kind: string; status: string }
  | { outcome: 'skipped'; key: string; kind: string; reason: string };

/** Renders (throwing NotGsm7Error or TemplateTooLongError for bad data), records and queues one message. */
export async function recordAndQueue(plan: MessagePlan, eventId: string, deps: OutboundDeps): Promise<OutboundOutcome> {
  const contact = await deps.contacts.get(plan.subject);
  const rendered = renderPlan(plan, contact);
  const recipient = resolveRecipient(plan.phone, contact);
  const common = { key: plan.key, kind: plan.kind, subject: plan.subject, eventId, text: rendered.text, segments: rendered.segments };
  const result = await deps.ledger.record(
    recipient.ok
      ? { ...common, status: 'queued', recipient: recipient.e164, recipientMasked: recipient.masked }
      : { ...common, status: 'skipped', reason: recipient.reason },
    deps.now(),
  );
  if (!result.created) return afterDuplicate(result.existing, deps);
  if (!recipient.ok) return { outcome: 'skipped', key: plan.key, kind: plan.kind, reason: recipient.reason };
  await deps.enqueue({ key: plan.key, kind: plan.kind, segments: rendered.segments });
  return { outcome: 'queued', key: plan.key, kind: plan.kind, segments: rendered.segments };
}

/**
 * A fact already in the ledger. If it is still waiting to be sent, queue it
 * again: the first attempt may have crashed between the ledger write and the
 * queue, and the sender's claim makes a second queue entry harmless.
 */
async function afterDuplicate(existing: LedgerItem, deps: OutboundDeps): Promise<OutboundOutcome> {
  if (existing.status === 'queued') {
    await deps.enqueue({ key: existing.key, kind: existing.kind, segments: existing.segments ?? 1 });
    return { outcome: 'requeued', key: existing.key, kind: existing.kind };
  }
  return { outcome: 'duplicate', key: existing.key, kind: existing.kind, status: existing.status };
}
