/**
 * Campaign benchmark: N due items for one day (and as many for other days,
 * which the day's run must not read) are loaded into DynamoDB Local; the day's
 * campaign runs end to end (the synthesized state machine, the real page and
 * sender handlers) into the rate-capped outbox.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { dueOrderOf, pendingKeyOf, shardOf, type DueItem } from '../lambdas/domain/due-items.ts';
import { LocalSystem } from '../local/runtime.ts';

export interface CampaignBenchResult {
  itemsDue: number;
  itemsOtherDays: number;
  itemsRead: number;
  readRatio: number;
  capPartsPerSecond: number;
  achievedPartsPerSecond: number;
  ratio: number;
  sent: number;
  duplicates: number;
  missing: number;
  loadSeconds: number;
  runSeconds: number;
}

const DAY = '2019-09-15';

function item(i: number, date: string): DueItem {
  const personId = String(1_000_000_000 + i);
  const pk = `voluntary-term-ending#${personId}`;
  return {
    pk,
    kind: 'voluntary-term-ending',
    dueDate: date,
    pendingKey: pendingKeyOf('voluntary-term-ending', shardOf(pk)),
    dueOrder: dueOrderOf(date, randomUUID()),
    // A short name and the phone in the fact itself: one GSM-7 part per message, no contact look-up needed.
    payload: { personId, fullName: 'Nguyễn Văn An', gender: 'male', paidThrough: date.slice(0, 7), phone: `09${String(10_000_000 + i).slice(-8)}` },
    eventId: `bench-${i}`,
    asOf: '2019-09-01T00:00:00.000Z',
    expiresAt: 2_000_000_000,
  };
}

async function load(system: LocalSystem, items: DueItem[]): Promise<void> {
  const table = system.tableName('CampaignsDueItems');
  const batches: DueItem[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  // A few writers at once: DynamoDB Local is the bottleneck, not the client.
  const workers = Array.from({ length: 8 }, async (_, w) => {
    for (let b = w; b < batches.length; b += 8) {
      let request: Record<string, any> | undefined = { [table]: batches[b]!.map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length > 0) {
        const result: { UnprocessedItems?: Record<string, any> } = await system.db.send(new BatchWriteCommand({ RequestItems: request }));
        request = result.UnprocessedItems;
      }
    }
  });
  await Promise.all(workers);
}

export async function runCampaignBench(n: number, capPartsPerSecond: number): Promise<CampaignBenchResult> {
  const system = await LocalSystem.start({ recurringSchedules: false, tableStreams: false, context: { 'bhxh:smsPartsPerSecond': capPartsPerSecond } });
  try {
    system.jumpClock(new Date(`${DAY}T07:59:00+07:00`));
    const loadStarted = performance.now();
    await load(system, [...Array.from({ length: n }, (_, i) => item(i, DAY)), ...Array.from({ length: n }, (_, i) => item(n + i, '2019-09-16'))]);
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    system.setClock(new Date(`${DAY}T08:00:00+07:00`));
    const machine = Object.entries(system.template.Resources).find(([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && id.startsWith('CampaignsCampaign'))![0];
    const sentAt: number[] = [];
    const keys: string[] = [];
    const runStarted = performance.now();
    const execution = system.startExecution(system.resolver.ref(machine), `voluntary-term-ending-${DAY}`, { kind: 'voluntary-term-ending', date: DAY });
    // Count what reaches the outbox as it happens.
    const outbox = system.outbox;
    const push = outbox.push.bind(outbox);
    outbox.push = (...lines) => {
      for (const line of lines) {
        sentAt.push(performance.now());
        keys.push(line.key);
      }
      return push(...lines);
    };
    await system.drain();
    await execution.done;
    const runSeconds = (performance.now() - runStarted) / 1000;

    // The day's output: per shard, what its pages read (in the day and in its parts).
    const shards = (execution.output as { shards?: Array<{ totals: { read: number } }> } | undefined)?.shards ?? [];
    const itemsRead = shards.reduce((sum, s) => sum + s.totals.read, 0);
    const unique = new Set(keys);
    // Throughput over the steady part: from the first SMS to the last.
    const span = sentAt.length > 1 ? (sentAt.at(-1)! - sentAt[0]!) / 1000 : 1;
    const achieved = (sentAt.length - 1) / span;
    return {
      itemsDue: n,
      itemsOtherDays: n,
      itemsRead,
      readRatio: Math.round((itemsRead / n) * 1000) / 1000,
      capPartsPerSecond,
      achievedPartsPerSecond: Math.round(achieved * 10) / 10,
      ratio: Math.round((achieved / capPartsPerSecond) * 1000) / 1000,
      sent: keys.length,
      duplicates: keys.length - unique.size,
      missing: n - unique.size,
      loadSeconds: Math.round(loadSeconds * 10) / 10,
      runSeconds: Math.round(runSeconds * 10) / 10,
    };
  } finally {
    await system.stop();
  }
}
