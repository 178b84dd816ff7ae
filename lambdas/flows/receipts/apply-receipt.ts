/**
 * Applying a delivery receipt to the ledger. A receipt that arrives before the
 * sender has recorded `sent` is parked and applied by the sender; a repeated
 * or late receipt never moves a message back.
 */
import { parseReceipt, type Receipt } from '../../domain/receipts.ts';
import type { LedgerStore, ParkedReceiptStore } from '../ports.ts';

export interface ReceiptDeps {
  ledger: LedgerStore;
  /** Keeps receipts whose message is not (yet) recorded as sent. */
  parkedReceipts: ParkedReceiptStore;
}

export type ReceiptOutcome = 'applied' | 'unchanged' | 'parked';

export async function applyReceipt(receipt: Receipt, deps: ReceiptDeps): Promise<ReceiptOutcome> {
  const key = await deps.ledger.keyOfProviderMessage(receipt.providerMessageId);
  if (!key) {
    await deps.parkedReceipts.park(receipt);
    return 'parked';
  }
  if (await deps.ledger.applyReceipt(key, receipt)) return 'applied';
  // Not `sent` yet (the sender is between SNS and the ledger) or already final: park it too; parking is idempotent.
  const current = await deps.ledger.get(key);
  if (current?.status === 'sending') {
    await deps.parkedReceipts.park(receipt);
    return 'parked';
  }
  return 'unchanged';
}

export type ReceiptCounts = Record<ReceiptOutcome | 'unreadable', number>;

/** A batch of delivery-status log lines: each receipt applied or parked; a line that is not a receipt is counted, not fatal. */
export async function applyReceiptLines(lines: readonly string[], deps: ReceiptDeps): Promise<{ counts: ReceiptCounts; statuses: Receipt['status'][] }> {
  const counts: ReceiptCounts = { applied: 0, unchanged: 0, parked: 0, unreadable: 0 };
  const statuses: Receipt['status'][] = [];
  for (const line of lines) {
    const receipt = parseReceipt(line);
    if (!receipt) {
      counts.unreadable += 1;
      continue;
    }
    counts[await applyReceipt(receipt, deps)] += 1;
    statuses.push(receipt.status);
  }
  return { counts, statuses };
}
