/**
 * The due-date index on DynamoDB Local: what a run reads (pending, due by its
 * date), the cursor it carries in its execution history (a date and a random
 * order, never the subject), and settling (a newer fact stays pending).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf, type DueItem } from '../../lambdas/domain/due-items.ts';
import { DynamoDueItemStore } from '../../lambdas/stores/due-item-store.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { startLocalSystem } from '../support/local-system.ts';

let system: LocalSystem;
let store: DynamoDueItemStore;
beforeAll(async () => {
  system = await startLocalSystem({ recurringSchedules: false });
  store = new DynamoDueItemStore(system.db, system.tableName('CampaignsDueItems'));
});
afterAll(async () => system?.stop());

/** BHXH numbers whose due items fall in one shard, so one shard's pages see them all. */
function personsInShard(shard: number, count: number): string[] {
  const persons: string[] = [];
  for (let n = 110_100_000; persons.length < count; n += 1) if (shardOf(`health-card-expiring#0${n}`) === shard) persons.push(`0${n}`);
  return persons;
}

const card = (personId: string, dueDate: string, asOf = '2018-11-01T00:00:00Z') => ({
  pk: `health-card-expiring#${personId}`,
  kind: 'health-card-expiring' as const,
  dueDate,
  payload: { personId, cardNo: `HC4${personId}`, validTo: dueDate },
  eventId: `e-${personId}`,
  asOf,
});

async function allPages(shard: number, through: string): Promise<{ items: DueItem[]; cursors: string[] }> {
  const items: DueItem[] = [];
  const cursors: string[] = [];
  let after: string | undefined;
  do {
    const page = await store.pending('health-card-expiring', through, shard, after, 1);
    items.push(...page.items);
    after = page.after;
    if (after) cursors.push(after);
  } while (after);
  return { items, cursors };
}

describe('DynamoDueItemStore', () => {
  it('pages through what is pending and due by the date, each item once, with cursors that name nobody', async () => {
    // Prepare: in shard 3, two items due on the 1st, one overdue since November, one due on the 2nd
    const [a, b, c, d] = personsInShard(3, 4) as [string, string, string, string];
    await store.put(card(a, '2018-12-01'));
    await store.put(card(b, '2018-12-01'));
    await store.put(card(c, '2018-11-20'));
    await store.put(card(d, '2018-12-02'));

    // Act
    const { items, cursors } = await allPages(3, '2018-12-01');

    // Assess
    expect(items.map((i) => i.payload.personId).sort()).toEqual([a, b, c].sort());
    expect(items[0]?.payload.personId).toBe(c);
    expect(cursors.length).toBeGreaterThanOrEqual(2);
    for (const cursor of cursors) {
      expect(cursor).toMatch(/^\d{4}-\d{2}-\d{2}#[0-9a-f-]{36}$/);
      for (const person of [a, b, c, d]) expect(cursor).not.toContain(person);
    }
    expect(await store.anyPending('health-card-expiring', '2018-11-30')).toBe(true);
    expect(await store.anyPending('voluntary-term-ending', '2018-12-31')).toBe(false);
  });

  it('a settled item leaves the index with its outcome; one replaced by a newer fact after it was read stays pending', async () => {
    // Prepare
    const [e, f] = personsInShard(5, 2) as [string, string];
    await store.put(card(e, '2018-12-05'));
    await store.put(card(f, '2018-12-05'));
    const read = (await allPages(5, '2018-12-05')).items.filter((i) => [e, f].includes(String(i.payload.personId)));
    await store.put(card(f, '2018-12-05', '2018-11-02T00:00:00Z'));

    // Act
    for (const item of read) await store.settle(item, 'queued');

    // Assess
    const left = (await allPages(5, '2018-12-05')).items.map((i) => i.payload.personId);
    expect(left).toContain(f);
    expect(left).not.toContain(e);
    const rows = await system.scan<DueItem>('CampaignsDueItems');
    expect(rows.find((r) => r.pk.endsWith(e))).toMatchObject({ outcome: 'queued' });
    expect(rows.find((r) => r.pk.endsWith(e))?.pendingKey).toBeUndefined();
  });
});
