/**
 * The due-date index: each due item lives in the partition `kind#date#shard`,
 * a subject always in the same shard, shards spread evenly; the item is kept
 * 60 days after its day, then deleted.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DUE_KINDS, DUE_SHARDS, dueItemExpiry, dueOrderOf, pendingKeyOf, pendingRange, shardOf } from '../../lambdas/domain/due-items.ts';

describe('DUE_KINDS', () => {
  it('has one kind for each fact that leads to a later message, each once', () => {
    expect([...DUE_KINDS].sort()).toEqual([
      'collector-summary',
      'facility-claims-summary',
      'health-card-expiring',
      'password-change-due',
      'quiet-hours-release',
      'unit-monthly-statement',
      'voluntary-term-ending',
    ]);
  });
});

describe('shardOf', () => {
  it('is a shard number from 0 to 7', () => {
    fc.assert(
      fc.property(fc.string(), (pk) => {
        const shard = shardOf(pk);
        expect(Number.isInteger(shard)).toBe(true);
        expect(shard).toBeGreaterThanOrEqual(0);
        expect(shard).toBeLessThan(DUE_SHARDS);
      }),
    );
  });

  it('puts a subject always in the same shard', () => {
    expect(shardOf('person#0110129425')).toBe(shardOf('person#0110129425'));
  });

  it('spreads subjects evenly over the 8 shards', () => {
    // Prepare
    const counts = new Array<number>(DUE_SHARDS).fill(0);

    // Act
    for (let i = 0; i < 8000; i++) counts[shardOf(`person#${String(i).padStart(10, '0')}`)]! += 1;

    // Assess: about 1,000 each
    for (const n of counts) {
      expect(n).toBeGreaterThan(850);
      expect(n).toBeLessThan(1150);
    }
  });
});

describe('the pending index keys', () => {
  it('puts a kind and shard in one partition, ordered by due date first', () => {
    expect(pendingKeyOf('health-card-expiring', 3)).toBe('health-card-expiring#3');
    expect(dueOrderOf('2018-12-01', 'b1')).toBe('2018-12-01#b1');
  });

  it('a run through a date takes every order of that date and before, and none after', () => {
    // Prepare
    const orders = ['2018-11-30#ffff', '2018-12-01#0000', '2018-12-01#ffff-ffff', '2018-12-02#0000'];

    // Act
    const { from, to } = pendingRange('2018-12-01');

    // Assess
    expect(orders.filter((o) => o >= from && o <= to)).toEqual(['2018-11-30#ffff', '2018-12-01#0000', '2018-12-01#ffff-ffff']);
  });

  it('after a cursor, the next page starts with the next order, whatever random orders follow', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (a, b) => {
        const cursor = dueOrderOf('2018-12-01', a);
        const other = dueOrderOf('2018-12-01', b);
        const { from, to } = pendingRange('2018-12-01', cursor);
        expect(cursor >= from).toBe(false);
        expect(other >= from && other <= to).toBe(other > cursor);
      }),
    );
  });
});

describe('dueItemExpiry', () => {
  it('is 60 days after the start of the due day, in epoch seconds', () => {
    expect(dueItemExpiry('2018-12-01')).toBe(Date.UTC(2019, 0, 30) / 1000);
  });

  it('follows the calendar across a leap February', () => {
    expect(dueItemExpiry('2020-01-15')).toBe(Date.UTC(2020, 2, 15) / 1000);
  });
});
