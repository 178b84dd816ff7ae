/**
 * The sender at provider scale: at caps of 100 and 1,000 parts a second,
 * 3-part messages (cap × seconds parts) are recorded and queued, then the real
 * sender handler, through the local queue and its event source mapping, hands
 * them to the outbox (SNS's place). Reported per run: achieved parts per
 * second against the cap (steady state, as bench/sender.ts counts it),
 * duplicates, missing, DynamoDB requests per message, and the writes to the
 * hottest quota item (one item is one second of the quota, so its writes are
 * writes per second; DynamoDB takes about 1,000 on one partition), the kind's
 * daily counter (written once per batch) and the hottest item of all. Draws
 * achieved parts per second over time against the cap for every run in
 * docs/sender-scale.svg.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { nowMs } from '../lambdas/runtime/clock.ts';
import { DynamoLedgerStore } from '../lambdas/stores/ledger-store.ts';
import { LocalSystem } from '../local/runtime.ts';
import { countDynamoRequests, since, snapshot } from './requests.ts';
import { steadyRate } from './sender.ts';
import { senderScaleSvg } from './sender-scale-chart.ts';

export interface SenderScaleOptions {
  dynamoEndpoint: string;
  /** Default 100 and 1,000 parts a second. */
  caps?: number[];
  /** Seconds of messages at the cap per run (default 20). */
  seconds?: number;
  /** Parts per message (default 3). */
  partsPerMessage?: number;
  /** Where the chart goes (default docs/sender-scale.svg). */
  chartPath?: string;
}

export interface SenderScaleRun {
  capPartsPerSecond: number;
  partsPerMessage: number;
  messages: number;
  achievedPartsPerSecond: number;
  ratio: number;
  duplicates: number;
  missing: number;
  /** Most writes to one quota item (one second of the quota), conditional failures included. */
  hottestItemWritesPerSecond: number;
  quotaItemWritesPerSecond: number;
  /** Most writes in one second to the kind's daily counter item (one per message handed over). */
  kindCounterWritesPerSecond: number;
  dynamoRequestsPerMessage: number;
  readsPerMessage: number;
  writesPerMessage: number;
  requestsByOperation: Record<string, number>;
  /**
   * From SNS's answer to the ledger recording `sent`: a sender that dies inside it leaves a message SNS took
   * still claimed, and it is sent again once the claim runs out (the one at-least-once window).
   */
  duplicateWindowMs: { p50: number; p99: number; max: number };
  /** Parts handed to the outbox in each second of the run, from the first SMS on. */
  partsPerSecond: number[];
  seconds: number;
}

/** Writes per item of the control table, per wall second: counted where every SDK client sends. */
const itemWrites = new Map<string, Map<number, number>>();
/** When the ledger write recording each message as sent came back (performance.now()). */
const settledAt = new Map<string, number>();
let counting = false;
function countItemWrites(): void {
  if (counting) return;
  counting = true;
  const base = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: (command: any, ...rest: unknown[]) => unknown };
  const send = base.send;
  base.send = function (this: unknown, command: any, ...rest: unknown[]) {
    const pk = command?.input?.Key?.pk;
    if (typeof pk === 'string' && command.constructor?.name === 'UpdateCommand') {
      const second = Math.floor(nowMs() / 1000);
      const perSecond = itemWrites.get(pk) ?? new Map<number, number>();
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
      itemWrites.set(pk, perSecond);
    }
    const input = command?.input;
    if (input?.ExpressionAttributeValues?.[':status'] === 'sent' && typeof input.Key?.key === 'string') {
      return (send.call(this, command, ...rest) as Promise<unknown>).then((output) => {
        settledAt.set(input.Key.key, performance.now());
        return output;
      });
    }
    return send.call(this, command, ...rest);
  };
}

/** The most writes one item took in one second, among items whose key starts with `prefix`. */
function hottest(prefix: string): number {
  let most = 0;
  for (const [pk, perSecond] of itemWrites) if (pk.startsWith(prefix)) for (const n of perSecond.values()) most = Math.max(most, n);
  return most;
}

const KIND = 'unit-payment-received';
const WARMUP_SECONDS = 3;
/** 307 GSM-7 characters: 3 parts of 153 (concatenated SMS). */
const textOf = (parts: number) => 'Don vi B da nop 1.000 d. '.repeat(Math.ceil((153 * (parts - 1) + 1) / 25)).slice(0, parts === 1 ? 24 : 153 * (parts - 1) + 1);

