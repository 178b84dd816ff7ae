/**
 * VssID accounts and OTP: messages that carry a password or a one-time code.
 * The secret reaches the SMS and nothing else: not the ledger, not a log line,
 * not an execution history, not the quarantine.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import { renderSms } from '../../lambdas/domain/templates.ts';
import { now } from '../../lambdas/runtime/clock.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails, SEED } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';

const PASSWORD = 'Kp7#q2Zx';
const OTP = '482913';
const logLines: string[] = [];
/** For each OTP handed to the provider: how many events in the intake queue the intake function had not taken yet. */
const unreadByIntakeWhenOtpSent: number[] = [];
let system: LocalSystem;

beforeAll(async () => {
  // A quota that lets the 60-message backlog of the OTP test drain in about a second.
  system = await startLocalSystem({
    // Every log line the handlers write, at the most talkative level, is kept for inspection (and not printed).
    logLevel: 'DEBUG',
    instrumentation: { onLog: (_entry, line) => logLines.push(line) },
    context: { 'bhxh:smsPartsPerSecond': 100 },
    onSms: (line) => {
      if (line.kind === 'otp') unreadByIntakeWhenOtpSent.push(system.queueByLogicalPrefix('EventIntakeIntakeQueue').messages.filter((m) => m.receiveCount === 0).length);
    },
  });
  await system.putEvents([entry('ContactUpdated', { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: '0912345678', gender: 'female' })]);
  await system.drain();
});
afterAll(async () => {
  await system?.stop();
});
beforeEach(() => {
  system.outbox.length = 0;
});

async function publish(...entries: ReturnType<typeof entry>[]) {
  for (const e of entries) {
    await system.putEvents([e]);
    await system.drain();
  }
}
const ledger = () => system.scan<LedgerItem>('Ledger');

describe('VssID e-transaction accounts', () => {
  it('approved: the login name and first password by SMS; the ledger keeps the text with the password masked', async () => {
    await publish(entry('EAccountRegistrationReviewed', { ...sampleDetails.EAccountRegistrationReviewed, temporaryPassword: PASSWORD }));

    expect(system.outbox).toEqual([
      expect.objectContaining({
        kind: 'account-approved',
        to: '+84912345678',
        text: `Tai khoan giao dich dien tu BHXH cua Dang Thi Thu Hoai da duoc phe duyet. Ten dang nhap: ${SEED.personId}, mat khau: ${PASSWORD}. De nghi doi mat khau khi dang nhap lan dau.`,
      }),
    ]);
    const item = (await ledger()).find((m) => m.kind === 'account-approved');
    expect(item).toMatchObject({ status: 'delivered', hasSecret: true });
    const content = (await ledger()).find((m) => m.key === `content#${item!.key}`) as unknown as { text: string };
    expect(content.text).toContain('mat khau: ********.');
    expect(content.text).not.toContain(PASSWORD);
  });

  it('not approved: the reason by SMS', async () => {
    await publish(
      entry('EAccountRegistrationReviewed', { registrationId: 'REG-2', personId: SEED.personId, fullName: SEED.fullName, approved: false, reason: 'ảnh chân dung không rõ' }),
    );

    expect(system.outbox.map((l) => l.text)).toEqual(['Dang ky giao dich dien tu voi co quan BHXH cua Dang Thi Thu Hoai chua duoc phe duyet do anh chan dung khong ro.']);
  });
});

describe('OTP', () => {
  it('skips the backlog: its own intake and send queues put it ahead of 60 waiting events', async () => {
    // Prepare: a burst of 60 payments is waiting in the intake queue
    const sendQueue = system.queueByLogicalPrefix('SenderSendQueue');
    for (let i = 0; i < 60; i++) {
      await system.putEvents([entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: `BACKLOG-${i}`, phone: '0912000111' })]);
    }
    expect(system.queueByLogicalPrefix('EventIntakeIntakeQueue').messages).toHaveLength(60);

    // Act
    const expiresAt = new Date(now().getTime() + 300_000).toISOString();
    await system.putEvents([entry('OtpIssued', { ...sampleDetails.OtpIssued, code: OTP, expiresAt })]);
    await system.drain();

    // Assess: everything was sent, and the OTP did not queue behind the backlog: when it reached the provider, the
    // intake had not yet even taken some of the payments published before it (in arrival order it would have been last)
    expect(system.outbox).toHaveLength(61);
    expect(sendQueue.messages).toHaveLength(0);
    expect(unreadByIntakeWhenOtpSent).toHaveLength(1);
    expect(unreadByIntakeWhenOtpSent[0]).toBeGreaterThan(0);
    // The code stands exactly where the template puts it, in the text the template renders
    const otp = system.outbox.filter((l) => l.kind === 'otp');
    expect(otp.map((l) => l.text)).toEqual([renderSms('otp', { code: OTP, purpose: 'device-login', expiresAt }).text]);
  });

  it('is recorded as expired, not sent, when it cannot reach SNS before it expires', async () => {
    await publish(entry('OtpIssued', { ...sampleDetails.OtpIssued, code: '111222', purpose: 'password-change', expiresAt: new Date(now().getTime() - 1000).toISOString() }));

    expect(system.outbox).toEqual([]);
    expect((await ledger()).find((m) => m.kind === 'otp' && m.key.includes('password-change'))).toMatchObject({ status: 'expired' });
  });

  it('is redacted in the quarantine when the event is refused', async () => {
    const quarantine = system.queueByLogicalPrefix('EventIntakeQuarantine');
    const before = quarantine.messages.length;

    await publish(entry('OtpIssued', { ...sampleDetails.OtpIssued, code: '733931', purpose: 'sms-login' }));

    const kept = quarantine.messages.slice(before);
    expect(kept).toHaveLength(1);
    expect(JSON.parse(kept[0]!.body).detail).toMatchObject({ code: '[redacted]', purpose: 'sms-login' });
    expect(kept[0]!.body).not.toContain('733931');
  });
});

describe('where secrets must not be', () => {
  it('finds no password or code in the ledger, the logs, the execution histories or the quarantine', async () => {
    const secrets = [PASSWORD, OTP, '111222', '733931'];
    const places = {
      ledger: JSON.stringify(await ledger()),
      logs: logLines.join(''),
      executions: JSON.stringify([...system.executions.values()].map((e) => e.history)),
      quarantine: JSON.stringify(system.queueByLogicalPrefix('EventIntakeQuarantine').messages),
    };
    // The logs were really captured (handlers logged at DEBUG), so an empty search proves something.
    expect(places.logs).toContain('"message":"event handled"');
    for (const [place, text] of Object.entries(places)) {
      for (const secret of secrets) expect(text.includes(secret), `${secret} found in ${place}`).toBe(false);
    }
  });
});
