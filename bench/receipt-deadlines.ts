/**
 * The per-key cost of the 72-hour check, which sizes the receipt-deadlines
 * function's timeout (lib/delivery-receipts.ts): `n` sent messages without a
 * receipt are loaded into the ledger (DynamoDB Local), then one run of the
 * check marks them all, paging the index and updating 16 at a time as the
 * function does, and once more one at a time (what the intake used to do).
 *
 *   node --import tsx bench/receipt-deadlines.ts [n]     (default 5,000)
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { markUnreceipted, KEYS_PER_RUN } from '../lambdas/flows/receipts/deadlines.ts';
import { DynamoLedgerStore } from '../lambdas/stores/ledger-store.ts';
import { LocalSystem } from '../local/runtime.ts';

const n = Number(process.argv[2] ?? 5_000);
const sentAt = new Date('2018-12-03T09:00:00+07:00');
const at = new Date(sentAt.getTime() + 80 * 3600_000);
const dueDay = '2018-12-06';

async function load(system: LocalSystem, prefix: string): Promise<void> {
  const items = Array.from({ length: n }, (_, i) => ({
    key: `${prefix}#${i}`,
    kind: 'unit-payment-received',
    status: 'sent',
    sentAt: sentAt.toISOString(),
    receiptDueDay: dueDay,
    history: [`${sentAt.toISOString()} sent`],
  }));
  for (let i = 0; i < items.length; i += 25) {
    await system.db.send(new BatchWriteCommand({ RequestItems: { [system.tableName('Ledger')]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

const system = await LocalSystem.start({ logLevel: 'SILENT' });
try {
  const ledger = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 400, textDays: 30 } });
  for (const [label, concurrency] of [
    ['16 in flight', 16],
    ['one at a time', 1],
  ] as const) {
    await load(system, `bench-${concurrency}`);
    const started = performance.now();
    const run = await markUnreceipted(ledger, at, { concurrency });
    const ms = performance.now() - started;
    const perKey = ms / run.marked;
    console.log(
      `${label}: ${run.marked} of ${n} marked in ${(ms / 1000).toFixed(1)} s: ${perKey.toFixed(2)} ms per key; ${KEYS_PER_RUN.toLocaleString('en')} keys ≈ ${((perKey * KEYS_PER_RUN) / 1000).toFixed(0)} s`,
    );
  }
} finally {
  await system.stop();
}
