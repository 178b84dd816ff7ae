/**
 * Turning a planned message into a ledger entry and a queued SMS: shared by
 * the intake and the workflows. Idempotent by the plan's business key: a
 * second call for the same fact records a duplicate and sends nothing new.
 */
import type { Contact } from '../../domain/contacts.ts';
import type { LedgerItem } from '../../domain/ledger.ts';
import { renderPlan, resolveRecipient, type MessagePlan } from '../../domain/messages.ts';
import { quietUntil, type QuietHours } from '../../domain/vietnam-time.ts';
import type { Clock, ContactStore, EmailSuppressions, LedgerStore, QueuedMessage, SendQueue } from '../ports.ts';
import { recordEmail, type EmailOutcome } from './record-email.ts';

export type { QueuedMessage } from '../ports.ts';

export interface MessagingPorts extends Clock {
  ledger: LedgerStore;
  contacts: ContactStore;
  sendQueue: SendQueue;
  /** SPEC rule 6: outside this window (Vietnam time) non-urgent messages wait for the next window. */
  quietHours?: QuietHours & { defer(message: QueuedMessage, until: Date): Promise<void> };
  /** Addresses not to e-mail (hard bounces, complaints); absent where a function sends no e-mail kind. */
  emailSuppressions?: EmailSuppressions;
  /** bhxh:brandInText: the kinds whose SMS starts with BRAND_PREFIX. */
  brandedKinds?: readonly string[];
}

/** What became of the SMS, and (`email`) of the e-mail when the kind has one and an address is known. */
export type OutboundOutcome = (
  | { outcome: 'queued'; key: string; kind: string; segments: number }
  | { outcome: 'requeued'; key: string; kind: string }
  | { outcome: 'deferred'; key: string; kind: string; until: string }
  | { outcome: 'duplicate'; key: string; kind: string; status: string }
  | { outcome: 'skipped'; key: string; kind: string; reason: string }
) & { email?: EmailOutcome['outcome'] };

/**
 * Renders (throwing NotGsm7Error or TemplateTooLongError for bad data), records and queues one message: its SMS,
 * and its e-mail where there is one (SPEC rule 12). The SMS is rendered first: data it cannot carry stops both.
 */
export async function recordAndQueue(plan: MessagePlan, eventId: string, deps: MessagingPorts): Promise<OutboundOutcome> {
  const contact = await deps.contacts.get(plan.subject);
  const sms = await recordSms(plan, contact, eventId, deps);
  const email = await recordEmail(plan, contact, eventId, deps);
  if (!email) return sms;
  // An e-mail waits for the morning like its SMS: the same rules (quiet hours) for both channels.
  if (email.outcome === 'queued' || email.outcome === 'requeued') await dispatch(plan, email.message, deps);
  return { ...sms, email: email.outcome };
}

async function recordSms(plan: MessagePlan, contact: Contact | undefined, eventId: string, deps: MessagingPorts): Promise<OutboundOutcome> {
  const rendered = renderPlan(plan, contact, { branded: deps.brandedKinds?.includes(plan.kind) === true });
  const recipient = resolveRecipient(plan.phone, contact);
  const common = {
    key: plan.key,
    kind: plan.kind,
    channel: 'sms' as const,
    subject: plan.subject,
    eventId,
    text: rendered.text,
    segments: rendered.segments,
    ...(plan.secret !== undefined ? { hasSecret: true } : {}),
    ...(plan.sendBy ? { sendBy: plan.sendBy } : {}),
  };
  const result = await deps.ledger.record(
    recipient.ok ? { ...common, status: 'queued', recipient: recipient.e164, recipientMasked: recipient.masked } : { ...common, status: 'skipped', reason: recipient.reason },
    deps.now(),
  );
  if (!result.created) return afterDuplicate(result.existing, plan, deps);
  if (!recipient.ok) return { outcome: 'skipped', key: plan.key, kind: plan.kind, reason: recipient.reason };
  return dispatch(plan, queued(plan, rendered.segments), deps);
}

/** Queues the message now, or, in quiet hours, leaves it for the release at the start of the next window. */
async function dispatch(plan: MessagePlan, message: QueuedMessage, deps: MessagingPorts): Promise<OutboundOutcome> {
  const anyHour = plan.urgent || plan.secret !== undefined || plan.reply;
  const quietHours = anyHour ? undefined : deps.quietHours;
  const release = quietHours ? quietUntil(deps.now(), quietHours) : undefined;
  if (quietHours && release) {
    await quietHours.defer(message, release);
    return { outcome: 'deferred', key: plan.key, kind: plan.kind, until: release.toISOString() };
  }
  await deps.sendQueue.enqueue(message);
  return { outcome: 'queued', key: plan.key, kind: plan.kind, segments: message.segments };
}

/**
 * A fact already in the ledger. If it is still waiting to be sent, queue it
 * again: the first attempt may have crashed between the ledger write and the
 * queue, and the sender's claim makes a second queue entry harmless.
 */
function queued(plan: MessagePlan, segments: number): QueuedMessage {
  return {
    key: plan.key,
    kind: plan.kind,
    segments,
    ...(plan.urgent ? { urgent: true } : {}),
    ...(plan.secret !== undefined ? { secret: plan.secret } : {}),
  };
}

async function afterDuplicate(existing: LedgerItem, plan: MessagePlan, deps: MessagingPorts): Promise<OutboundOutcome> {
  if (existing.status === 'queued') {
    const outcome = await dispatch(plan, queued(plan, existing.segments ?? 1), deps);
    return outcome.outcome === 'queued' ? { outcome: 'requeued', key: existing.key, kind: existing.kind } : outcome;
  }
  return { outcome: 'duplicate', key: existing.key, kind: existing.kind, status: existing.status };
}
