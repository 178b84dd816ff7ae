/**
 * The sender against DynamoDB Local, with SNS (which cannot run here)
 * mocked by aws-sdk-client-mock.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoKindControlStore } from '../../lambdas/stores/kind-control-store.ts';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import { DynamoLedgerStore } from '../../lambdas/stores/ledger-store.ts';
import { DynamoSmsQuota } from '../../lambdas/stores/rate-window-store.ts';
import { backoffSeconds } from '../../lambdas/domain/provider-errors.ts';
import type { SmsGateway } from '../../lambdas/flows/ports.ts';
import { sendQueuedMessage } from '../../lambdas/flows/sending/send.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';
import { senderDeps } from '../support/sender-deps.ts';

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
    const ledger = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 30, textDays: 30 } });
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
      controls: new DynamoKindControlStore(system.db, system.tableName('SenderSendControl')),
      quota: new DynamoSmsQuota(system.db, system.tableName('SenderSendControl'), { partsPerSecond: 100 }),
      gateway,
      now: () => new Date(),
      deadlineMs: () => Date.now() + 10_000,
      leaseSeconds: 120,
      parkedReceipts: { park: async () => undefined, take: async () => undefined },
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
    const ledger = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 30, textDays: 30 } });
    const key = `crash#${Date.now()}`;
    await ledger.record({ key, kind: 'test', subject: 'unit#CRASH', status: 'queued', recipient: '+84912345678', text: 'Xin chao', segments: 1, eventId: 'e1' }, new Date());
    const published: string[] = [];
    let clock = Date.now();
    const deps = (crash: boolean) => ({
      ledger: crash ? Object.assign(Object.create(ledger), { settle: async () => Promise.reject(new Error('process killed')) }) : ledger,
      controls: new DynamoKindControlStore(system.db, system.tableName('SenderSendControl')),
      quota: new DynamoSmsQuota(system.db, system.tableName('SenderSendControl'), { partsPerSecond: 100 }),
      gateway: {
        publish: async () => {
          published.push(key);
          return { messageId: `m-${published.length}` };
        },
      },
      now: () => new Date(clock),
      deadlineMs: () => Date.now() + 10_000,
      leaseSeconds: 120,
      parkedReceipts: { park: async () => undefined, take: async () => undefined },
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
    const limiters = [0, 1, 2].map(() => new DynamoSmsQuota(system.db, table, { partsPerSecond: 10, now: () => clock, sleep }));
    const sizes = [1, 2, 3, 1, 1, 2, 3, 3, 1, 2, 1, 1, 3, 2, 2, 1, 1, 1, 3, 2, 1, 1, 2, 3, 1, 1, 1, 2, 2, 1];

    // Act
    await Promise.all(
      sizes.map(async (parts, i) => {
        const ok = await limiters[i % 3]!.acquire(parts, Number.POSITIVE_INFINITY);
        if (ok) granted.push({ second: Math.floor(clock / 1000), parts });
      }),
    );

    // Assess: every message got a slot, all parts are counted, and no second holds more than the cap. A sender leases
    // the parts of a second before handing them out; a lease that comes back after its second ended is not used, so
    // the items may count a few parts more than were handed out, never fewer.
    expect(granted).toHaveLength(sizes.length);
    const start = Math.floor(Date.UTC(2030, 0, 1, 1) / 1000);
    const windows = (await system.scan<{ pk: string; used: number }>('SenderSendControl')).filter((w) => {
      const second = Number(w.pk.split('#')[1]);
      return w.pk.startsWith('sms-rate#') && second >= start && second < start + 86_400;
    });
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(windows.reduce((n, w) => n + w.used, 0)).toBeGreaterThanOrEqual(total);
    expect(Math.max(...windows.map((w) => w.used))).toBeLessThanOrEqual(10);
    expect(windows.length).toBeGreaterThanOrEqual(Math.ceil(total / 10));
  });

  it('counts a message as its parts (SPEC rule 9): with 4 parts a second, a 3-part and a 2-part message go in different seconds, two 2-part messages in the same one', async () => {
    // Prepare: the sender on the real quota (a cap of 4 parts a second) and a clock that moves only when the quota makes it wait
    const ledger = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 30, textDays: 30 } });
    // Concatenated parts hold 153 characters each: 161 characters make 2 parts, 307 make 3
    const textOf = (parts: number) => 'x'.repeat({ 2: 161, 3: 307 }[parts]!);
    /** Sends messages of these sizes one after the other from `start`; returns [parts, second after start] of each SMS handed to the provider. */
    const sendInTurn = async (start: number, sizes: number[]) => {
      let clock = start;
      const handedOver: Array<[number, number]> = [];
      const deps = senderDeps(system, ledger, {
        quota: new DynamoSmsQuota(system.db, system.tableName('SenderSendControl'), {
          partsPerSecond: 4,
          now: () => clock,
          sleep: async (ms) => {
            clock += ms;
          },
        }),
        gateway: {
          publish: async (sms) => {
            handedOver.push([sms.segments, Math.floor(clock / 1000) - start / 1000]);
            return { messageId: `m-${sms.key}` };
          },
        },
        now: () => new Date(clock),
        deadlineMs: () => clock + 10_000,
      });
      for (const [i, parts] of sizes.entries()) {
        const key = `parts#${start}#${i}`;
        await ledger.record(
          { key, kind: 'test', subject: 'unit#PARTS', status: 'queued', recipient: '+84912345678', text: textOf(parts), segments: parts, eventId: `e-${i}` },
          new Date(clock),
        );
        expect(await sendQueuedMessage(key, deps)).toMatchObject({ outcome: 'sent', segments: parts });
      }
      return handedOver;
    };
    const usedIn = async (start: number) => {
      const windows = await system.scan<{ pk: string; used: number }>('SenderSendControl');
      return [0, 1].map((s) => windows.find((w) => w.pk === `sms-rate#${start / 1000 + s}`)?.used ?? 0);
    };
    // Two fresh stretches of time, far from every other test's seconds
    const first = Date.UTC(2032, 0, 1, 1, 0, 0);
    const second = Date.UTC(2033, 0, 1, 1, 0, 0);

    // Act
    const threeThenTwo = await sendInTurn(first, [3, 2]);
    const twoThenTwo = await sendInTurn(second, [2, 2]);

    // Assess: 3 + 2 parts do not fit in 4, so the second message waits for the next second; 2 + 2 do
    expect(threeThenTwo).toEqual([
      [3, 0],
      [2, 1],
    ]);
    expect(twoThenTwo).toEqual([
      [2, 0],
      [2, 0],
    ]);
    expect(await usedIn(first)).toEqual([3, 2]);
    expect(await usedIn(second)).toEqual([4, 0]);
  });

  it('gives up before the deadline instead of waiting past it', async () => {
    let clock = Date.UTC(2031, 0, 1);
    const limiter = new DynamoSmsQuota(system.db, system.tableName('SenderSendControl'), {
      partsPerSecond: 2,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });

    expect(await limiter.acquire(2, clock + 5_000)).toBe(true);
    expect(await limiter.acquire(2, clock + 500)).toBe(false);
  });
});
