/**
 * The parts-per-second quota at provider scale: DynamoDB takes about 1,000
 * writes a second on one partition, and each second of the quota is one item.
 * Senders lease blocks of a second's parts, so the item of a second is written
 * a bounded number of times at any cap, while no second grants more than the
 * cap and the quota is still used. Counted per item (one item is one second)
 * on a fake clock that moves only when a sender waits: exact, not timed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lambdas/stores/dynamo.ts';
import { DynamoSmsQuota } from '../../lambdas/stores/rate-window-store.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { startLocalSystem } from '../support/local-system.ts';

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem();
});
afterAll(async () => system?.stop());

/** The control table's client, counting the writes to each quota item. */
function countingDb(): { db: Db; writes: Map<string, number> } {
  const writes = new Map<string, number>();
  const db = {
    send: (command: { constructor: { name: string }; input: { Key?: { pk?: string } } }) => {
      const pk = command.input.Key?.pk;
      if (command.constructor.name === 'UpdateCommand' && pk?.startsWith('sms-rate#')) writes.set(pk, (writes.get(pk) ?? 0) + 1);
      return system.db.send(command as never);
    },
  } as unknown as Db;
  return { db, writes };
}

/** 1-, 2- and 3-part messages, `seconds` of them at the cap. */
function messagesFor(cap: number, seconds: number): number[] {
  const sizes: number[] = [];
  for (let total = 0, i = 0; total < cap * seconds; i++) {
    const parts = [1, 3, 2, 3, 1, 3][i % 6]!;
    sizes.push(parts);
    total += parts;
  }
  return sizes;
}

/** Three senders, each handing out ten messages at a time (a batch), until every message has its parts. */
async function run(cap: number, start: number) {
  let clock = start;
  const sleep = async (ms: number) => {
    clock += ms;
  };
  const { db, writes } = countingDb();
  const sizes = messagesFor(cap, 3);
  let granted = 0;
  let next = 0;
  const senders = [0, 1, 2].map(() => new DynamoSmsQuota(db, system.tableName('SenderSendControl'), { partsPerSecond: cap, now: () => clock, sleep }));
  await Promise.all(
    senders.flatMap((quota) =>
      Array.from({ length: 10 }, async () => {
        while (next < sizes.length) {
          const parts = sizes[next++]!;
          expect(await quota.acquire(parts, Number.POSITIVE_INFINITY)).toBe(true);
          granted += parts;
        }
      }),
    ),
  );
  const windows = (await system.scan<{ pk: string; used: number }>('SenderSendControl')).filter((w) => {
    const second = Number(w.pk.split('#')[1]);
    return w.pk.startsWith('sms-rate#') && second >= start / 1000 && second < start / 1000 + 3600;
  });
  return { sizes, granted, writes, windows };
}

describe('the quota item of a second, at provider scale', () => {
  it.each([
    [100, Date.UTC(2040, 0, 1, 1)],
    [1_000, Date.UTC(2041, 0, 1, 1)],
    [5_000, Date.UTC(2042, 0, 1, 1)],
  ])('at a cap of %i parts/s is written at most 300 times a second, leases no more than the cap, and wastes little', async (cap, start) => {
    // Act
    const { sizes, granted, writes, windows } = await run(cap, start);

    // Assess: the hottest item's writes (conditional failures included: DynamoDB bills and throttles them too)
    expect(Math.max(...writes.values())).toBeLessThanOrEqual(300);
    // No second leases more than the cap (a sender hands out only what it leased)
    expect(Math.max(...windows.map((w) => w.used))).toBeLessThanOrEqual(cap);
    // Every part was granted, in about as many seconds as the cap allows (parts leased and unused when a second ends are lost)
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(granted).toBe(total);
    expect(windows.filter((w) => w.used > 0).length).toBeLessThanOrEqual(Math.ceil(total / (0.95 * cap)) + 1);
  });
});

describe('the e-mail rate', () => {
  it('has a window of its own: e-mails do not spend the SMS parts of a second, nor SMS the e-mails', async () => {
    // Prepare: one second, both quotas on the same control table, a clock that stays inside it
    const second = Date.UTC(2043, 0, 1, 1);
    const clock = () => second + 100;
    const table = system.tableName('SenderSendControl');
    const sms = new DynamoSmsQuota(system.db, table, { partsPerSecond: 2, now: clock, sleep: async () => {} });
    const email = new DynamoSmsQuota(system.db, table, { partsPerSecond: 1, window: 'email', now: clock, sleep: async () => {} });
    const endOfSecond = second + 1000;

    // Act
    const smsGranted = [await sms.acquire(2, endOfSecond), await sms.acquire(1, endOfSecond)];
    const emailGranted = [await email.acquire(1, endOfSecond), await email.acquire(1, endOfSecond)];

    // Assess: each quota gives its own cap in the second, and only that
    expect(smsGranted).toEqual([true, false]);
    expect(emailGranted).toEqual([true, false]);
  });
});
