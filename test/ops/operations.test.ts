/**
 * Safety limits and the ops CLI against the local run: pause and resume a
 * kind (nothing dropped), the daily ceiling that pauses a runaway kind, the
 * 72-hour no-receipt rule, split retention of text and metadata, and the
 * operators' commands (find, preview, quarantine and DLQ redrive without
 * duplicates, deliberate resend).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoKindControlStore } from '../../lambdas/stores/kind-control-store.ts';
import { DynamoLedgerStore } from '../../lambdas/stores/ledger-store.ts';
import { markUnreceipted } from '../../lambdas/flows/receipts/deadlines.ts';
import { sendQueuedMessage } from '../../lambdas/flows/sending/send.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import * as ops from '../../ops/commands.ts';
import { localTarget } from '../../ops/target.ts';
import { main } from '../../ops/main.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';
import { senderDeps } from '../support/sender-deps.ts';

let system: LocalSystem;
let printed: string[];
let target: ops.OpsTarget;
let ledger: DynamoLedgerStore;

beforeAll(async () => {
  system = await startLocalSystem({ context: { 'bhxh:dailyCeilings': { 'contribution-stopped': 2 } } });
  ledger = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 400, textDays: 30 } });
});
afterAll(async () => system?.stop());
beforeEach(() => {
  printed = [];
  target = localTarget(system, { by: 'test-operator', print: (line = '') => printed.push(line) });
  system.outbox.length = 0;
});

let n = 0;
/** A payment to the unit's number, under a fresh business key. */
async function payment(phone = '0912345678'): Promise<string> {
  n += 1;
  const paymentId = `PT-OPS-${n}`;
  await system.putEvents([entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId, phone })]);
  await system.drain();
  return `unit-payment-received#${sampleDetails.UnitPaymentReceived.unitCode}#${paymentId}`;
}

async function stopped(personId: string): Promise<void> {
  await system.putEvents([entry('EmployeeContributionStopped', { ...sampleDetails.EmployeeContributionStopped, personId, phone: '0912345678' })]);
  await system.drain();
}

describe('pause and resume a kind', () => {
  it('parks the messages of a paused kind in the ledger, sends other kinds, and sends the parked ones on resume', async () => {
    // Prepare
    await ops.pause(target, 'unit-payment-received', 'wrong amounts from TST, ticket 4711');

    // Act
    const key = await payment();
    await stopped('0199000001');

    // Assess: parked, not dropped and not sent; the other kind went out
    expect(await ledger.get(key)).toMatchObject({ status: 'paused', pausedKind: 'unit-payment-received', reason: 'wrong amounts from TST, ticket 4711' });
    expect(system.outbox.map((l) => l.kind)).toEqual(['contribution-stopped']);
    await ops.status(target);
    expect(printed.join('\n')).toMatch(/unit-payment-received\s+PAUSED by test-operator at .*: wrong amounts from TST, ticket 4711/);

    // Act: resume
    const { requeued } = await ops.resume(target, 'unit-payment-received');

    // Assess: sent once, history tells the story
    expect(requeued).toBe(1);
    expect(system.outbox.map((l) => l.key)).toEqual([expect.stringContaining('contribution-stopped'), key]);
    const item = await ledger.get(key);
    expect(item?.status).toBe('delivered');
    expect(item?.pausedKind).toBeUndefined();
    expect(item?.reason).toBeUndefined();
    expect(item?.history?.map((h) => h.replace(/^\S+ /, ''))).toEqual([
      'queued',
      'paused: wrong amounts from TST, ticket 4711',
      'queued: kind resumed',
      'sent',
      expect.stringMatching(/^delivered \(receipt\)/),
    ]);
    expect((await ops.resume(target, 'unit-payment-received')).requeued).toBe(0);
  });

  it('ends a one-time code of a paused kind as expired (a secret is never parked in the ledger, nor left to go round the queue)', async () => {
    // Prepare
    await ops.pause(target, 'otp', 'carrier incident, codes delayed');
    const key = `otp-paused#${Date.now()}`;
    await ledger.record(
      { key, kind: 'otp', subject: 'person#X', status: 'queued', recipient: '+84912345678', text: 'Ma OTP ********', segments: 1, hasSecret: true, eventId: 'e' },
      new Date(),
    );

    // Act
    const outcome = await sendQueuedMessage(key, senderDeps(system, ledger), '123456');

    // Assess: not given back to the queue (it would end in the send DLQ), ended in the ledger
    expect(outcome).toEqual({ outcome: 'expired', reason: 'kind paused: a password or code cannot wait' });
    expect(await ledger.get(key)).toMatchObject({ status: 'expired', reason: 'kind paused: a password or code cannot wait' });
    await ops.resume(target, 'otp');
  });

  it('asks for a reason and a known kind', async () => {
    await expect(ops.pause(target, 'unit-payment-received', '')).rejects.toThrow(/say why/);
    await expect(ops.pause(target, 'payments', 'a reason here')).rejects.toThrow(/unknown kind "payments"; kinds are: unit-payment-received/);
  });

  it('never parks a message after its kind resumed (the park is conditional on the pause, in one transaction)', async () => {
    // Prepare: a claimed message of a kind that is not paused
    const key = `race-pause#${Date.now()}`;
    await ledger.record(
      { key, kind: 'unit-payment-received', subject: 'unit#X', status: 'queued', recipient: '+84912345678', text: 'Xin chao', segments: 1, eventId: 'e' },
      new Date(),
    );
    const claimed = await ledger.claim(key, 'token-1', new Date(), 120);

    // Act
    const parking = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), controlTableName: system.tableName('SenderSendControl') });
    const parked = await parking.holdWhilePaused(key, claimed!.claimToken!, new Date(), 'unit-payment-received', 'stale read of the pause');

    // Assess
    expect(parked).toBe(false);
    expect((await ledger.get(key))?.status).toBe('sending');
  });
});

