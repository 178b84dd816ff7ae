/**
 * Delivery receipts and test numbers: statuses move forward only, receipts
 * that come twice, out of order or before the ledger row are not lost, and
 * test numbers never reach SNS.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import { DynamoLedgerStore } from '../../lambdas/stores/ledger-store.ts';
import { sendQueuedMessage } from '../../lambdas/flows/sending/send.ts';
import { applyReceiptLines } from '../../lambdas/flows/receipts/apply-receipt.ts';
import { logLines } from '../../lambdas/functions/receipts/handler.ts';
import { DynamoParkedReceiptStore } from '../../lambdas/stores/parked-receipt-store.ts';
import { parseReceipt } from '../../lambdas/domain/receipts.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';
import { senderDeps } from '../support/sender-deps.ts';

const line = (providerMessageId: string, status: 'SUCCESS' | 'FAILURE', providerResponse: string) =>
  JSON.stringify({
    notification: { messageId: providerMessageId, timestamp: '2018-12-03 02:00:00.000' },
    delivery: { destination: '+84912345678', priceInUSD: 0.0473, smsType: 'Transactional', providerResponse },
    status,
  });
const logBatch = (...messages: string[]): CloudWatchLogsEvent => ({
  awslogs: { data: gzipSync(JSON.stringify({ logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 0, message })) })).toString('base64') },
});

let system: LocalSystem;
let ledger: DynamoLedgerStore;
let parkedReceipts: DynamoParkedReceiptStore;
/** What the receipts function does with a subscription delivery: decode it, apply each line. */
const applyLogBatch = async (event: CloudWatchLogsEvent) => (await applyReceiptLines(logLines(event), { ledger, parkedReceipts })).counts;
beforeAll(async () => {
  system = await startLocalSystem({ recurringSchedules: false });
  ledger = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 30, textDays: 30 } });
  parkedReceipts = new DynamoParkedReceiptStore(system.db, system.tableName('SenderSendControl'));
});
afterAll(async () => system?.stop());

let n = 0;
async function sentMessage(): Promise<{ key: string; pmid: string }> {
  n += 1;
  const key = `receipt-test#${n}`;
  const pmid = `sns-${n}`;
  await ledger.record({ key, kind: 'test', subject: 'unit#X', status: 'queued', recipient: '+84912345678', text: 'Xin chao', segments: 1, eventId: 'e' }, new Date());
  const item = await ledger.claim(key, 'token', new Date(), 120);
  await ledger.settle(key, item!.claimToken!, new Date(), { status: 'sent', providerMessageId: pmid });
  return { key, pmid };
}
const status = async (key: string) => (await ledger.get(key))?.status;

describe('reading receipts', () => {
  it.each([
    ['SUCCESS', 'Message has been accepted by phone carrier', 'delivered'],
    ['FAILURE', 'Phone is currently unreachable/unavailable', 'temporary-failure'],
    ['FAILURE', 'Unknown error attempting to reach phone', 'temporary-failure'],
    ['FAILURE', 'Phone carrier has blocked this message', 'permanent-failure'],
    ['FAILURE', 'This phone number is opted out', 'permanent-failure'],
  ] as const)('%s "%s" → %s', (s, response, expected) => {
    expect(parseReceipt(line('m-1', s, response))).toMatchObject({ providerMessageId: 'm-1', status: expected, providerResponse: response, priceInUSD: 0.0473 });
  });

  it('ignores lines that are not receipts', () => {
    expect(parseReceipt('not json')).toBeUndefined();
    expect(parseReceipt('{"status":"SUCCESS"}')).toBeUndefined();
  });
});

describe('applying receipts', () => {
  it('marks a sent message delivered with the carrier response and price; a repeat changes nothing', async () => {
    const { key, pmid } = await sentMessage();
    const first = await applyLogBatch(logBatch(line(pmid, 'SUCCESS', 'Message has been accepted by phone carrier')));
    const again = await applyLogBatch(logBatch(line(pmid, 'SUCCESS', 'Message has been accepted by phone carrier')));

    expect(first).toMatchObject({ applied: 1 });
    expect(again).toMatchObject({ applied: 0, unchanged: 1 });
    expect(await ledger.get(key)).toMatchObject({ status: 'delivered', providerResponse: 'Message has been accepted by phone carrier', priceInUSD: 0.0473 });
  });

  it('never moves a message backwards: delivered stays delivered; a temporary failure can still become delivered', async () => {
    const a = await sentMessage();
    await applyLogBatch(logBatch(line(a.pmid, 'SUCCESS', 'ok'), line(a.pmid, 'FAILURE', 'Phone is currently unreachable/unavailable')));
    const b = await sentMessage();
    await applyLogBatch(logBatch(line(b.pmid, 'FAILURE', 'Phone is currently unreachable/unavailable')));
    const between = await status(b.key);
    await applyLogBatch(logBatch(line(b.pmid, 'SUCCESS', 'ok')));

    expect(await status(a.key)).toBe('delivered');
    expect(between).toBe('temporary-failure');
    expect(await status(b.key)).toBe('delivered');
  });

  it('keeps a receipt that arrives before its message is recorded as sent, and the sender applies it', async () => {
    // Prepare: the receipt comes first
    const parked = await applyLogBatch(logBatch(line('sns-early', 'SUCCESS', 'ok')));
    const key = 'receipt-test#early';
    await ledger.record({ key, kind: 'test', subject: 'unit#X', status: 'queued', recipient: '+84912345678', text: 'Xin chao', segments: 1, eventId: 'e' }, new Date());

    // Act: the sender publishes (SNS answers with that id) and records `sent`
    const receipts = new DynamoParkedReceiptStore(system.db, system.tableName('SenderSendControl'));
    await sendQueuedMessage(key, senderDeps(system, ledger, { gateway: { publish: async () => ({ messageId: 'sns-early' }) }, parkedReceipts: receipts }));

    // Assess
    expect(parked).toMatchObject({ parked: 1 });
    expect(await status(key)).toBe('delivered');
    expect(await receipts.take('sns-early')).toBeUndefined();
  });
});

describe('test numbers', () => {
  beforeEach(() => {
    system.outbox.length = 0;
  });

  it('never reach the SMS provider and end delivered, permanent-failure and temporary-failure', async () => {
    for (const [i, phone] of ['0900000001', '0900000002', '0900000003'].entries()) {
      await system.putEvents([entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: `TEST-${i + 1}`, phone })]);
    }
    await system.drain();

    const items = (await system.scan<LedgerItem>('Ledger')).filter((m) => m.key.includes('#TEST-') && !m.key.startsWith('content#')).sort((a, b) => a.key.localeCompare(b.key));
    expect(items.map((m) => [m.status, m.providerMessageId?.startsWith('test-')])).toEqual([
      ['delivered', true],
      ['permanent-failure', true],
      ['temporary-failure', true],
    ]);
    expect(system.outbox).toEqual([]);
  });
});
