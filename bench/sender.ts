/**
 * Sender throughput at a given quota: N one-part messages (N = cap × seconds)
 * are recorded in the ledger and queued, then the real sender handler,
 * through the local queue and its event source mapping, hands them to the
 * rate-capped outbox. Reported: achieved parts per second in the steady
 * state (the whole seconds between the first and the last) against the cap, duplicates, missing, and the
 * DynamoDB requests per message on the send path.
 */
import { nowMs } from '../lambdas/runtime/clock.ts';
import { DynamoLedgerStore } from '../lambdas/stores/ledger-store.ts';
import { LocalSystem } from '../local/runtime.ts';
import { since, snapshot } from './requests.ts';

export interface SenderBenchResult {
  capPartsPerSecond: number;
  messages: number;
  achievedPartsPerSecond: number;
  ratio: number;
  duplicates: number;
  missing: number;
  /** DynamoDB requests per message while sending (claim, content, pause and ceiling, quota, settle, receipt). */
  readsPerMessage: number;
  writesPerMessage: number;
  requestsByOperation: Record<string, number>;
  seconds: number;
}

/**
 * Parts per second in the steady state: the mean count of the whole quota
 * windows (seconds) between the first and the last, which are partial.
 */
export function steadyRate(sentAtMs: number[]): number {
  const perSecond = new Map<number, number>();
  for (const t of sentAtMs) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
  const seconds = [...perSecond.keys()].sort((a, b) => a - b);
  const inner = seconds.slice(1, -1);
  if (inner.length === 0) return sentAtMs.length;
  // Seconds inside the run with no SMS at all count as zero: a stall is part of the rate.
  const span = inner.at(-1)! - inner[0]! + 1;
  return inner.reduce((n, s) => n + perSecond.get(s)!, 0) / span;
}

export async function runSenderBench(dynamoEndpoint: string, cap: number, seconds: number): Promise<SenderBenchResult> {
  const system = await LocalSystem.start({
    dynamoEndpoint,
    tablePrefix: `sender${cap}_`,
    recurringSchedules: false,
    receipts: false,
    tableStreams: false,
    context: { 'bhxh:smsPartsPerSecond': cap },
  });
  try {
    const n = cap * seconds;
    const ledger = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 400, textDays: 30 } });
    const queue = system.queueByLogicalPrefix('SenderSendQueue');
    const at = new Date();
    const keys = Array.from({ length: n }, (_, i) => `bench-send#${cap}#${i}`);
    // Recorded by 16 writers at once; the sender is not running yet (nothing drains the queue until drain()).
    for (let w = 0; w < keys.length; w += 16) {
      await Promise.all(
        keys.slice(w, w + 16).map((key, j) =>
          ledger.record(
            {
              key,
              kind: 'unit-payment-received',
              subject: `unit#B${w + j}`,
              status: 'queued',
              recipient: `+8491${String(1_000_000 + w + j).slice(-7)}`,
              recipientMasked: '+84******000',
              text: 'Don vi B da nop 1.000 d.',
              segments: 1,
              eventId: key,
            },
            at,
          ),
        ),
      );
    }
    // Warm-up: a second's worth of other messages first, so module loading and the JIT are not in the measured window.
    const warmup = Array.from({ length: cap }, (_, i) => `bench-warmup#${cap}#${i}`);
    for (const key of warmup) {
      await ledger.record(
        {
          key,
          kind: 'unit-payment-received',
          subject: 'unit#W',
          status: 'queued',
          recipient: '+84912000000',
          recipientMasked: '+84******000',
          text: 'Don vi B da nop 1.000 d.',
          segments: 1,
          eventId: key,
        },
        at,
      );
      queue.send(JSON.stringify({ key, kind: 'unit-payment-received', segments: 1 }));
    }
    await system.drain();
    for (const key of keys) queue.send(JSON.stringify({ key, kind: 'unit-payment-received', segments: 1 }));

    const sentAt: number[] = [];
    const sent: string[] = [];
    const push = system.outbox.push.bind(system.outbox);
    system.outbox.push = (...lines) => {
      for (const line of lines) {
        // The clock the quota windows are counted on.
        sentAt.push(nowMs());
        sent.push(line.key);
      }
      return push(...lines);
    };
    const before = snapshot();
    const started = performance.now();
    await system.drain();
    const requests = since(before);
    const achieved = steadyRate(sentAt);
    const unique = new Set(sent);
    return {
      capPartsPerSecond: cap,
      messages: n,
      achievedPartsPerSecond: Math.round(achieved * 10) / 10,
      ratio: Math.round((achieved / cap) * 1000) / 1000,
      duplicates: sent.length - unique.size,
      missing: keys.filter((k) => !unique.has(k)).length,
      readsPerMessage: Math.round((requests.reads / n) * 100) / 100,
      writesPerMessage: Math.round((requests.writes / n) * 100) / 100,
      requestsByOperation: requests.byOperation,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await system.stop();
  }
}
