/**
 * NotificationStatusChanged (SPEC "The system publishes"): for every message
 * that reaches a final status, what became of it, for the producer that asked
 * for it. Built from the ledger item's stream images by picking the allowed
 * fields one by one (never by copying the item): the ledger item's content
 * (the number, the address, the text, the subject line) and its other fields
 * (subject, masked recipient, provider response, history, resend reasons) never
 * reach the bus.
 *
 * The key is published as it is, BHXH number included (`otp#0113096123#…`,
 * `contribution-stopped#0113096123#…`): the producer matches the event to its
 * fact by that key, which it built from its own event's fields; a BHXH number
 * is the producer's identifier of the person, not a phone number, an address, a
 * name or a text. Log lines still mask it (redact.ts maskBhxhNumbers): the
 * event on the bus is for the producers, a log line is for operators.
 */
import * as z from 'zod';
import type { Channel, MessageStatus } from './ledger.ts';
import { redactNumbers } from './redact.ts';

/** The statuses a message ends in (ledger.ts): `queued`, `paused`, `sending`, `sent` and `unknown` are on the way (an unknown outcome waits for an operator). */
export const FINAL_STATUSES = ['delivered', 'permanent-failure', 'temporary-failure', 'technical-failure', 'skipped', 'expired'] as const satisfies readonly MessageStatus[];
export type FinalStatus = (typeof FINAL_STATUSES)[number];

export const isFinalStatus = (status: unknown): status is FinalStatus => (FINAL_STATUSES as readonly unknown[]).includes(status);

/** Longest reason published: a few words (`no-phone`, a provider's error code and message). */
const MAX_REASON = 200;

/** The detail of NotificationStatusChanged; the zod schema below is its contract (schemas/NotificationStatusChanged.json). */
export const notificationStatusChangedSchema = z
  .strictObject({
    key: z.string().min(1).describe("The message's business key, as the ledger holds it (built from the producer's event)"),
    kind: z.string().min(1).describe('The kind of message (`unit-payment-received`, `otp`…)'),
    channel: z.enum(['sms', 'email']).describe('How it was sent'),
    status: z.enum(FINAL_STATUSES).describe('The final status it reached'),
    reason: z.string().max(MAX_REASON).optional().describe('Why, for a message not delivered (`no-phone`, a provider error); numbers and addresses masked'),
    parts: z.number().int().min(1).optional().describe('SMS parts (segments) handed to the provider, what is billed; absent for a message never sent'),
    priceUsd: z.number().min(0).optional().describe("The provider's price in USD, from the delivery receipt"),
    at: z.iso.datetime({ offset: true }).describe('When the message reached this status'),
  })
  .describe('Published by BHXH Notify (Source vn.gov.bhxh.notify) each time a message reaches a final status; never a phone number, an address, a name or a text');

export type NotificationStatusChangedDetail = z.infer<typeof notificationStatusChangedSchema>;

/** A ledger item as a stream image holds it, unmarshalled (only its scalar attributes are read). */
export type LedgerImage = Readonly<Record<string, unknown>>;

/** One change of a ledger item, as its stream record holds it. */
export interface LedgerChange {
  /** The record's identifier in its batch (the stream's sequence number). */
  id: string;
  newImage?: LedgerImage;
  oldImage?: LedgerImage;
}

const EMAIL_ADDRESS = /[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+/g;

/** A reason fit for the bus: e-mail addresses and anything shaped like a phone (or other long) number masked, cut short. */
export function publishableReason(reason: string): string {
  return redactNumbers(reason.replace(EMAIL_ADDRESS, '***@***')).slice(0, MAX_REASON);
}

const stringOf = (image: LedgerImage, name: string): string | undefined => (typeof image[name] === 'string' && image[name] !== '' ? (image[name] as string) : undefined);
const numberOf = (image: LedgerImage, name: string): number | undefined => (typeof image[name] === 'number' && Number.isFinite(image[name]) ? (image[name] as number) : undefined);

/**
 * The event one change of a ledger item makes, or undefined when it makes none:
 * only a change into a final status (an insert recorded final, `skipped` or
 * `expired`, or an update whose old status differs). A later write to a final
 * item (a duplicate counted, a resend noted) is no new status. Items that are
 * not messages (the `content#` items, which have no status) make none.
 */
export function statusChangeOf(newImage: LedgerImage | undefined, oldImage?: LedgerImage): NotificationStatusChangedDetail | undefined {
  if (!newImage) return undefined;
  const status = newImage.status;
  if (!isFinalStatus(status) || oldImage?.status === status) return undefined;
  const key = stringOf(newImage, 'key');
  const kind = stringOf(newImage, 'kind');
  const at = stringOf(newImage, 'updatedAt') ?? stringOf(newImage, 'createdAt');
  if (!key || !kind || !at) return undefined;
  const channel: Channel = newImage.channel === 'email' ? 'email' : 'sms';
  const reason = status === 'delivered' ? undefined : stringOf(newImage, 'reason');
  // Parts only for a message handed to the provider (what is billed): a skipped or expired one has a count, never sent.
  const parts = stringOf(newImage, 'sentAt') ? numberOf(newImage, 'segments') : undefined;
  const price = numberOf(newImage, 'priceInUSD');
  return {
    key,
    kind,
    channel,
    status,
    ...(reason ? { reason: publishableReason(reason) } : {}),
    ...(parts !== undefined && parts >= 1 ? { parts } : {}),
    ...(price !== undefined && price >= 0 ? { priceUsd: price } : {}),
    at,
  };
}
