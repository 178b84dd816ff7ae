/**
 * Delivery receipts: SNS writes one log line per SMS to the delivery-status
 * log groups; each becomes `delivered`, `permanent-failure` or
 * `temporary-failure` on the ledger item, with the carrier's words and price.
 * A receipt that arrives before the sender has recorded `sent` is parked and
 * applied by the sender; a repeated or late receipt never moves a message back.
 */
import type { Ledger } from '../commons/ledger.ts';

export interface Receipt {
  providerMessageId: string;
  status: 'delivered' | 'permanent-failure' | 'temporary-failure';
  providerResponse: string;
  priceInUSD?: number;
  at: string;
}

// Carrier answers worth another try later; everything else about the number is final.
const TEMPORARY = /unreachable|unavailable|temporar|throttl|ttl expired|expired|timed? ?out|no response|unknown error|queue full|carrier.*(down|error)/i;

/** One line of `sns/<region>/<account>/DirectPublishToPhoneNumber[/Failure]`, or undefined if it is not a receipt. */
export function parseReceipt(line: string): Receipt | undefined {
  let log: any;
  try {
    log = JSON.parse(line);
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

export interface ReceiptDeps {
  ledger: Ledger;
  /** Keeps a receipt whose message is not (yet) recorded as sent. */
  park(receipt: Receipt): Promise<void>;
}

export type ReceiptOutcome = 'applied' | 'unchanged' | 'parked';

export async function applyReceipt(receipt: Receipt, deps: ReceiptDeps): Promise<ReceiptOutcome> {
  const key = await deps.ledger.keyOfProviderMessage(receipt.providerMessageId);
  if (!key) {
    await deps.park(receipt);
    return 'parked';
  }
  if (await deps.ledger.applyReceipt(key, receipt)) return 'applied';
  // Not `sent` yet (the sender is between SNS and the ledger) or already final: park it too; parking is idempotent.
  const current = await deps.ledger.get(key);
  if (current?.status === 'sending') {
    await deps.park(receipt);
    return 'parked';
  }
  return 'unchanged';
}
