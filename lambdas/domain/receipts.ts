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
  notification?: { messageId?: unknown; timestamp?: string };
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
    at: new Date(log?.notification?.timestamp ?? Date.now()).toISOString(),
  };
}