async function runAt(dynamoEndpoint: string, cap: number, seconds: number, parts: number): Promise<SenderScaleRun> {
  const system = await LocalSystem.start({
    dynamoEndpoint,
    tablePrefix: `scale${cap}_`,
    recurringSchedules: false,
    receipts: false,
    tableStreams: false,
    context: { 'bhxh:smsPartsPerSecond': cap },
  });
  try {
    const n = Math.ceil((cap * seconds) / parts);
    const ledger = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 400, textDays: 30 } });
    const queue = system.queueByLogicalPrefix('SenderSendQueue');
    const at = new Date();
    const record = (key: string, i: number) =>
      ledger.record(
        {
          key,
          kind: KIND,
          subject: `unit#S${i}`,
          status: 'queued',
          recipient: `+8491${String(1_000_000 + i).slice(-7)}`,
          recipientMasked: '+84******000',
          text: textOf(parts),
          segments: parts,
          eventId: key,
        },
        at,
      );
    const body = (key: string) => JSON.stringify({ key, kind: KIND, segments: parts });
    // Warm-up: three seconds' worth of other messages first, so module loading, the JIT and DynamoDB Local's own
    // warming are not in the measured window (one second's worth left the first ten seconds at 1,000 parts/s slow).
    const warmup = Array.from({ length: Math.ceil((WARMUP_SECONDS * cap) / parts) }, (_, i) => `scale-warmup#${cap}#${i}`);
    const keys = Array.from({ length: n }, (_, i) => `scale-send#${cap}#${i}`);
    const all = [...warmup, ...keys];
    // Recorded by 16 writers at once; nothing drains the queue until drain().
    for (let w = 0; w < all.length; w += 16) await Promise.all(all.slice(w, w + 16).map((key, j) => record(key, w + j)));
    for (const key of warmup) queue.send(body(key));
    await system.drain();
    for (const key of keys) queue.send(body(key));

    const sentAt: number[] = [];
    const sent: string[] = [];
    const handedOverAt = new Map<string, number>();
    const push = system.outbox.push.bind(system.outbox);
    system.outbox.push = (...lines) => {
      for (const line of lines) {
        // The clock the quota windows are counted on; one entry per part.
        for (let p = 0; p < line.segments; p++) sentAt.push(nowMs());
        sent.push(line.key);
        handedOverAt.set(line.key, performance.now());
      }
      return push(...lines);
    };
    itemWrites.clear();
    settledAt.clear();
    const before = snapshot();
    const started = performance.now();
    await system.drain();
    const requests = since(before);
    const achieved = steadyRate(sentAt);
    const unique = new Set(sent);
    const first = Math.floor((sentAt[0] ?? 0) / 1000);
    const partsPerSecond: number[] = [];
    for (const t of sentAt) {
      const s = Math.floor(t / 1000) - first;
      partsPerSecond[s] = (partsPerSecond[s] ?? 0) + 1;
    }
    const round = (x: number, digits = 100) => Math.round(x * digits) / digits;
    // The duplicate window: from SNS's answer (the outbox here) to the ledger's `sent` write coming back.
    const windows = [...handedOverAt].flatMap(([key, t]) => (settledAt.has(key) ? [settledAt.get(key)! - t] : [])).sort((a, b) => a - b);
    const quantile = (q: number) => round(windows[Math.min(windows.length - 1, Math.floor(q * windows.length))] ?? 0, 10);
    return {
      capPartsPerSecond: cap,
      partsPerMessage: parts,
      messages: n,
      achievedPartsPerSecond: round(achieved, 10),
      ratio: round(achieved / cap, 1000),
      duplicates: sent.length - unique.size,
      missing: keys.filter((k) => !unique.has(k)).length,
      // Every item the run wrote: quota seconds, the kind's daily counter, ledger items.
      hottestItemWritesPerSecond: hottest(''),
      quotaItemWritesPerSecond: hottest('sms-rate#'),
      kindCounterWritesPerSecond: hottest(`kind-day#${KIND}#`),
      dynamoRequestsPerMessage: round((requests.reads + requests.writes) / n),
      readsPerMessage: round(requests.reads / n),
      writesPerMessage: round(requests.writes / n),
      requestsByOperation: requests.byOperation,
      duplicateWindowMs: { p50: quantile(0.5), p99: quantile(0.99), max: round(windows.at(-1) ?? 0, 10) },
      partsPerSecond: Array.from(partsPerSecond, (x) => x ?? 0),
      seconds: round((performance.now() - started) / 1000, 10),
    };
  } finally {
    await system.stop();
  }
}

export async function senderScale(options: SenderScaleOptions): Promise<SenderScaleRun[]> {
  countDynamoRequests();
  countItemWrites();
  const runs: SenderScaleRun[] = [];
  for (const cap of options.caps ?? [100, 1000]) runs.push(await runAt(options.dynamoEndpoint, cap, options.seconds ?? 20, options.partsPerMessage ?? 3));
  const chartPath = options.chartPath ?? path.join(import.meta.dirname, '..', 'docs', 'sender-scale.svg');
  writeFileSync(chartPath, senderScaleSvg(runs));
  return runs;
}
