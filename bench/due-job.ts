/**
 * The daily due-date job at national scale: household cards spread over a
 * year of end dates are loaded into the due-date index (DynamoDB Local); the
 * day's campaign (the synthesized state machine, the real page handler) runs
 * once with the table at `small` cards and once at `large`, each time for a
 * day with the same number of cards due (a year's even share of `large`).
 * Reported: items read against items due, and the run's time at both sizes.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { dueOrderOf, pendingKeyOf, shardOf, type DueItem } from '../lambdas/domain/due-items.ts';
import { DynamoContactStore } from '../lambdas/stores/contact-store.ts';
import { LocalSystem } from '../local/runtime.ts';
import { addDays } from '../lambdas/domain/vietnam-time.ts';
import { since, snapshot } from './requests.ts';

export interface DueRun {
  tableItems: number;
  itemsDue: number;
  itemsRead: number;
  readRatio: number;
  /** From the start of the execution until every due message is recorded and queued. */
  runSeconds: number;
  messagesQueued: number;
  /** DynamoDB requests the run made (the same at both sizes when only the day's items are touched). */
  dynamoRequests: number;
}

export interface DueJobResult {
  itemsDue: number;
  itemsRead: number;
  readRatio: number;
  runs: DueRun[];
  /** Time at the large table over time at the small one. */
  timeRatio: number;
  loadSeconds: number;
}

const YEAR_START = '2019-01-01';
const DAY_SMALL = '2019-06-10';
const DAY_LARGE = '2019-06-11';

/**
 * A card due on `dueDate`. Cards of the days before the measured one are loaded as their own day's run left them
 * (settled: out of the pending index); the measured day's and later days' are pending. So the run reads what a
 * national day's run reads: its day's cards, among a table of a year's.
 */
function card(i: number, dueDate: string): DueItem {
  const personId = String(2_000_000_000 + i);
  const pk = `health-card-expiring#${personId}`;
  const validTo = addDays(dueDate, 30);
  const pending = dueDate >= DAY_SMALL;
  return {
    pk,
    kind: 'health-card-expiring',
    dueDate,
    ...(pending ? { pendingKey: pendingKeyOf('health-card-expiring', shardOf(pk)), dueOrder: dueOrderOf(dueDate, randomUUID()) } : { outcome: 'queued' }),
    payload: { personId, cardNo: `GD4${String(10_000_000_000 + i)}`, validTo },
    eventId: `bench-card-${i}`,
    asOf: '2019-01-01T00:00:00.000Z',
    expiresAt: 2_000_000_000,
  };
}

/** The other 363 days of the year: never the measured days. */
function otherDay(i: number): string {
  const day = addDays(YEAR_START, i % 363);
  return day >= DAY_SMALL ? addDays(day, 2) : day;
}

async function load(system: LocalSystem, items: DueItem[]): Promise<void> {
  const table = system.tableName('CampaignsDueItems');
  const batches: DueItem[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let b = w; b < batches.length; b += 8) {
        let request: Record<string, any> | undefined = { [table]: batches[b]!.map((Item) => ({ PutRequest: { Item } })) };
        while (request && Object.keys(request).length > 0) {
          const result: { UnprocessedItems?: Record<string, any> } = await system.db.send(new BatchWriteCommand({ RequestItems: request }));
          request = result.UnprocessedItems;
        }
      }
    }),
  );
}

async function runDay(system: LocalSystem, day: string, tableItems: number, itemsDue: number): Promise<DueRun> {
  system.jumpClock(new Date(`${day}T08:00:00+07:00`));
  const machine = Object.entries(system.template.Resources).find(([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && id.startsWith('CampaignsCampaign'))![0];
  const before = snapshot();
  const started = performance.now();
  const execution = system.startExecution(system.resolver.ref(machine), `health-card-expiring-${day}`, { kind: 'health-card-expiring', date: day });
  await execution.done;
  const runSeconds = (performance.now() - started) / 1000;
  const requests = since(before);
  await system.drain();
  // The day's output: per shard, what its pages (in the day and in its parts) read and queued.
  const shards = (execution.output as { shards?: Array<{ totals: { read: number; queued: number } }> } | undefined)?.shards ?? [];
  const itemsRead = shards.reduce((sum, s) => sum + s.totals.read, 0);
  return {
    tableItems,
    itemsDue,
    itemsRead,
    readRatio: itemsDue > 0 ? Math.round((itemsRead / itemsDue) * 1000) / 1000 : 0,
    runSeconds: Math.round(runSeconds * 100) / 100,
    messagesQueued: shards.reduce((sum, s) => sum + s.totals.queued, 0),
    dynamoRequests: requests.reads + requests.writes,
  };
}

export async function runDueJobBench(dynamoEndpoint: string, small: number, large: number): Promise<DueJobResult> {
  const system = await LocalSystem.start({
    dynamoEndpoint,
    tablePrefix: 'duejob_',
    recurringSchedules: false,
    receipts: false,
    tableStreams: false,
    context: { 'bhxh:smsPartsPerSecond': 1000 },
  });
  try {
    const due = Math.round(large / 365);
    let next = 0;
    const loadStarted = performance.now();
    // The measured days' cards, then the rest of the small table.
    const first: DueItem[] = [];
    for (let i = 0; i < due; i++) first.push(card(next++, DAY_SMALL), card(next++, DAY_LARGE));
    while (next < small) first.push(card(next, otherDay(next++)));
    await load(system, first);
    // The measured days' card holders have a phone, so their reminders go all the way to the outbox.
    const contacts = new DynamoContactStore(system.db, system.tableName('ContactsTable'));
    for (let i = 0; i < 2 * due; i += 16) {
      await Promise.all(
        Array.from({ length: Math.min(16, 2 * due - i) }, (_, j) =>
          contacts.upsert({
            subject: `person#${2_000_000_000 + i + j}`,
            name: 'Nguyen Van An',
            phone: `+8498${String(1_000_000 + i + j).slice(-7)}`,
            asOf: '2019-01-01T00:00:00.000Z',
            eventId: 'bench',
          }),
        ),
      );
    }
    // A first run on an ordinary day warms the handlers and the JIT, so the measured runs compare like with like.
    await runDay(system, '2019-03-01', small, 0);
    const atSmall = await runDay(system, DAY_SMALL, small, due);
    while (next < large) {
      const items: DueItem[] = [];
      while (next < large && items.length < 100_000) items.push(card(next, otherDay(next++)));
      await load(system, items);
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const atLarge = await runDay(system, DAY_LARGE, large, due);
    return {
      itemsDue: atLarge.itemsDue,
      itemsRead: atLarge.itemsRead,
      readRatio: atLarge.readRatio,
      runs: [atSmall, atLarge],
      timeRatio: Math.round((atLarge.runSeconds / atSmall.runSeconds) * 100) / 100,
      loadSeconds: Math.round(loadSeconds),
    };
  } finally {
    await system.stop();
  }
}
