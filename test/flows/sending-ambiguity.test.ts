/**
 * Duplicates from ambiguity: SNS takes the SMS but its answer never comes
 * back. The real SNS client (as the sender builds it, lambdas/aws/clients.ts)
 * talks to a local HTTP server that reads each Publish and then cuts the
 * connection, answers with an HTTP error, or is not there at all.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { SnsSmsGateway } from '../../lambdas/aws/sns-gateway.ts';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import { vietnamDate } from '../../lambdas/domain/vietnam-time.ts';
import { sendQueuedMessage } from '../../lambdas/flows/sending/send.ts';
import { DynamoKindControlStore } from '../../lambdas/stores/kind-control-store.ts';
import { DynamoLedgerStore } from '../../lambdas/stores/ledger-store.ts';
import { DynamoUnknownOutcomes } from '../../lambdas/stores/unknown-outcome-store.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { startLocalSystem } from '../support/local-system.ts';
import { senderDeps } from '../support/sender-deps.ts';

type Answer = 'cut' | 'hang' | 'http-500' | 'ok';
let answer: Answer = 'cut';
let publishes = 0;
let server: Server;
const sockets = new Set<Socket>();
let system: LocalSystem;
let ledger: DynamoLedgerStore;
const gateway = new SnsSmsGateway({ senderId: 'BHXHVN', smsType: 'Transactional' });

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      publishes += 1;
      // SNS received the whole request; what comes back depends on the case.
      if (answer === 'cut') request.socket.destroy();
      else if (answer === 'hang') return;
      else if (answer === 'http-500') response.writeHead(500, { 'content-type': 'text/xml' }).end('<ErrorResponse><Error><Code>InternalError</Code></Error></ErrorResponse>');
      else
        response
          .writeHead(200, { 'content-type': 'text/xml' })
          .end('<PublishResponse><PublishResult><MessageId>sns-ok</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The sender's own SNS client, created on first use, goes to this server.
  process.env.AWS_ENDPOINT_URL_SNS = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  system = await startLocalSystem({ sms: 'sns' });
  ledger = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 30, textDays: 30 } });
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_SNS;
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server?.close(resolve));
  await system?.stop();
});
beforeEach(() => {
  publishes = 0;
});

let n = 0;
async function queued(kind = 'unit-payment-received'): Promise<string> {
  n += 1;
  const key = `ambiguity#${n}`;
  await ledger.record({ key, kind, subject: 'unit#AMB', status: 'queued', recipient: '+84912345678', text: 'Mat khau tam thoi: ********', segments: 1, eventId: key }, new Date());
  return key;
}
const item = async (key: string) => (await ledger.get(key)) as LedgerItem;

describe('an SMS whose answer is lost', () => {
  it('is published once (no SDK retry), recorded as unknown, and not sent again when the queue redelivers it', async () => {
    // Prepare: SNS reads the Publish, then the connection drops before any answer
    answer = 'cut';
    const key = await queued();
    const deps = senderDeps(system, ledger, { gateway });

    // Act: the first try, then the queue's redelivery of the same message
    const first = await sendQueuedMessage(key, deps);
    const redelivered = await sendQueuedMessage(key, deps);

    // Assess
    expect(publishes).toBe(1);
    expect(first).toMatchObject({ outcome: 'unknown' });
    expect(redelivered).toEqual({ outcome: 'not-pending', status: 'unknown' });
    const settled = await item(key);
    expect(settled).toMatchObject({ status: 'unknown', unknownDay: vietnamDate(new Date()), reason: expect.stringContaining('no answer from the provider') });
    expect(settled.history?.at(-1)).toMatch(/ unknown: no answer from the provider/);
  });

  it('is cut off and recorded as unknown when SNS never answers, before the function would be stopped mid-call', async () => {
    // Prepare: SNS reads the Publish and never answers (the client gives up after its request timeout)
    answer = 'hang';
    const key = await queued();

    // Act
    const result = await sendQueuedMessage(key, senderDeps(system, ledger, { gateway }));

    // Assess
    expect(publishes).toBe(1);
    expect(result).toMatchObject({ outcome: 'unknown', reason: expect.stringContaining('TimeoutError') });
    expect(await item(key)).toMatchObject({ status: 'unknown' });
  }, 15_000);

  it('is listed for operators under the day it became unknown', async () => {
    // Prepare
    answer = 'cut';
    const key = await queued();

    // Act
    await sendQueuedMessage(key, senderDeps(system, ledger, { gateway }));

    // Assess
    const listed: string[] = [];
    for await (const k of new DynamoUnknownOutcomes(system.db, system.tableName('Ledger')).keysOn(vietnamDate(new Date()))) listed.push(k);
    expect(listed).toContain(key);
  });

  it('still counts against the daily ceiling (SNS may have taken it)', async () => {
    answer = 'cut';
    const kind = 'ambiguity-counted';
    const controls = new DynamoKindControlStore(system.db, system.tableName('SenderSendControl'));
    const key = await queued(kind);

    await sendQueuedMessage(key, senderDeps(system, ledger, { gateway }));

    expect(await controls.countOn(kind, vietnamDate(new Date()))).toBe(1);
  });
});

describe('an SMS SNS answered, or never received', () => {
  it('an HTTP 5xx is SNS saying no: given back for a later try, published once per try', async () => {
    answer = 'http-500';
    const key = await queued();

    const result = await sendQueuedMessage(key, senderDeps(system, ledger, { gateway }));

    expect(publishes).toBe(1);
    expect(result).toMatchObject({ outcome: 'retry' });
    expect(await item(key)).toMatchObject({ status: 'queued' });
  });

  it('a refused connection never reached SNS: given back for a later try', async () => {
    // Prepare: the error the SDK gives when nothing listens (no HTTP status, code ECONNREFUSED)
    const refusing = { publish: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', $metadata: {} })) };
    const key = await queued();

    const result = await sendQueuedMessage(key, senderDeps(system, ledger, { gateway: refusing }));

    expect(result).toMatchObject({ outcome: 'retry' });
    expect(await item(key)).toMatchObject({ status: 'queued' });
  });

  it('a normal answer is sent', async () => {
    answer = 'ok';
    const key = await queued();

    const result = await sendQueuedMessage(key, senderDeps(system, ledger, { gateway }));

    expect(publishes).toBe(1);
    expect(result).toMatchObject({ outcome: 'sent', providerMessageId: 'sns-ok' });
  });
});

describe('the daily ceiling', () => {
  it('counts a message throttled four times and then sent as one message, not five attempts', async () => {
    // Prepare: SNS (mocked here) throttles four times, then takes the message
    const sns = mockClient(SNSClient);
    const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException', $metadata: { httpStatusCode: 400 } });
    sns.on(PublishCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ MessageId: 'sns-5' });
    const kind = 'ceiling-counts-messages';
    const controls = new DynamoKindControlStore(system.db, system.tableName('SenderSendControl'));
    const key = await queued(kind);
    const deps = senderDeps(system, ledger, { gateway });

    // Act: the queue hands it back after each throttle
    const outcomes: string[] = [];
    try {
      for (let attempt = 0; attempt < 5; attempt++) outcomes.push((await sendQueuedMessage(key, deps)).outcome);
    } finally {
      sns.restore();
    }

    // Assess
    expect(outcomes).toEqual(['retry', 'retry', 'retry', 'retry', 'sent']);
    expect(await controls.countOn(kind, vietnamDate(new Date()))).toBe(1);
  });
});
