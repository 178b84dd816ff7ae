/**
 * The e-registration lifecycle (seed 002): the state machine as CDK
 * synthesizes it, executed by aws-local-stepfunctions, with the real intake
 * and step handlers against DynamoDB Local, and the outbox in place of SNS.
 * One local clock for the file: the scenes follow each other in time.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registrationExecutionName, type RegistrationItem } from '../../lambdas/domain/registrations.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails, SEED } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';

const PHONE = '0912345678';
const EMAIL = 'hoai.dang@example.vn';
const PASSWORD = String(sampleDetails.EAccountRegistrationReviewed.temporaryPassword);

let system: LocalSystem;
beforeAll(async () => {
  // Campaign runs are tested in campaigns.test.ts; their daily ticks would only slow these scenes down.
  system = await startLocalSystem({ recurringSchedules: false });
});
afterAll(async () => system?.stop());
beforeEach(() => {
  system.outbox.length = 0;
});

const submitted = (registrationId: string, submittedAt: string) =>
  entry('EAccountRegistrationSubmitted', { registrationId, personId: SEED.personId, fullName: SEED.fullName, submittedAt, phone: PHONE, email: EMAIL });
const approved = (registrationId: string) => entry('EAccountRegistrationReviewed', { ...sampleDetails.EAccountRegistrationReviewed, registrationId, phone: PHONE });

const at = (time: string, ...entries: ReturnType<typeof entry>[]) => atTime(system, time, ...entries);
const sms = () => system.outbox.filter((l) => l.channel === 'sms');
/** The kinds sent, of one registration when named (the lifecycles of earlier scenes go on as the clock moves). */
const kinds = (id?: string) =>
  sms()
    .filter((l) => id === undefined || l.key.endsWith(`#${id}`))
    .map((l) => l.kind);
const execution = (id: string) => [...system.executions.values()].find((e) => e.name === registrationExecutionName(id));
const registration = async (id: string) => (await system.scan<RegistrationItem>('RegistrationsRegistrationsTable')).find((r) => r.registrationId === id);
const statesEntered = (id: string) =>
  (execution(id)!.history as Array<{ type: string; state?: { name: string } }>).filter((e) => e.type === 'StateEntered').map((e) => e.state?.name);

