/**
 * The sender against DynamoDB Local, with SNS (which cannot run here)
 * mocked by aws-sdk-client-mock.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { KindControls } from '../lambdas/commons/kind-controls.ts';
import { Ledger, type LedgerItem } from '../lambdas/commons/ledger.ts';
import { PartsRateLimiter } from '../lambdas/sender/rate-limiter.ts';
import { backoffSeconds, sendQueuedMessage, type SmsGateway } from '../lambdas/sender/send.ts';
import type { LocalSystem } from '../local/runtime.ts';
import { entry, sampleDetails } from './support/events.ts';
import { startLocalSystem } from './support/local-system.ts';

const sns = mockClient(SNSClient);
let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem({ sms: 'sns' });
  await system.putEvents([entry('ContactUpdated', sampleDetails.ContactUpdated)]);
  await system.drain();
});
afterAll(async () => {
  sns.restore();
  await system?.stop();
});
beforeEach(() => {
  sns.reset();
});

let paymentNo = 0;
async function pay(): Promise<string> {
  paymentNo += 1;
  await system.putEvents([entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: `PT-S${paymentNo}` })]);
  await system.drain();
  return `unit-payment-received#QW18013#PT-S${paymentNo}`;
}
const item = async (key: string) => (await system.scan<LedgerItem>('Ledger')).find((m) => m.key === key)!;
const sdkError = (name: string, status: number, message = name) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('sender with SNS', () => {
  it('publishes a Transactional SMS from sender ID BHXHVN to the E.164 number', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });

    // Act
    const key = await pay();

    // Assess
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      PhoneNumber: '+84912345678',
      Message: expect.stringMatching(/^CN Vien dau khi .* da nop 10\.000\.000 d\./),
      MessageAttributes: {
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'BHXHVN' },
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      },
    });
    expect(await item(key)).toMatchObject({ status: 'sent', providerMessageId: 'sns-1', attempts: 1 });
  });

  it('retries through a stretch of throttling and sends exactly once', async () => {
    // Prepare: SNS throttles three times, then accepts
    sns
      .on(PublishCommand)
      .rejectsOnce(sdkError('ThrottledException', 400))
      .rejectsOnce(sdkError('ThrottledException', 400))
      .rejectsOnce(sdkError('InternalErrorException', 500))
      .resolves({ MessageId: 'sns-2' });

    // Act
    const key = await pay();

    // Assess
    expect(sns.commandCalls(PublishCommand)).toHaveLength(4);
    expect(await item(key)).toMatchObject({ status: 'sent', providerMessageId: 'sns-2', attempts: 4 });
  });

  it('marks a permanent refusal permanent-failure with the reason, the number masked, and does not retry', async () => {
    sns.on(PublishCommand).rejects(sdkError('InvalidParameterException', 400, 'Invalid parameter: PhoneNumber Reason: +84912345678 is not valid to publish to'));

    const key = await pay();

    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    const failed = await item(key);
    expect(failed.status).toBe('permanent-failure');
    expect(failed.reason).toContain('InvalidParameterException (HTTP 400)');
    expect(failed.reason).toContain('***678');
    expect(failed.reason).not.toContain('912345678');
  });

  it('keeps a message that SNS never accepts in the send dead-letter queue, still queued in the ledger', async () => {
    // Prepare
    sns.on(PublishCommand).rejects(sdkError('InternalErrorException', 500));
    const dlq = system.queueByLogicalPrefix('SenderSendDeadLetterQueue');
    const before = dlq.messages.length;

    // Act: drain keeps redelivering until the redrive policy moves the message
    const key = await pay();

    // Assess
    expect(dlq.messages.length).toBe(before + 1);
    expect(JSON.parse(dlq.messages.at(-1)!.body).key).toBe(key);
    expect(await item(key)).toMatchObject({ status: 'queued', reason: expect.stringContaining('InternalErrorException') });
    expect(sns.commandCalls(PublishCommand).length).toBe(10);
  });

  it('backs off exponentially, capped at 15 minutes', () => {
    expect([1, 2, 3, 4, 10, 20].map(backoffSeconds)).toEqual([5, 10, 20, 40, 900, 900]);
  });
});

describe('two senders, one message', () => {
  it('sends once when the same queue message is delivered twice or two senders race', async () => {
    // Prepare: a queued ledger item, and a gateway that counts
    const ledger = new Ledger(system.db, system.tableName('Ledger'), 30);
    const key = `race#${Date.now()}`;
    await ledger.record({ key, kind: 'test', subject: 'unit#RACE', status: 'queued', recipient: '+84912345678', text: 'Xin chao', segments: 1, eventId: 'e1' }, new Date());
    const published: string[] = [];
    const gateway: SmsGateway = {
      publish: async (sms) => {
        published.push(sms.key);
        await new Promise((r) => setTimeout(r, 20));
        return { messageId: 'm' };
      },
    };
    const deps = {
      ledger,
      controls: new KindControls(system.db, system.tableName('SenderSendControl')),
      limiter: new PartsRateLimiter(system.db, system.tableName('SenderSendControl'), { partsPerSecond: 100 }),
      gateway,
      now: () => new Date(),
      deadlineMs: () => Date.now() + 10_000,
      leaseSeconds: 120,
      parkedReceipt: async () => undefined,
    };

    // Act: three concurrent attempts, then a late redelivery
    const results = await Promise.all([sendQueuedMessage(key, deps), sendQueuedMessage(key, deps), sendQueuedMessage(key, deps)]);
    const late = await sendQueuedMessage(key, deps);

    // Assess
    expect(published).toEqual([key]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['not-pending', 'not-pending', 'sent']);
    expect(late).toEqual({ outcome: 'not-pending', status: 'sent' });
  });
});

describe('a sender that crashes after SNS accepted the message', () => {
  it('is the one at-least-once window: the message is sent again only after the lease runs out, and exactly once more', async () => {
    // Prepare: SNS accepts, then the ledger write of `sent` is lost (the process dies)
    const ledger = new Ledger(system.db, system.tableName('Ledger'), 30);
    const key = `crash#${Date.now()}`;
    await ledger.record({ key, kind: 'test', subject: 'unit#CRASH', status: 'queued', recipient: '+84912345678', text: 'Xin chao', segments: 1, eventId: 'e1' }, new Date());
    const published: string[] = [];
    let clock = Date.now();
    const deps = (crash: boolean) => ({
      ledger: crash ? Object.assign(Object.create(ledger), { settle: async () => Promise.reject(new Error('process killed')) }) : ledger,
      controls: new KindControls(system.db, system.tableName('SenderSendControl')),
      limiter: new PartsRateLimiter(system.db, system.tableName('SenderSendControl'), { partsPerSecond: 100 }),
      gateway: { publish: async () => (published.push(key), { messageId: `m-${published.length}` }) },
      now: () => new Date(clock),
      deadlineMs: () => Date.now() + 10_000,
      leaseSeconds: 120,
      parkedReceipt: async () => undefined,
    });

    // Act: the crash; SQS redelivers within the lease; then again after it
    await expect(sendQueuedMessage(key, deps(true))).rejects.toThrow('process killed');
    const withinLease = await sendQueuedMessage(key, deps(false));
    clock += 121_000;
    const afterLease = await sendQueuedMessage(key, deps(false));
    const later = await sendQueuedMessage(key, deps(false));

    // Assess: one duplicate SMS at most, and only once the lease (2 minutes) has run out
    expect(withinLease).toEqual({ outcome: 'not-pending', status: 'sending' });
    expect(afterLease).toMatchObject({ outcome: 'sent' });
    expect(later).toEqual({ outcome: 'not-pending', status: 'sent' });
    expect(published).toEqual([key, key]);
  });
});

describe('parts-per-second quota', () => {
  it('never grants more parts in one second than the cap, across concurrent senders', async () => {
    // Prepare: a fake clock that only moves when a sender waits, so the test is exact, not timed
    let clock = Date.UTC(2030, 0, 1, 1, 0, 0);
    const sleep = async (ms: number) => {
      clock += ms;
    };
    const table = system.tableName('SenderSendControl');
    const granted: Array<{ second: number; parts: number }> = [];
    const limiters = [0, 1, 2].map(() => new PartsRateLimiter(system.db, table, { partsPerSecond: 10, now: () => clock, sleep }));
    const sizes = [1, 2, 3, 1, 1, 2, 3, 3, 1, 2, 1, 1, 3, 2, 2, 1, 1, 1, 3, 2, 1, 1, 2, 3, 1, 1, 1, 2, 2, 1];

    // Act
    await Promise.all(
      sizes.map(async (parts, i) => {
        const ok = await limiters[i % 3]!.acquire(parts, Number.POSITIVE_INFINITY);
        if (ok) granted.push({ second: Math.floor(clock / 1000), parts });
      }),
    );

    // Assess: every message got a slot, all parts are counted, and no second holds more than the cap
    expect(granted).toHaveLength(sizes.length);
    const start = Math.floor(Date.UTC(2030, 0, 1, 1) / 1000);
    const windows = (await system.scan<{ pk: string; used: number }>('SenderSendControl')).filter((w) => {
      const second = Number(w.pk.split('#')[1]);
      return w.pk.startsWith('sms-rate#') && second >= start && second < start + 86_400;
    });
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(windows.reduce((n, w) => n + w.used, 0)).toBe(total);
    expect(Math.max(...windows.map((w) => w.used))).toBeLessThanOrEqual(10);
    expect(windows.length).toBeGreaterThanOrEqual(Math.ceil(total / 10));
  });

  it('gives up before the deadline instead of waiting past it', async () => {
    let clock = Date.UTC(2031, 0, 1);
    const limiter = new PartsRateLimiter(system.db, system.tableName('SenderSendControl'), { partsPerSecond: 2, now: () => clock, sleep: async (ms) => void (clock += ms) });

    expect(await limiter.acquire(2, clock + 5_000)).toBe(true);
    expect(await limiter.acquire(2, clock + 500)).toBe(false);
  });
});
