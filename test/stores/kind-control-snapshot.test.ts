/**
 * The sender reads a kind's control item once per batch, not once per message
 * (a read less per SMS at provider scale), and counts a block of admissions
 * per write against the daily ceiling, exactly (DynamoDB Local for that part).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lambdas/stores/dynamo.ts';
import { BatchKindControls } from '../../lambdas/stores/kind-control-snapshot.ts';
import { DynamoKindControlStore } from '../../lambdas/stores/kind-control-store.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { startLocalSystem } from '../support/local-system.ts';

/** A control table that holds no pause and takes every count; it records each request. */
function fakeControlTable(): { db: Db; requests: Array<{ command: string; pk: string }> } {
  const requests: Array<{ command: string; pk: string }> = [];
  const send = async (command: { constructor: { name: string }; input: { Key: { pk: string } } }) => {
    requests.push({ command: command.constructor.name, pk: command.input.Key.pk });
    return command.constructor.name === 'GetCommand' ? { Item: { paused: false } } : {};
  };
  return { db: { send } as unknown as Db, requests };
}

const AT = new Date('2018-12-03T02:00:00Z');

describe('BatchKindControls', () => {
  it('reads each kind once per batch and counts its messages with one write per kind', async () => {
    // Prepare: one batch (one instance), ten messages of two kinds, sent at once as the batch processor does
    const { db, requests } = fakeControlTable();
    const batch = new BatchKindControls(db, 'control');
    const kinds = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 'otp' : 'unit-payment-received'));

    // Act
    const admissions = await Promise.all(kinds.map((kind) => batch.admit(kind, AT)));

    // Assess
    expect(admissions.every((a) => a.admitted)).toBe(true);
    expect(requests.filter((r) => r.command === 'GetCommand').map((r) => r.pk)).toEqual(['kind#otp', 'kind#unit-payment-received']);
    expect(requests.filter((r) => r.command === 'UpdateCommand').map((r) => r.pk)).toEqual(['kind-day#otp#2018-12-03', 'kind-day#unit-payment-received#2018-12-03']);

    // Act: the batch ends with 5 of each block unused
    await batch.returnUnused();

    // Assess: one write each to give them back
    expect(requests.filter((r) => r.command === 'UpdateCommand')).toHaveLength(4);
  });

  it('reads again in the next batch, so a pause takes effect from there', async () => {
    const { db, requests } = fakeControlTable();

    await new BatchKindControls(db, 'control').admit('otp', AT);
    await new BatchKindControls(db, 'control').admit('otp', AT);

    expect(requests.filter((r) => r.command === 'GetCommand')).toHaveLength(2);
  });

  it('always reads a consistent read afresh', async () => {
    const { db, requests } = fakeControlTable();
    const batch = new BatchKindControls(db, 'control');

    await batch.get('otp');
    await batch.get('otp', true);

    expect(requests.filter((r) => r.command === 'GetCommand')).toHaveLength(2);
  });
});

describe('BatchKindControls against the daily ceiling (DynamoDB Local)', () => {
  let system: LocalSystem;
  beforeAll(async () => {
    system = await startLocalSystem({ recurringSchedules: false });
  });
  afterAll(async () => system?.stop());

  /** DynamoDB Local, recording each write to a kind's daily counter. */
  function countingCounterWrites(): { db: Db; counterWrites: string[] } {
    const counterWrites: string[] = [];
    const send = system.db.send.bind(system.db);
    const db = {
      send: (command: { constructor: { name: string }; input: { Key?: { pk?: string } } }) => {
        if (command.constructor.name === 'UpdateCommand' && command.input.Key?.pk?.startsWith('kind-day#')) counterWrites.push(command.input.Key.pk);
        return send(command as never);
      },
    } as unknown as Db;
    return { db, counterWrites };
  }

  it('admits exactly the ceiling across batches, counts only what was handed over, and writes the counter once per block', async () => {
    // Prepare: a ceiling of 25 a day; batches of 10 from two senders at once; one message of each batch given back
    const table = system.tableName('SenderSendControl');
    const { db } = countingCounterWrites();
    const ceilings = { default: 25 };
    let admitted = 0;
    let givenBack = 0;

    // Act: four batches of ten, two at a time
    for (let round = 0; round < 2; round += 1) {
      await Promise.all(
        [0, 1].map(async () => {
          const batch = new BatchKindControls(db, table, ceilings);
          const results = await Promise.all(Array.from({ length: 10 }, () => batch.admit('health-card-expiring', AT)));
          const ok = results.filter((r) => r.admitted).length;
          if (ok > 0) {
            await batch.refund('health-card-expiring', AT);
            givenBack += 1;
          }
          admitted += ok;
          await batch.returnUnused();
        }),
      );
    }

    // Assess: never past the ceiling; the counter holds what was handed over; far fewer writes than messages
    const count = await new DynamoKindControlStore(system.db, table, ceilings).countOn('health-card-expiring', '2018-12-03');
    expect(admitted - givenBack).toBe(count);
    expect(count).toBeLessThanOrEqual(25);
    expect(admitted).toBeGreaterThanOrEqual(25);
  });

  it('far from the ceiling, writes the counter at most twice per batch of ten (a block, and what is left of it)', async () => {
    // Prepare
    const table = system.tableName('SenderSendControl');
    const { db, counterWrites } = countingCounterWrites();

    // Act: 100 messages in batches of 10, three given back in each
    for (let b = 0; b < 10; b += 1) {
      const batch = new BatchKindControls(db, table, { default: 500_000 });
      await Promise.all(Array.from({ length: 10 }, () => batch.admit('unit-monthly-statement', AT)));
      for (let i = 0; i < 3; i += 1) await batch.refund('unit-monthly-statement', AT);
      await batch.returnUnused();
    }

    // Assess
    expect(counterWrites.length).toBeLessThanOrEqual(20);
    expect(await new DynamoKindControlStore(system.db, table).countOn('unit-monthly-statement', '2018-12-03')).toBe(70);
  });
});
