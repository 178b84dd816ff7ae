/**
 * The message ledger (SPEC rule 5): one item per message, keyed by the
 * business idempotency key (SPEC rule 4). Creating the item is the
 * idempotency check: a fact seen before finds its item, whatever event id or
 * publisher carried it.
 *
 * Life of an item: queued → sending (claimed by one sender for a short lease)
 * → sent → delivered, or an end in permanent-failure, temporary-failure,
 * technical-failure, skipped (no-phone, invalid-phone) or expired; paused
 * while its kind is paused, and queued again on resume.
 *
 * Two retention periods: the message text and the phone number are kept for
 * a short time (30 days by default), the status metadata for long (400).
 */
import { vietnamDate } from './vietnam-time.ts';

/**
 * permanent-failure: bad or blocked number, opted out; temporary-failure: the
 * carrier could not deliver; technical-failure: our side, not billed;
 * unknown: handed to the provider with no answer (the response was lost), so
 * perhaps sent: never resent automatically, an operator releases or confirms it.
 */
export type MessageStatus =
  | 'queued'
  | 'paused'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'permanent-failure'
  | 'temporary-failure'
  | 'technical-failure'
  | 'skipped'
  | 'expired'
  | 'unknown';

/** A sent message with no receipt after this long is a temporary failure. */
export const RECEIPT_WAIT_HOURS = 72;
/** Most messages one run of the 72-hour check marks; the next run goes on (its function's timeout is sized for this many). */
export const RECEIPT_CHECK_KEYS_PER_RUN = 50_000;

/** The part of a message kept only for the short retention period. */
export interface MessageContent {
  text: string;
  /** E.164 (an e-mail: the address); absent when skipped for want of a usable number. */
  recipient?: string;
  /** An e-mail's subject line (`subject` is the recipient's contact key). */
  emailSubject?: string;
  /** An e-mail's attachments: file names and where the sender reads them (the reports bucket). */
  attachments?: { name: string; key: string }[];
}

/** `678#2026-11-23`: the last three digits (as in the masked number) and the Vietnam day the message was recorded. */
export function recipientTail(e164OrSuffix: string, vietnamDay: string): string {
  return `${e164OrSuffix.slice(-3)}#${vietnamDay}`;
}

/** One line of a message's history: `<ISO time> <what>`, kept short. */
export const historyLine = (at: Date | string, what: string) => `${typeof at === 'string' ? at : at.toISOString()} ${what}`.slice(0, 200);

/** The Vietnam-day key under which a message sent at `sentAt` is due its receipt. */
export function receiptDueDayOf(sentAt: Date): string {
  return vietnamDate(new Date(sentAt.getTime() + RECEIPT_WAIT_HOURS * 3600_000));
}

/** How a message reaches its recipient (SPEC rule 12); the channel is part of the business key. */
export type Channel = 'sms' | 'email';

export interface LedgerItem {
  key: string;
  kind: string;
  /** Absent on items recorded before e-mail existed: those are SMS. */
  channel?: Channel;
  subject: string;
  status: MessageStatus;
  reason?: string;
  recipientMasked?: string;
  recipientTail?: string;
  segments?: number;
  providerMessageId?: string;
  /** From the carrier's delivery receipt. */
  providerResponse?: string;
  priceInUSD?: number;
  deliveredAt?: string;
  /** The text holds SECRET_MASK; the secret itself travels only on the send queue. */
  hasSecret?: boolean;
  /** ISO time after which the message is no use (an OTP): recorded as expired instead of sent. */
  sendBy?: string;
  /** The event that first carried this fact, and how many later copies were absorbed. */
  eventId: string;
  /** One short line per change of status, oldest first: `<ISO time> <status>[: reason]`. */
  history?: string[];
  /** Set while paused: the index byPausedKind finds the message on resume. */
  pausedKind?: string;
  /** Set while sent without a receipt: the Vietnam day on which the 72-hour wait ends. */
  receiptDueDay?: string;
  /** Set while the outcome is unknown: the Vietnam day it became so (a sparse index lists them for operators). */
  unknownDay?: string;
  /** Deliberate resends by an operator: the keys they were sent under, with reasons. */
  resends?: string[];
  /** A deliberate resend: the message it repeats, and the operator's reason. */
  resendOf?: string;
  resendReason?: string;
  duplicates?: number;
  attempts?: number;
  claimToken?: string;
  claimExpiresAt?: number;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
  /** TTL (epoch seconds): DynamoDB deletes the item after the retention period. */
  expiresAt: number;
}

export type NewLedgerItem = Omit<LedgerItem, 'createdAt' | 'updatedAt' | 'expiresAt' | 'duplicates' | 'attempts' | 'history' | 'recipientTail'> & Partial<MessageContent>;

export type RecordOutcome = { created: true; item: LedgerItem } | { created: false; existing: LedgerItem };

/** How a claimed message ends: handed over (with the provider's id), or refused/expired with the reason. */
/** `skipped` by the sender: the message belongs to a province campaign cancelled (or stopped) after it was queued. */
export type Settlement = { status: 'sent'; providerMessageId: string } | { status: 'permanent-failure' | 'technical-failure' | 'expired' | 'unknown' | 'skipped'; reason: string };

/** What a delivery receipt says about a message. */
export interface ReceiptUpdate {
  status: 'delivered' | 'permanent-failure' | 'temporary-failure';
  providerResponse: string;
  /** An e-mail complaint: it comes after the delivery, and turns a delivered message into a permanent failure. */
  afterDelivery?: boolean;
  priceInUSD?: number;
  at: string;
}
