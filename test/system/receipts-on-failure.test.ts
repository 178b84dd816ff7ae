/**
 * A batch of delivery receipts the receipts function cannot apply is never
 * dropped: CloudWatch Logs invokes it asynchronously, Lambda tries three
 * times, then puts the batch on the function's on-failure queue, if the
 * function's role may send there (as in AWS). An operator applies it again
 * with `npm run ops -- receipts redrive`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLedgerStore } from '../../lambdas/stores/ledger-store.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { USAGE } from '../../ops/main.ts';
import { failedReceiptsQueueUrl, listFailedReceipts, redriveFailedReceipts } from '../../ops/receipts.ts';
import { localTarget } from '../../ops/target.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';
import { freshTemplate, withoutGrant } from '../support/template-variants.ts';

const RECEIPTS = 'lambdas/functions/receipts/handler.ts';
const QUEUE = 'DeliveryReceiptsUnappliedReceipts';

/** A receipts function that fails every time (DynamoDB throttling, a bad deploy…), counting its attempts. */
function failingReceipts() {
  const attempts: unknown[] = [];
  const handler = async (event: unknown) => {
    attempts.push(event);
    const error = new Error('Rate of requests exceeds the allowed throughput');
    error.name = 'ProvisionedThroughputExceededException';
    throw error;
  };
  return { attempts, handler };
}

const ledgerOf = (system: LocalSystem) => new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 400, textDays: 30 } });
const keyOf = (paymentId: string) => `unit-payment-received#${sampleDetails.UnitPaymentReceived.unitCode}#${paymentId}`;

async function sendPayment(system: LocalSystem, paymentId: string): Promise<void> {
  await system.putEvents([entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId, phone: '0912345678' })]);
  await system.drain();
}

describe('a failed batch of receipts', () => {
  const failing = failingReceipts();
  let system: LocalSystem;
  beforeAll(async () => {
    system = await startLocalSystem({ handlerOverrides: { [RECEIPTS]: failing.handler } });
  });
  afterAll(async () => system?.stop());

  it('is tried three times, then kept on the on-failure queue, not dropped', async () => {
    // Act: the SMS is sent, its receipt batch fails every attempt
    await sendPayment(system, 'PT-RECEIPT-FAIL');

    // Assess
    expect(failing.attempts).toHaveLength(3);
    const queue = system.queueByLogicalPrefix(QUEUE);
    expect(queue.messages).toHaveLength(1);
    const record = JSON.parse(queue.messages[0]?.body ?? '{}');
    expect(record).toMatchObject({ requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 }, requestPayload: failing.attempts[0] });
    expect(system.asyncInvocationFailures).toEqual([expect.stringContaining(`kept on ${queue.arn}`)]);
    expect((await ledgerOf(system).get(keyOf('PT-RECEIPT-FAIL')))?.status).toBe('sent');
    expect(system.accessDenied).toEqual([]);
  });

  it('is listed without its lines and applied again by the ops redrive, which empties the queue', async () => {
    // Prepare
    const printed: string[] = [];
    const target = localTarget(system, { print: (line = '') => printed.push(line) });
    const url = await failedReceiptsQueueUrl({ local: system });

    // Act
    const listed = await listFailedReceipts(target, url);
    const redrive = await redriveFailedReceipts(target, url);
    const again = await redriveFailedReceipts(target, url);

    // Assess: applied once, the message delivered, nothing left; no phone number on the terminal
    expect(listed).toBe(1);
    expect(redrive).toMatchObject({ reapplied: 1, left: 0, counts: { applied: 1 } });
    expect(again).toMatchObject({ reapplied: 0, left: 0 });
    expect(system.queueByLogicalPrefix(QUEUE).messages).toHaveLength(0);
    expect((await ledgerOf(system).get(keyOf('PT-RECEIPT-FAIL')))?.status).toBe('delivered');
    expect(printed.join('\n')).not.toMatch(/912345678|0912|\+84/);
    expect(USAGE).toContain('receipts redrive');
  });
});

describe('an on-failure destination the function role may not send to', () => {
  const failing = failingReceipts();
  let system: LocalSystem;
  beforeAll(async () => {
    const template = withoutGrant(freshTemplate(), 'DeliveryReceiptsReceiptsFunctionRole', 'sqs:SendMessage');
    system = await startLocalSystem({ template, handlerOverrides: { [RECEIPTS]: failing.handler } });
  });
  afterAll(async () => system?.stop());

  it('loses the batch, as in AWS, and the refusal is reported', async () => {
    // Act
    await sendPayment(system, 'PT-RECEIPT-DENIED');

    // Assess
    expect(failing.attempts).toHaveLength(3);
    expect(system.queueByLogicalPrefix(QUEUE).messages).toHaveLength(0);
    expect(system.asyncInvocationFailures).toEqual([expect.stringContaining('dropped')]);
    expect(system.accessDenied).toEqual([expect.objectContaining({ action: 'sqs:SendMessage', resource: system.queueByLogicalPrefix(QUEUE).arn })]);
  });
});
