/**
 * The e-registration lifecycle's rules (seed 002): the deadline, the wake-ups,
 * the execution names, and the three messages with their keys and their size
 * at the schemas' widest.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRegistrationDeleted, planRegistrationReceived, planRegistrationReminder, renderPlan } from '../../lambdas/domain/messages.ts';
import { deletionDueAt, receivedSkip, registrationExecutionName, reminderDueAt, reminderSkip, submissionDeadline, wakeInSeconds } from '../../lambdas/domain/registrations.ts';
import { detailSchemas } from '../../lambdas/domain/schemas.ts';
import { BRAND_PREFIX, renderSms } from '../../lambdas/domain/templates.ts';
import { sampleDetails } from '../support/events.ts';

const QUIET = { start: '07:00', end: '21:00' };
const address = { registrationId: 'DK-2020-000417', personId: '0113096123', deadline: '2020-12-04', phone: '0912345678', email: 'hoai.dang@example.vn' };

describe('deadline and wake-ups', () => {
  it.each([
    ['2020-11-24T09:00:00+07:00', '2020-12-04'],
    // 23:30 in Vietnam is still the 24th; 01:00 on the 25th is the 25th, though UTC says the 24th.
    ['2020-11-24T23:30:00+07:00', '2020-12-04'],
    ['2020-11-24T18:00:00Z', '2020-12-05'],
    ['2020-12-25T10:00:00+07:00', '2021-01-04'],
  ])('declared at %s: to bring to an office before %s', (submittedAt, deadline) => {
    expect(submissionDeadline(submittedAt)).toBe(deadline);
  });

  it('reminds on day 7 at the hour of the declaration, deletes when the deadline day begins (Vietnam time)', () => {
    expect(reminderDueAt('2020-11-24T09:00:00+07:00').toISOString()).toBe('2020-12-01T02:00:00.000Z');
    expect(deletionDueAt('2020-12-04').toISOString()).toBe('2020-12-03T17:00:00.000Z');
  });

  it('wakes up in the sending window: a step due in quiet hours waits for 07:00; one due already runs in a second', () => {
    const now = new Date('2020-11-24T09:00:00+07:00');
    expect(wakeInSeconds(new Date('2020-12-01T09:00:00+07:00'), now, QUIET)).toBe(7 * 86_400);
    expect(wakeInSeconds(new Date('2020-12-01T22:30:00+07:00'), now, QUIET)).toBe(7 * 86_400 + 22 * 3600);
    expect(wakeInSeconds(new Date('2020-12-04T00:00:00+07:00'), now, QUIET)).toBe(9 * 86_400 + 22 * 3600);
    expect(wakeInSeconds(new Date('2020-12-04T00:00:00+07:00'), now)).toBe(9 * 86_400 + 15 * 3600);
    expect(wakeInSeconds(new Date('2020-11-20T09:00:00+07:00'), now, QUIET)).toBe(1);
  });
});

describe('a submission that reaches us late', () => {
  const r = { submittedAt: '2020-11-24T09:00:00+07:00', deadline: '2020-12-04' };
  const at = (iso: string) => new Date(iso);

  it('the received message is true until the deadline day begins', () => {
    expect(receivedSkip(r, at('2020-12-03T23:59:59+07:00'))).toBeUndefined();
    expect(receivedSkip(r, at('2020-12-04T00:00:00+07:00'))).toBe('deadline-passed');
  });

  it('the reminder goes when the citizen was told before day 7, not when the received message itself came after it', () => {
    const day7 = at('2020-12-01T09:00:00+07:00');
    expect(reminderSkip({ ...r, toldAt: '2020-11-24T02:00:00.000Z' }, day7)).toBeUndefined();
    // Told a millisecond before day 7 (a slow start): the reminder still goes.
    expect(reminderSkip({ ...r, toldAt: '2020-12-01T01:59:59.999Z' }, day7)).toBeUndefined();
    expect(reminderSkip({ ...r, toldAt: '2020-12-01T02:00:00.000Z' }, day7)).toBe('told-after-day-7');
    // Items written before toldAt existed: the reminder goes.
    expect(reminderSkip(r, day7)).toBeUndefined();
    expect(reminderSkip({ ...r, toldAt: '2020-11-24T02:00:00.000Z' }, at('2020-12-04T07:00:00+07:00'))).toBe('deadline-passed');
  });
});

describe('execution names', () => {
  const id = fc.stringMatching(/^[\x21-\x7e]{1,64}$/);

  it('are valid Step Functions names (letters, digits, - and _; at most 80) and unique (property)', () => {
    fc.assert(
      fc.property(id, id, (a, b) => {
        const name = registrationExecutionName(a);
        expect(name).toMatch(/^registration-[A-Za-z0-9_-]{1,67}$/);
        if (a !== b) expect(registrationExecutionName(b)).not.toBe(name);
      }),
    );
  });

  it('keep a readable number readable, escape the rest, and hash what would be too long', () => {
    expect(registrationExecutionName('DK-2020-000417')).toBe('registration-DK-2020-000417');
    expect(registrationExecutionName('DK_2020/1')).toBe('registration-DK__2020_2f_1');
    expect(registrationExecutionName('DK/2020/1')).not.toBe(registrationExecutionName('DK-2020-1'));
    expect(registrationExecutionName('/'.repeat(64))).toMatch(/^registration-[0-9a-f]{64}$/);
  });
});

describe('messages', () => {
  it('are keyed by the registration number, addressed to the person, by SMS and (when known) by e-mail', () => {
    for (const [plan, kind] of [
      [planRegistrationReceived(address), 'registration-received'],
      [planRegistrationReminder(address), 'registration-reminder'],
      [planRegistrationDeleted(address), 'registration-deleted'],
    ] as const) {
      expect(plan).toMatchObject({
        kind,
        key: `${kind}#DK-2020-000417`,
        subject: 'person#0113096123',
        phone: '0912345678',
        email: 'hoai.dang@example.vn',
        data: { registrationId: 'DK-2020-000417', deadline: '2020-12-04' },
      });
      expect(plan.urgent).toBeUndefined();
    }
  });

  it('name the number and the date, in Vietnamese without diacritics', () => {
    expect(renderPlan(planRegistrationReceived(address), undefined).text).toBe(
      'Co quan BHXH da nhan to khai dang ky giao dich dien tu so DK-2020-000417. De nghi mang To khai dang ky giao dich dien tu (mau 01) da ky va CCCD/ho chieu den co quan BHXH truoc ngay 04/12/2020; qua han, to khai se tu dong bi xoa.',
    );
    expect(renderPlan(planRegistrationReminder(address), undefined).text).toContain('so DK-2020-000417 chua duoc nop tai co quan BHXH');
    expect(renderPlan(planRegistrationReminder(address), undefined).text).toContain('truoc ngay 04/12/2020');
    expect(renderPlan(planRegistrationDeleted(address), undefined).text).toBe(
      'To khai dang ky giao dich dien tu so DK-2020-000417 da bi xoa do khong duoc nop tai co quan BHXH truoc ngay 04/12/2020. Neu van co nhu cau, de nghi dang ky lai.',
    );
  });

  it.each(['registration-received', 'registration-reminder', 'registration-deleted'] as const)(
    '%s fits 3 parts at the widest number the schema accepts (64 extension characters, two septets each), branded',
    (kind) => {
      // Prepare: the widest registration number, accepted by the schema
      const widest = '{'.repeat(64);
      const parsed = detailSchemas.EAccountRegistrationSubmitted.safeParse({ ...sampleDetails.EAccountRegistrationSubmitted, registrationId: widest });
      expect(parsed.success).toBe(true);

      // Act
      const sms = renderSms(kind, { registrationId: widest, deadline: '2100-12-31' }, { branded: true });

      // Assess
      expect(sms.text.startsWith(BRAND_PREFIX)).toBe(true);
      expect(sms.segments).toBeLessThanOrEqual(3);
    },
  );

  it('refuses a number the SMS cannot carry as it is: a backquote, a web address, a phone number', () => {
    for (const registrationId of ['DK`1', 'bhxh-vn.top', 'DK-0901234567', 'A'.repeat(65)]) {
      expect(detailSchemas.EAccountRegistrationSubmitted.safeParse({ ...sampleDetails.EAccountRegistrationSubmitted, registrationId }).success, registrationId).toBe(false);
    }
  });
});