describe('daily ceiling', () => {
  it('pauses the kind at its ceiling, keeps the rest, and lifts the ceiling for the day when an operator resumes', async () => {
    // Prepare: room for two more today
    const controls = new DynamoKindControlStore(system.db, system.tableName('SenderSendControl'));
    const ceiling = (await controls.countOn('contribution-stopped', '2018-12-03')) + 2;
    await ops.setCeiling(target, 'contribution-stopped', String(ceiling));

    // Act: three messages
    for (const id of ['0199000101', '0199000102', '0199000103']) await stopped(id);

    // Assess
    expect(system.outbox.filter((l) => l.kind === 'contribution-stopped')).toHaveLength(2);
    const third = await ledger.get('contribution-stopped#0199000103#CJKE01#2018-11');
    expect(third).toMatchObject({ status: 'paused', reason: `daily ceiling of ${ceiling} messages reached on 2018-12-03` });
    const control = await controls.get('contribution-stopped', true);
    expect(control).toMatchObject({ paused: true, pausedBy: 'ceiling' });

    // Act: the operator looks and resumes; a fourth message the same day
    await ops.resume(target, 'contribution-stopped');
    await stopped('0199000104');

    // Assess
    expect(system.outbox.filter((l) => l.kind === 'contribution-stopped')).toHaveLength(4);
    expect(printed.join('\n')).toContain('the daily ceiling is lifted for the rest of today');
  });

  it('comes from the deployment (bhxh:dailyCeilings) and can be set per kind without a deploy', async () => {
    expect(system.dailyCeilings).toEqual({ default: 500_000, 'contribution-stopped': 2 });
    await ops.setCeiling(target, 'otp', '250000');
    expect(printed.at(-1)).toBe('otp: daily ceiling 250000 messages');
    await ops.setCeiling(target, 'otp', 'default');
    expect(printed.at(-1)).toBe('otp: daily ceiling 500000 messages (the deployed setting)');
    await expect(ops.setCeiling(target, 'otp', '-3')).rejects.toThrow(/whole number/);
  });
});

describe('no receipt within 72 hours', () => {
  it('turns a sent message into a temporary failure after 72 hours, not before; a late receipt still wins', async () => {
    // Prepare: sent at T, never a receipt
    const at = new Date('2018-12-03T10:00:00+07:00');
    const key = `no-receipt#${Date.now()}`;
    await ledger.record({ key, kind: 'test', subject: 'unit#X', status: 'queued', recipient: '+84912345678', text: 'Xin chao', segments: 1, eventId: 'e' }, at);
    await ledger.claim(key, 't', at, 120);
    await ledger.settle(key, 't', at, { status: 'sent', providerMessageId: `pm-${key}` });

    // Act + Assess: at 71 hours nothing, at 73 hours a temporary failure
    await markUnreceipted(ledger, new Date(at.getTime() + 71 * 3600_000));
    expect((await ledger.get(key))?.status).toBe('sent');
    const run = await markUnreceipted(ledger, new Date(at.getTime() + 73 * 3600_000));
    expect(run.marked).toBeGreaterThanOrEqual(1);
    expect(await ledger.get(key)).toMatchObject({ status: 'temporary-failure', reason: 'no delivery receipt within 72 hours' });
    expect((await ledger.get(key))?.receiptDueDay).toBeUndefined();

    // A receipt that comes on day 4 still says delivered
    expect(await ledger.applyReceipt(key, { status: 'delivered', providerResponse: 'late', at: new Date().toISOString() })).toBe(true);
    expect((await ledger.get(key))?.status).toBe('delivered');
  });
});

