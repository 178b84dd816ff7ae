/**
 * VssID accounts and OTP: messages that carry a password or a one-time code.
 * The secret reaches the SMS and nothing else: not the ledger, not a log line,
 * not an execution history, not the quarantine.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LedgerItem } from '../lambdas/commons/ledger.ts';
import { now } from '../lambdas/commons/clock.ts';
import type { LocalSystem } from '../local/runtime.ts';
import { entry, sampleDetails, SEED } from './support/events.ts';
import { startLocalSystem } from './support/local-system.ts';

const PASSWORD = 'Kp7#q2Zx';
const OTP = '482913';
const logLines: string[] = [];
let system: LocalSystem;

beforeAll(async () => {
  // Every log line the handlers write, at the most talkative level, is kept for inspection.
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
    logLines.push(String(chunk));
    return write(chunk, ...rest);
  });
  // A quota that lets the 60-message backlog of the OTP test drain in about a second.
  system = await startLocalSystem({ logLevel: 'DEBUG', context: { 'bhxh:smsPartsPerSecond': 100 } });
  await system.putEvents([entry('ContactUpdated', { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: '0912345678', gender: 'female' })]);
  await system.drain();
});
afterAll(async () => {
  vi.restoreAllMocks();
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
    await publish(entry('EAccountRegistrationReviewed', { registrationId: 'REG-2', personId: SEED.personId, fullName: SEED.fullName, approved: false, reason: 'ảnh chân dung không rõ' }));

    expect(system.outbox.map((l) => l.text)).toEqual([
      'Dang ky giao dich dien tu voi co quan BHXH cua Dang Thi Thu Hoai chua duoc phe duyet do anh chan dung khong ro.',
    ]);
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
    await system.putEvents([entry('OtpIssued', { ...sampleDetails.OtpIssued, code: OTP, expiresAt: new Date(now().getTime() + 300_000).toISOString() })]);
    await system.drain();

    // Assess
    const position = system.outbox.findIndex((l) => l.kind === 'otp');
    expect(system.outbox).toHaveLength(61);
    expect(position).toBeGreaterThanOrEqual(0);
    expect(position).toBeLessThan(20);
    expect(system.outbox[position]?.text).toMatch(new RegExp(`^Ma OTP ${OTP} dung de dang nhap VssID tren thiet bi moi, hieu luc den \\d\\d:\\d\\d \\d\\d/\\d\\d/\\d{4}\\. Khong cung cap ma nay cho bat ky ai\\.$`));
    expect(sendQueue.messages).toHaveLength(0);
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
