/**
 * One run of the 72-hour check: a few updates in flight at once, and a stop
 * at its limit or before its time runs out, the rest left to the next run.
 */
import { describe, expect, it } from 'vitest';
import { markUnreceipted, RESERVE_MS } from '../../lambdas/flows/receipts/deadlines.ts';
import type { LedgerStore } from '../../lambdas/flows/ports.ts';

/** A ledger whose index holds `count` keys due today; it counts the updates in flight. */
function ledgerWith(count: number) {
  const due = Array.from({ length: count }, (_, i) => `k${i}`);
  const stats = { inFlight: 0, mostInFlight: 0, updated: 0 };
  const ledger = {
    async *awaitingReceipt(day: string) {
      if (day === '2018-12-06') yield* due;
    },
    async noReceipt() {
      stats.inFlight++;
      stats.mostInFlight = Math.max(stats.mostInFlight, stats.inFlight);
      await new Promise((r) => setImmediate(r));
      stats.inFlight--;
      stats.updated++;
      return true;
    },
  } as unknown as LedgerStore;
  return { ledger, stats };
}

const AT = new Date('2018-12-06T12:15:00+07:00');

describe('a run of the 72-hour check', () => {
  it('updates several messages at once, never more than it is allowed', async () => {
    // Prepare
    const { ledger, stats } = ledgerWith(100);

    // Act
    const run = await markUnreceipted(ledger, AT, { concurrency: 16 });

    // Assess
    expect(run).toEqual({ checked: 100, marked: 100, more: false });
    expect(stats.mostInFlight).toBe(16);
  });

  it('stops at its limit and says there is more', async () => {
    // Prepare
    const { ledger, stats } = ledgerWith(100);

    // Act
    const run = await markUnreceipted(ledger, AT, { limit: 40 });

    // Assess
    expect(run).toEqual({ checked: 40, marked: 40, more: true });
    expect(stats.updated).toBe(40);
  });

  it('stops when its time runs short, with the updates under way finished', async () => {
    // Prepare: time for 30 keys, then below the reserve
    const { ledger, stats } = ledgerWith(100);
    let asked = 0;
    const timeLeftMs = () => (++asked <= 30 ? RESERVE_MS + 60_000 : RESERVE_MS - 1);

    // Act
    const run = await markUnreceipted(ledger, AT, { timeLeftMs, concurrency: 8 });

    // Assess
    expect(run).toEqual({ checked: 30, marked: 30, more: true });
    expect(stats).toMatchObject({ updated: 30, inFlight: 0 });
  });
});