describe('retention: text and number kept 30 days, metadata 400', () => {
  it('keeps the text and number apart from the metadata, and treats them as gone after the retention period', async () => {
    // Prepare
    const at = new Date('2018-12-03T10:00:00+07:00');
    const short = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 400, textDays: 30 } });
    const key = `retention#${Date.now()}`;
    await short.record(
      {
        key,
        kind: 'unit-payment-received',
        subject: 'unit#X',
        status: 'queued',
        recipient: '+84912345678',
        recipientMasked: '+84******678',
        text: 'Xin chao',
        segments: 1,
        eventId: 'e',
      },
      at,
    );

    // Assess: the metadata holds neither text nor number; each item expires on its own day
    const [metadata, content] = (await system.scan<Record<string, any>>('Ledger'))
      .filter((i) => i.key === key || i.key === `content#${key}`)
      .sort((a, b) => a.key.length - b.key.length);
    expect(Object.keys(metadata!)).not.toEqual(expect.arrayContaining(['text']));
    expect(Object.keys(metadata!)).not.toEqual(expect.arrayContaining(['recipient']));
    expect(metadata!.recipientMasked).toBe('+84******678');
    expect(metadata!.expiresAt - at.getTime() / 1000).toBe(400 * 86_400);
    expect(content!.expiresAt - at.getTime() / 1000).toBe(30 * 86_400);
    expect(await short.content(key, new Date(at.getTime() + 29 * 86_400_000))).toEqual({ text: 'Xin chao', recipient: '+84912345678' });
    expect(await short.content(key, new Date(at.getTime() + 31 * 86_400_000))).toBeUndefined();

    // Act: a message still queued past the text retention cannot be sent
    const later = new Date(at.getTime() + 31 * 86_400_000);
    const outcome = await sendQueuedMessage(key, senderDeps(system, short, { now: () => later }));
    expect(outcome).toMatchObject({ outcome: 'technical-failure', reason: expect.stringContaining('past the retention period') });

    // And the ops CLI says the text is purged
    await ops.findByKey({ ...target, now: () => later }, key);
    expect(printed).toContain('text      (purged: past the text retention period)');
  });
});

