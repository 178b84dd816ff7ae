/**
 * The 72-hour rule: a message sent without any delivery receipt for 72 hours
 * becomes a temporary failure (the carrier never said). A run every six hours
 * looks at the last week of due days, so a missed run is caught up by the
 * next; a receipt that comes later still turns the message `delivered`.
 *
 * The rule only holds when SNS logs every success (success sampling at 100 %):
 * below that, an unlogged success looks like a silent carrier, so the stack
 * does not run this check at all (lib/delivery-receipts.ts).
 *
 * It runs in its own function (receipt-deadlines), never inside the intake's
 * timeout: the index is read page by page, the updates of a page go out a few
 * at a time, and the run stops at its limit or when its time runs short, the
 * next run going on from where the index stands (each update is conditional
 * and takes the message out of the index, so a repeat changes nothing).
 */
import type { LedgerStore } from '../ports.ts';
import { addDays, vietnamDate } from '../../domain/vietnam-time.ts';
import { RECEIPT_CHECK_KEYS_PER_RUN } from '../../domain/ledger.ts';

/** How many days back a run looks: more than any outage of the schedule we expect. */
export const CATCH_UP_DAYS = 7;

/** Most messages one run marks; the function's timeout is sized for this many (lib/receipt-deadlines.ts). */
export const KEYS_PER_RUN = RECEIPT_CHECK_KEYS_PER_RUN;

/** Conditional updates in flight at once: the ledger is on-demand, and this keeps one run well under a partition's write rate. */
export const UPDATES_IN_FLIGHT = 16;

/** Time a run keeps in hand: it stops before its timeout rather than being cut off in the middle of a page. */
export const RESERVE_MS = 15_000;

export interface DeadlineRun {
  checked: number;
  marked: number;
  /** The run stopped at its limit or its time; the next run goes on. */
  more: boolean;
}

export interface DeadlineOptions {
  limit?: number;
  concurrency?: number;
  /** Milliseconds left before the function's timeout (the Lambda context's getRemainingTimeInMillis). */
  timeLeftMs?: () => number;
}

export async function markUnreceipted(ledger: LedgerStore, at: Date, options: DeadlineOptions = {}): Promise<DeadlineRun> {
  const limit = options.limit ?? KEYS_PER_RUN;
  const concurrency = Math.max(1, options.concurrency ?? UPDATES_IN_FLIGHT);
  const outOfTime = () => options.timeLeftMs !== undefined && options.timeLeftMs() < RESERVE_MS;
  const today = vietnamDate(at);
  const run: DeadlineRun = { checked: 0, marked: 0, more: false };
  let batch: string[] = [];
  const flush = async () => {
    const results = await Promise.all(batch.map((key) => ledger.noReceipt(key, at)));
    run.checked += batch.length;
    run.marked += results.filter(Boolean).length;
    batch = [];
  };
  for (let back = CATCH_UP_DAYS; back >= 0; back--) {
    for await (const key of ledger.awaitingReceipt(addDays(today, -back), at)) {
      if (run.checked + batch.length >= limit || outOfTime()) {
        await flush();
        return { ...run, more: true };
      }
      batch.push(key);
      if (batch.length >= concurrency) await flush();
    }
  }
  await flush();
  return run;
}
