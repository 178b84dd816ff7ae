/**
 * Feeding a failed batch of receipts back: the batch Lambda kept on the
 * receipts function's on-failure queue is applied with the same flow the
 * function runs. Applying a receipt twice changes nothing (a receipt never
 * moves a message backwards), so a batch that partly applied before it failed
 * is safe to apply again.
 */
import { applyReceiptLines, type ReceiptCounts, type ReceiptDeps } from './apply-receipt.ts';
import { parseFailedInvocation, subscriptionLines } from './log-batch.ts';

export type RedriveOutcome = { reapplied: true; counts: ReceiptCounts } | { reapplied: false; why: string };

export async function reapplyFailedBatch(body: string, deps: ReceiptDeps): Promise<RedriveOutcome> {
  const failed = parseFailedInvocation(body);
  if (!failed.batch)
    return { reapplied: false, why: `the record of ${failed.timestamp} carries no batch (too large for the queue): read the delivery-status log groups around that time` };
  const { counts } = await applyReceiptLines(subscriptionLines(failed.batch), deps);
  return { reapplied: true, counts };
}