describe('e-registration lifecycle', () => {
  it('never reviewed: received at once, the reminder on day 7, the deletion notice on day 10, each naming the number and the date', async () => {
    // Act: declared on 24/11/2020 at 09:00; the deadline is 04/12/2020
    await at('2020-11-24T09:00:00+07:00', submitted('DK-2020-000417', '2020-11-24T09:00:00+07:00'));
    const atOnce = kinds();
    await at('2020-12-01T08:59:00+07:00');
    const beforeDay7 = kinds();
    await at('2020-12-01T09:00:01+07:00');
    const onDay7 = kinds();
    await at('2020-12-04T06:59:00+07:00');
    const nightOfDay10 = kinds();
    await at('2020-12-04T07:00:01+07:00');
    await execution('DK-2020-000417')?.done;

    // Assess
    expect(atOnce).toEqual(['registration-received']);
    expect(beforeDay7).toEqual(['registration-received']);
    expect(onDay7).toEqual(['registration-received', 'registration-reminder']);
    // The deadline day begins at midnight; the notice waits for the sending window.
    expect(nightOfDay10).toEqual(['registration-received', 'registration-reminder']);
    expect(sms().map((l) => [l.kind, l.to, l.key])).toEqual([
      ['registration-received', '+84912345678', 'registration-received#DK-2020-000417'],
      ['registration-reminder', '+84912345678', 'registration-reminder#DK-2020-000417'],
      ['registration-deleted', '+84912345678', 'registration-deleted#DK-2020-000417'],
    ]);
    expect(sms()[0]?.text).toBe(
      'Co quan BHXH da nhan to khai dang ky giao dich dien tu so DK-2020-000417. De nghi mang To khai dang ky giao dich dien tu (mau 01) da ky va CCCD/ho chieu den co quan BHXH truoc ngay 04/12/2020; qua han, to khai se tu dong bi xoa.',
    );
    expect(sms()[1]?.text).toBe(
      'To khai dang ky giao dich dien tu so DK-2020-000417 chua duoc nop tai co quan BHXH. De nghi mang to khai (mau 01) da ky va CCCD/ho chieu den co quan BHXH truoc ngay 04/12/2020; qua han, to khai se tu dong bi xoa.',
    );
    expect(sms()[2]?.text).toBe(
      'To khai dang ky giao dich dien tu so DK-2020-000417 da bi xoa do khong duoc nop tai co quan BHXH truoc ngay 04/12/2020. Neu van co nhu cau, de nghi dang ky lai.',
    );
    expect(execution('DK-2020-000417')).toMatchObject({ name: 'registration-DK-2020-000417', status: 'SUCCEEDED' });
    expect(statesEntered('DK-2020-000417')).toEqual([
      'Record the registration and tell the citizen',
      'Wait for the review until day 7',
      'Remind the citizen to bring form 01',
      'Wait for the review until the deadline',
      'Tell the citizen the declaration was deleted',
      'Was the declaration deleted?',
      'Declaration deleted',
    ]);
    expect(await registration('DK-2020-000417')).toMatchObject({ status: 'deleted', deadline: '2020-12-04' });
  });

  it('its execution holds the registration number only: no name, BHXH number, phone number or e-mail address', async () => {
    // Assess: what the console shows of the execution above
    const done = execution('DK-2020-000417')!;
    expect(done.input).toEqual({ registrationId: 'DK-2020-000417' });
    const seen = JSON.stringify([done.input, done.history, done.output]);
    for (const personal of [PHONE.slice(1), SEED.personId, SEED.fullName, 'Dang Thi Thu Hoai', EMAIL, 'hoai.dang']) expect(seen).not.toContain(personal);
  });

  it('approved before day 7: the received message and the approval with its password, and neither reminder nor notice', async () => {
    // Act
    await at('2020-12-10T09:00:00+07:00', submitted('DK-2020-000500', '2020-12-10T09:00:00+07:00'));
    await at('2020-12-12T10:00:00+07:00', approved('DK-2020-000500'));
    await execution('DK-2020-000500')?.done;
    await at('2020-12-25T09:00:00+07:00');

    // Assess
    expect(kinds()).toEqual(['registration-received', 'account-approved']);
    expect(sms()[1]?.text).toContain(`mat khau: ${PASSWORD}`);
    expect(execution('DK-2020-000500')?.status).toBe('SUCCEEDED');
    expect(statesEntered('DK-2020-000500')).toEqual(['Record the registration and tell the citizen', 'Wait for the review until day 7', 'Registration reviewed']);
    // The review took the phone number and address out of the item: nothing more is sent from it.
    const reviewed = await registration('DK-2020-000500');
    expect(reviewed).toMatchObject({ status: 'reviewed', taskToken: expect.any(String) });
    expect(reviewed).not.toHaveProperty('phone');
    expect(reviewed).not.toHaveProperty('email');
  });

  it('approved after the reminder: no deletion notice', async () => {
    // Act
    await at('2021-01-04T10:00:00+07:00', submitted('DK-2021-000001', '2021-01-04T10:00:00+07:00'));
    await at('2021-01-12T09:00:00+07:00', approved('DK-2021-000001'));
    await execution('DK-2021-000001')?.done;
    await at('2021-01-20T09:00:00+07:00');

    // Assess
    expect(kinds()).toEqual(['registration-received', 'registration-reminder', 'account-approved']);
    expect(statesEntered('DK-2021-000001').slice(-2)).toEqual(['Wait for the review until the deadline', 'Registration reviewed']);
  });

  it('a reminder due in quiet hours waits for 07:00, and a review during the night spares it', async () => {
    // Prepare: declared at 22:30; the event arrives the next morning (the received message goes at once)
    await at('2021-02-01T08:00:00+07:00', submitted('DK-2021-000101', '2021-01-31T22:30:00+07:00'), submitted('DK-2021-000102', '2021-01-31T22:30:00+07:00'));

    // Act: day 7 at 22:30 is in quiet hours; one of the two is approved at 06:00
    await at('2021-02-07T22:30:01+07:00');
    const atNight = kinds();
    await at('2021-02-08T06:00:00+07:00', approved('DK-2021-000102'));
    await at('2021-02-08T07:00:01+07:00');

    // Assess
    expect(atNight).toEqual(['registration-received', 'registration-received']);
    expect(sms().map((l) => l.key)).toEqual([
      'registration-received#DK-2021-000101',
      'registration-received#DK-2021-000102',
      'account-approved#DK-2021-000102',
      'registration-reminder#DK-2021-000101',
    ]);
    // The deadline is counted from the declaration (31/01), not from the event's arrival.
    expect(sms()[3]?.text).toContain('truoc ngay 10/02/2021');
  });

  it('a submission that arrives at night: the received message waits for the morning release', async () => {
    // Act
    await at('2021-02-20T22:30:00+07:00', submitted('DK-2021-000150', '2021-02-20T22:29:00+07:00'));

    // Assess: nothing at night; the message waits in the due-date index for the 07:00 release (campaigns.test.ts runs it)
    expect(kinds('DK-2021-000150')).toEqual([]);
    const waiting = await system.scan<{ pk: string; dueDate: string }>('CampaignsDueItemsTable');
    expect(waiting.filter((d) => d.pk === 'quiet-hours-release#registration-received#DK-2021-000150').map((d) => d.dueDate)).toEqual(['2021-02-21']);
    expect(await registration('DK-2021-000150')).toMatchObject({ status: 'waiting', deadline: '2021-03-02' });
  });

  it('a repeated submission starts nothing new and sends nothing new', async () => {
    // Act
    await at('2021-03-01T09:00:00+07:00', submitted('DK-2021-000200', '2021-03-01T09:00:00+07:00'));
    const executions = system.executions.size;
    await at('2021-03-01T09:10:00+07:00', submitted('DK-2021-000200', '2021-03-01T09:00:00+07:00'), submitted('DK-2021-000200', '2021-03-01T09:05:00+07:00'));

    // Assess
    expect(system.executions.size).toBe(executions);
    expect(kinds('DK-2021-000200')).toEqual(['registration-received']);
    expect(await registration('DK-2021-000200')).toMatchObject({ status: 'waiting', deadline: '2021-03-11' });
  });

  it('a review that overtakes its submission: the submission starts nothing', async () => {
    // Act
    await at('2021-04-01T09:00:00+07:00', approved('DK-2021-000300'));
    await at('2021-04-01T09:01:00+07:00', submitted('DK-2021-000300', '2021-04-01T08:00:00+07:00'));

    // Assess
    expect(kinds('DK-2021-000300')).toEqual(['account-approved']);
    expect(execution('DK-2021-000300')).toBeUndefined();
    expect(await registration('DK-2021-000300')).toMatchObject({ status: 'reviewed' });
  });

  it('a submission that reaches us after day 7 (an upstream outage): the received message, no reminder a second later, then the notice', async () => {
    // Act: declared on 01/05/2021, published on day 8; the deadline is 11/05/2021
    await at('2021-05-08T10:00:00+07:00', submitted('DK-2021-000400', '2021-05-01T09:00:00+07:00'));
    const onArrival = kinds('DK-2021-000400');
    // The day-7 wait is over already: the reminder step runs a second later.
    await at('2021-05-08T10:00:05+07:00');
    const afterReminderStep = kinds('DK-2021-000400');
    await at('2021-05-11T07:00:01+07:00');
    await execution('DK-2021-000400')?.done;

    // Assess
    expect(onArrival).toEqual(['registration-received']);
    expect(afterReminderStep).toEqual(['registration-received']);
    expect(kinds('DK-2021-000400')).toEqual(['registration-received', 'registration-deleted']);
    const reminderStep = (execution('DK-2021-000400')!.history as Array<{ type: string; state?: { name: string; output?: string } }>).find(
      (e) => e.type === 'StateExited' && e.state?.name === 'Remind the citizen to bring form 01',
    );
    expect(JSON.stringify(reminderStep)).toContain('told-after-day-7');
  });

  it('a submission that reaches us after its deadline: only the deletion notice, never "bring the form before" a past date', async () => {
    // Act: declared on 01/06/2021, deadline 11/06/2021, published on 15/06/2021
    await at('2021-06-15T10:00:00+07:00', submitted('DK-2021-000500', '2021-06-01T09:00:00+07:00'));
    // Both waits are over already: each step runs a second after the one before.
    await at('2021-06-15T10:00:05+07:00');
    await at('2021-06-15T10:00:10+07:00');
    await execution('DK-2021-000500')?.done;

    // Assess
    expect(kinds('DK-2021-000500')).toEqual(['registration-deleted']);
    expect(await registration('DK-2021-000500')).toMatchObject({ status: 'deleted' });
    expect(JSON.stringify(execution('DK-2021-000500')!.history)).toContain('deadline-passed');
  });
});
