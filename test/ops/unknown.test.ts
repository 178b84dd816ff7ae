/**
 * Operators and the messages whose outcome is unknown (handed to SNS, no
 * answer): listed, shown by `find`, released (queued again, then sent once)
 * or confirmed (recorded as sent), each with the operator's reason in the
 * message's history; never resent by the sender on its own.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import { SECRET_MASK } from '../../lambdas/domain/templates.ts';
import { vietnamDate } from '../../lambdas/domain/vietnam-time.ts';
import { sendQueuedMessage } from '../../lambdas/flows/sending/send.ts';
import { now } from '../../lambdas/runtime/clock.ts';
import { DynamoLedgerStore } from '../../lambdas/stores/ledger-store.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import * as ops from '../../ops/commands.ts';
import { main } from '../../ops/main.ts';
import { localTarget } from '../../ops/target.ts';
import { confirmUnknown, listUnknown, releaseUnknown } from '../../ops/unknown.ts';
import { startLocalSystem } from '../support/local-system.ts';
import { senderDeps } from '../support/sender-deps.ts';

let system: LocalSystem;
let ledger: DynamoLedgerStore;
let printed: string[];
let target: ops.OpsTarget;

beforeAll(async () => {
  system = await startLocalSystem();
  ledger = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 400, textDays: 30 } });
});
afterAll(async () => system?.stop());
beforeEach(() => {
  printed = [];
  target = localTarget(system, { by: 'test-operator', print: (line = '') => printed.push(line) });
  system.outbox.length = 0;
});

/** The error the SDK gives when the connection resets after the request left: no HTTP status. */
const connectionReset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', $metadata: { attempts: 1 } });

let n = 0;
/** A message SNS may or may not have taken. */
async function unknownMessage(options: { hasSecret?: boolean } = {}): Promise<string> {
  n += 1;
  const key = `unit-payment-received#QW18013#PT-UNKNOWN-${n}`;
  await ledger.record(
    {
      key,
      kind: 'unit-payment-received',
      subject: 'unit#QW18013',
      status: 'queued',
      recipient: '+84912345678',
      recipientMasked: '+84******678',
      text: options.hasSecret ? `Mat khau tam thoi: ${SECRET_MASK}` : 'Don vi QW18013 da nop 1.000 d.',
      segments: 1,
      eventId: key,
      ...(options.hasSecret ? { hasSecret: true } : {}),
    },
    now(),
  );
  const result = await sendQueuedMessage(
    key,
    senderDeps(system, ledger, { gateway: { publish: async () => Promise.reject(connectionReset()) }, now }),
    options.hasSecret ? 'Ab3dE6gh' : undefined,
  );
  expect(result.outcome).toBe('unknown');
  return key;
}
const item = async (key: string) => (await ledger.get(key)) as LedgerItem;

describe('messages with an unknown outcome', () => {
  it('are listed for the day, and find shows the status', async () => {
    // Prepare
    const key = await unknownMessage();

    // Act
    const listed = await listUnknown(target, { date: vietnamDate(now()), days: 1 });
    await ops.findByKey(target, key);

    // Assess
    expect(listed.map((m) => m.key)).toContain(key);
    expect(printed.join('\n')).toContain(`+84******678  unit-payment-received    ${key}`);
    expect(printed.join('\n')).toMatch(/status unknown \(no answer from the provider: .*ECONNRESET|status unknown \(no answer from the provider: .*socket hang up/);
  });

  it('released: queued again with the reason in its history, then sent once, and no longer listed', async () => {
    // Prepare
    const key = await unknownMessage();

    // Act
    await releaseUnknown(target, key, 'no SNS delivery log for it, ticket 812');

    // Assess
    const released = await item(key);
    // Sent, and the outbox's receipt may have come already
    expect(['sent', 'delivered']).toContain(released.status);
    expect(released.unknownDay).toBeUndefined();
    expect(released.history?.join('\n')).toMatch(/queued: released from unknown: by test-operator: no SNS delivery log for it, ticket 812/);
    expect(system.outbox.filter((line) => line.key === key)).toHaveLength(1);
    expect((await listUnknown(target, { date: vietnamDate(now()), days: 1 })).map((m) => m.key)).not.toContain(key);
  });

  it('confirmed: recorded as sent when it was handed over, with the SNS message id and the reason, and not sent again', async () => {
    // Prepare
    const key = await unknownMessage();
    const handedOver = (await item(key)).updatedAt;

    // Act
    await confirmUnknown(target, key, 'delivered per SNS log, ticket 813', 'sns-from-the-log');

    // Assess
    const confirmed = await item(key);
    expect(confirmed).toMatchObject({ status: 'sent', sentAt: handedOver, providerMessageId: 'sns-from-the-log' });
    expect(confirmed.unknownDay).toBeUndefined();
    expect(confirmed.history?.at(-1)).toMatch(/sent: confirmed from unknown: by test-operator: delivered per SNS log, ticket 813/);
    expect(system.outbox).toHaveLength(0);
  });

  it('the CLI names the commands', async () => {
    const lines: string[] = [];

    expect(await main(['--help'], (line = '') => lines.push(line))).toBe(0);

    expect(lines.join('\n')).toMatch(/unknown release <key> --reason TEXT/);
    expect(lines.join('\n')).toMatch(/unknown confirm <key> --reason TEXT \[--provider-id ID\]/);
  });

  it('refuses to release a message that carried a password (never stored), one that is not unknown, and one without a reason', async () => {
    const withSecret = await unknownMessage({ hasSecret: true });
    const plain = await unknownMessage();
    await confirmUnknown(target, plain, 'delivered per SNS log');

    await expect(releaseUnknown(target, withSecret, 'no SNS delivery log for it')).rejects.toThrow(/password or code/);
    await expect(releaseUnknown(target, plain, 'no SNS delivery log for it')).rejects.toThrow(/is sent, not unknown/);
    await expect(confirmUnknown(target, withSecret, 'ok')).rejects.toThrow(/say why/);
    expect((await item(withSecret)).status).toBe('unknown');
  });
});
