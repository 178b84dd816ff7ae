/**
 * The 72-hour rule: a message sent without any delivery receipt for 72 hours
 * becomes a temporary failure (the carrier never said). A run every six hours
 * looks at the last week of due days, so a missed run is caught up by the
 * next; a receipt that comes later still turns the message `delivered`.
 */
import type { LedgerStore } from '../ports.ts';
import { addDays, vietnamDate } from '../../domain/vietnam-time.ts';

/** How many days back a run looks: more than any outage of the schedule we expect. */
export const CATCH_UP_DAYS = 7;

export interface DeadlineRun {
  checked: number;
  marked: number;
  /** The run stopped at its limit; the next run goes on. */
  more: boolean;
}

export async function markUnreceipted(ledger: LedgerStore, at: Date, limit = 50_000): Promise<DeadlineRun> {
  const today = vietnamDate(at);
  const run: DeadlineRun = { checked: 0, marked: 0, more: false };
  for (let back = CATCH_UP_DAYS; back >= 0; back--) {
    for await (const key of ledger.awaitingReceipt(addDays(today, -back), at)) {
      if (run.checked >= limit) return { ...run, more: true };
      run.checked++;
      if (await ledger.noReceipt(key, at)) run.marked++;
    }
  }
  return run;
}