describe('ops CLI', () => {
  it('finds a message by key and by the masked number suffix, with its history', async () => {
    const key = await payment('0987 654 321');

    await ops.findByKey(target, key);
    await ops.findByPhone(target, '321', { date: '2018-12-03', days: 1 });
    await ops.findByPhone(target, '0987654320', { date: '2018-12-03', days: 1 });

    const out = printed.join('\n');
    expect(out).toContain(`key       ${key}`);
    expect(out).toContain('to        +84******321    parts 2');
    expect(out).toMatch(/history\n {2}\S+ queued\n {2}\S+ sent\n {2}\S+ delivered \(receipt\)/);
    expect(out).toMatch(new RegExp(`1 message\\(s\\) to numbers ending 321, 2018-12-03 to 2018-12-03:\\n  \\S+  \\+84\\*{6}321  unit-payment-received\\s+delivered\\s+${key}`));
    expect(out).toContain('0 message(s) to numbers ending 320 (exactly +84******320)');
    expect(out).not.toContain('0987654321');
    await expect(ops.findByKey(target, 'no-such-key')).rejects.toThrow('no message with key "no-such-key"');
  });

  it('previews a template with sample data: text, parts and cost', () => {
    const one = ops.preview(target, 'dossier-resolved');
    const two = ops.preview(target, 'unit-payment-received');
    const custom = ops.preview(target, 'dossier-resolved', '{"dossierNo": "1/2026/1"}');

    expect(one).toEqual({
      text: 'Ho so so 03085_G/2018/00604 da duoc giai quyet xong. Vui long nhan ket qua giai quyet theo hinh thuc da dang ky.',
      segments: 1,
      costUsd: 0.0473,
      brandedSegments: 1,
      brandExtraCostUsd: 0,
    });
    expect(two.segments).toBe(2);
    expect(two.costUsd).toBe(0.0946);
    expect(custom.text).toContain('Ho so so 1/2026/1 ');
    expect(() => ops.preview(target, 'dossier-resolved', 'not json')).toThrow('--data must be a JSON object');
  });

  it('lists quarantined events with their reasons and redrives them without a duplicate SMS', async () => {
    // Prepare: one bad event quarantined
    const quarantine = system.queueByLogicalPrefix('EventIntakeQuarantine');
    quarantine.messages.length = 0;
    await system.putEvents([entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: 'PT-BAD', amount: -5, phone: '0912345678' })]);
    await system.drain();

    // Act
    const listed = await ops.listQueue(target, 'quarantine');
    const { moved } = await ops.redrive(target, 'quarantine');

    // Assess: listed with reason; the redriven event is refused again, still kept, no SMS
    expect(listed).toEqual([expect.objectContaining({ reason: 'invalid-detail', errors: expect.stringContaining('detail.amount') })]);
    expect(printed.join('\n')).toContain('***678');
    expect(printed.join('\n')).not.toContain('0912345678');
    expect(moved).toBe(1);
    expect(quarantine.messages).toHaveLength(1);
    expect(system.outbox).toEqual([]);
  });

  it('redrives the send DLQ: a message still queued is sent once, a copy of a sent one sends nothing', async () => {
    // Prepare: two dead letters for one queued message, one for a delivered message
    const dlq = system.queueByLogicalPrefix('SenderSendDeadLetterQueue');
    const queuedKey = `dlq#${Date.now()}`;
    await ledger.record(
      { key: queuedKey, kind: 'unit-payment-received', subject: 'unit#X', status: 'queued', recipient: '+84912345678', text: 'Xin chao', segments: 1, eventId: 'e' },
      new Date(),
    );
    const sentKey = await payment();
    system.outbox.length = 0;
    for (const key of [queuedKey, queuedKey, sentKey]) dlq.send(JSON.stringify({ key, kind: 'unit-payment-received', segments: 1 }));

    // Act
    await ops.listQueue(target, 'dlq');
    const { moved } = await ops.redrive(target, 'dlq');

    // Assess
    expect(moved).toBe(3);
    expect(dlq.messages).toHaveLength(0);
    expect(system.outbox.map((l) => l.key)).toEqual([queuedKey]);
    expect((await ledger.get(sentKey))?.attempts).toBe(1);
  });

  it('resends one message on purpose, recording the reason on both, and refuses what cannot be resent', async () => {
    // Prepare
    const key = await payment();
    system.outbox.length = 0;

    // Act
    const resendKey = await ops.resend(target, key, 'citizen called the hotline: phone was off');

    // Assess
    expect(resendKey).toBe(`${key}#resend-1`);
    expect(system.outbox.map((l) => [l.key, l.to])).toEqual([[resendKey, '+84912345678']]);
    expect(await ledger.get(resendKey)).toMatchObject({ status: 'delivered', resendOf: key, resendReason: 'resent by test-operator: citizen called the hotline: phone was off' });
    const original = await ledger.get(key);
    expect(original?.resends).toEqual([resendKey]);
    expect(original?.history?.at(-1)).toMatch(/resent as .*#resend-1: test-operator: citizen called the hotline/);
    await expect(ops.resend(target, key, '')).rejects.toThrow(/say why/);
    expect(await ops.resend(target, key, 'second call, still nothing')).toBe(`${key}#resend-2`);
  });

  it('refuses to resend a message that carried a password', async () => {
    const key = `secret#${Date.now()}`;
    await ledger.record(
      { key, kind: 'temporary-password', subject: 'person#X', status: 'queued', recipient: '+84912345678', text: 'Mat khau ********', segments: 1, hasSecret: true, eventId: 'e' },
      new Date(),
    );
    await ledger.claim(key, 't', new Date(), 120);
    await ledger.settle(key, 't', new Date(), { status: 'sent', providerMessageId: `pm-${key}` });
    await expect(ops.resend(target, key, 'citizen lost it')).rejects.toThrow(/password or code, which is never stored/);
  });

  it('parses its command line: usage, unknown commands and kinds exit 2 with a clear message', async () => {
    const out: string[] = [];
    const print = (line = '') => out.push(line);
    expect(await main(['preview', 'otp'], print)).toBe(0);
    expect(out.join('\n')).toMatch(/\$ ops preview otp\ntemplate {2}otp\ntext {6}Ma OTP 482913 dung de dang nhap VssID/);
    expect(await main(['preview', 'nope'], print)).toBe(2);
    expect(out.at(-1)).toMatch(/^error: unknown kind "nope"/);
    expect(await main(['--help'], print)).toBe(0);
    expect(out.at(-1)).toContain('Usage: npm run ops --');
  });
});
