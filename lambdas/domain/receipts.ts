/**
 * Delivery receipts: SNS writes one log line per SMS to the delivery-status
 * log groups; each becomes `delivered`, `permanent-failure` or
 * `temporary-failure` on the ledger item, with the carrier's words and price.
 * A receipt that arrives before the sender has recorded `sent` is parked and
 * applied by the sender; a repeated or late receipt never moves a message back.
 */
import type { ReceiptUpdate } from './ledger.ts';

/** A receipt as SNS logs it: what it says, and the provider's id of the message it is about. */
export interface Receipt extends ReceiptUpdate {
  providerMessageId: string;
}

// Carrier answers worth another try later; everything else about the number is final.
const TEMPORARY = /unreachable|unavailable|temporar|throttl|ttl expired|expired|timed? ?out|no response|unknown error|queue full|carrier.*(down|error)/i;

/** The fields of an SNS delivery-status log line that a receipt uses (anything may be missing in a line that is not one). */
interface SnsDeliveryLog {
  notification?: { messageId?: unknown; timestamp?: unknown };
  delivery?: { providerResponse?: unknown; priceInUSD?: unknown };
  status?: unknown;
}

/** One line of `sns/<region>/<account>/DirectPublishToPhoneNumber[/Failure]`, or undefined if it is not a receipt. */
export function parseReceipt(line: string): Receipt | undefined {
  let log: SnsDeliveryLog;
  try {
    log = JSON.parse(line) as SnsDeliveryLog;
  } catch {
    return undefined;
  }
  const providerMessageId = log?.notification?.messageId;
  if (typeof providerMessageId !== 'string') return undefined;
  const providerResponse = String(log?.delivery?.providerResponse ?? '');
  const price = Number(log?.delivery?.priceInUSD);
  const status = log?.status === 'SUCCESS' ? 'delivered' : TEMPORARY.test(providerResponse) ? 'temporary-failure' : 'permanent-failure';
  return {
    providerMessageId,
    status,
    providerResponse,
    ...(Number.isFinite(price) ? { priceInUSD: price } : {}),
    at: instantOf(log?.notification?.timestamp) ?? new Date().toISOString(),
  };
}

/** SNS's `2016-06-28 00:40:34.558`: UTC, though it carries no zone (or a `T`, or no fraction). */
const SNS_UTC = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/**
 * The instant of a receipt's timestamp, as ISO: a zoneless time is UTC (never
 * the host's local time, which `new Date()` would assume); an ISO instant with
 * `Z` or an offset is that instant. Undefined when there is none or it is not a time.
 */
function instantOf(timestamp: unknown): string | undefined {
  if (typeof timestamp !== 'string') return undefined;
  const utc = SNS_UTC.exec(timestamp.trim());
  const ms = utc
    ? Date.UTC(Number(utc[1]), Number(utc[2]) - 1, Number(utc[3]), Number(utc[4]), Number(utc[5]), Number(utc[6]), Number((utc[7] ?? '0').padEnd(3, '0').slice(0, 3)))
    : /(?:Z|[+-]\d{2}:?\d{2})$/i.test(timestamp.trim())
      ? Date.parse(timestamp)
      : Number.NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
