/**
 * SES's events about an e-mail, as they come back through the configuration
 * set's EventBridge destination: the rule's input transformer keeps only the
 * message id, the event type and the bounce type (no address, no subject ever
 * reaches the queue, its dead-letter queue or a log). Each becomes a receipt
 * like an SMS's: `delivered`, `temporary-failure` (a soft bounce) or
 * `permanent-failure` (a hard bounce, a complaint, a rejection); a hard bounce
 * or a complaint also suppresses the address (SPEC rule 12).
 */
import type { Receipt } from './receipts.ts';

/** The queue message the rule's input transformer writes (lib/email.ts `EMAIL_EVENT_TEMPLATE`). */
export interface EmailEventBody {
  messageId?: unknown;
  eventType?: unknown;
  bounceType?: unknown;
  bounceSubType?: unknown;
  complaintFeedbackType?: unknown;
  time?: unknown;
}

/** The SES event types the rule forwards (EventBridge detail-types "Email Delivered", …; `eventType` in the detail). */
export const SES_EVENT_TYPES = ['Delivery', 'Bounce', 'Complaint', 'Reject', 'Rendering Failure'] as const;

export interface EmailReceipt {
  receipt: Receipt;
  /** A hard bounce or a complaint: nothing more goes to this address. */
  suppress: boolean;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** One queue message, or undefined if it is not an SES event about a message (counted by the caller, not fatal). */
export function parseEmailEvent(body: string): EmailReceipt | undefined {
  let event: EmailEventBody;
  try {
    event = JSON.parse(body) as EmailEventBody;
  } catch {
    return undefined;
  }
  const providerMessageId = text(event?.messageId);
  if (!providerMessageId) return undefined;
  const at = Number.isFinite(Date.parse(text(event.time))) ? new Date(text(event.time)).toISOString() : new Date().toISOString();
  const base = { providerMessageId, at };
  switch (text(event.eventType)) {
    case 'Delivery':
      return { receipt: { ...base, status: 'delivered', providerResponse: 'delivered to the recipient mail server (SES)' }, suppress: false };
    case 'Bounce': {
      const hard = text(event.bounceType) === 'Permanent';
      const response = `bounce ${text(event.bounceType) || 'Undetermined'}${event.bounceSubType ? `/${text(event.bounceSubType)}` : ''} (SES)`;
      return { receipt: { ...base, status: hard ? 'permanent-failure' : 'temporary-failure', providerResponse: response }, suppress: hard };
    }
    case 'Complaint':
      return {
        receipt: {
          ...base,
          status: 'permanent-failure',
          providerResponse: `complaint${event.complaintFeedbackType ? ` ${text(event.complaintFeedbackType)}` : ''} (SES)`,
          afterDelivery: true,
        },
        suppress: true,
      };
    case 'Reject':
    case 'Rendering Failure':
      return { receipt: { ...base, status: 'permanent-failure', providerResponse: `${text(event.eventType).toLowerCase()} (SES)` }, suppress: false };
    default:
      return undefined;
  }
}
