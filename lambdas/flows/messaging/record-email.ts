/**
 * A message's e-mail (SPEC rule 12): where its kind has an e-mail form and an
 * address is known (the event's, else the contact's), the e-mail is recorded
 * in the same ledger under its own key (the SMS key and `#email`) and queued
 * for the sender like an SMS. No address: no e-mail, and nothing recorded (an
 * e-mail is sent only "if any"); an address that bounced hard or complained:
 * recorded as skipped, so that operators and producers see why.
 */
import type { Contact } from '../../domain/contacts.ts';
import { EMAIL_SUPPRESSED, emailKeyOf, hasEmailForm, maskEmail, renderEmail } from '../../domain/emails.ts';
import type { MessagePlan } from '../../domain/messages.ts';
import type { TemplateData, TemplateId } from '../../domain/templates.ts';
import type { Clock, EmailSuppressions, LedgerStore, QueuedMessage } from '../ports.ts';

export interface EmailPorts extends Clock {
  ledger: LedgerStore;
  /** Absent where a function sends no e-mail kind. */
  emailSuppressions?: EmailSuppressions;
}

export type EmailOutcome =
  | { outcome: 'queued'; key: string; message: QueuedMessage }
  | { outcome: 'requeued'; key: string; message: QueuedMessage }
  | { outcome: 'duplicate'; key: string; status: string }
  | { outcome: 'skipped'; key: string; reason: string };

/** Records the e-mail of a plan, or undefined when the kind has no e-mail form or the recipient no address. */
export async function recordEmail(plan: MessagePlan, contact: Contact | undefined, eventId: string, deps: EmailPorts): Promise<EmailOutcome | undefined> {
  const address = plan.email ?? contact?.email ?? undefined;
  if (!address || !hasEmailForm(plan.kind)) return undefined;
  const kind: TemplateId = plan.kind;
  const data = (typeof plan.data === 'function' ? plan.data(contact) : plan.data) as TemplateData<typeof kind>;
  const { subject, text } = renderEmail(kind, data);
  const key = emailKeyOf(plan.key);
  const suppressed = (await deps.emailSuppressions?.isSuppressed(address)) ?? false;
  const common = {
    key,
    kind: plan.kind,
    channel: 'email' as const,
    subject: plan.subject,
    eventId,
    text,
    recipient: address,
    recipientMasked: maskEmail(address),
  };
  const result = await deps.ledger.record(
    suppressed
      ? { ...common, status: 'skipped', reason: EMAIL_SUPPRESSED }
      : { ...common, status: 'queued', emailSubject: subject, ...(plan.attachments?.length ? { attachments: plan.attachments } : {}) },
    deps.now(),
  );
  const message: QueuedMessage = { key, kind: plan.kind, segments: 1, channel: 'email' };
  if (!result.created) {
    return result.existing.status === 'queued' ? { outcome: 'requeued', key, message } : { outcome: 'duplicate', key, status: result.existing.status };
  }
  if (suppressed) return { outcome: 'skipped', key, reason: EMAIL_SUPPRESSED };
  return { outcome: 'queued', key, message };
}
