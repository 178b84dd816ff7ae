/**
 * Reminders the system gives itself through one-time schedules (EventBridge
 * Scheduler, emulated by the local run and fired by clock moves).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, SEED } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';
import { minuteOf } from '../support/sent-at.ts';

const REMINDER = `Da 6 thang ke tu lan doi mat khau gan nhat cua tai khoan VssID ${SEED.personId}. De nghi doi mat khau de bao ve thong tin ca nhan.`;

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem({ context: { 'bhxh:dossierOverdueApology': true, 'bhxh:orphanResolutionReportHours': 24 } });
  await system.putEvents([entry('ContactUpdated', { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: '0912345678' })]);
  await system.drain();
});
afterAll(async () => system?.stop());
beforeEach(() => {
  system.outbox.length = 0;
});

const at = (time: string, ...entries: ReturnType<typeof entry>[]) => atTime(system, time, ...entries);
const changed = (changedAt: string) => entry('PasswordChanged', { personId: SEED.personId, changedAt });

// Scenes months apart start with jumpClock (no daily runs in between); each scene then lets the daily runs fire.
describe('password change reminder (the daily 08:00 run)', () => {
  it('comes 6 months after the change, at 08:00 Vietnam time, and not before', async () => {
    system.jumpClock(new Date('2020-11-25T09:00:00+07:00'));
    await at('2020-11-25T10:00:00+07:00', changed('2020-11-25T10:00:00+07:00'));
    const due = (await system.scan<{ pk: string; dueDate: string }>('CampaignsDueItems')).find((i) => i.pk === `password-change-due#${SEED.personId}`);
    expect(due?.dueDate).toBe('2021-05-25');

    system.jumpClock(new Date('2021-05-24T09:00:00+07:00'));
    await at('2021-05-25T07:59:00+07:00');
    expect(system.outbox).toEqual([]);
    await at('2021-05-25T09:00:00+07:00');

    expect(system.outbox.map((l) => [l.kind, l.text, minuteOf(l.at)])).toEqual([['password-reminder', REMINDER, '2021-05-25T08:00']]);
  });

  it('moves when the password is changed again, and a late copy of the older change does not pull it back', async () => {
    system.jumpClock(new Date('2022-01-10T09:00:00+07:00'));
    await at('2022-01-10T10:00:00+07:00', changed('2022-01-10T10:00:00+07:00'));
    system.jumpClock(new Date('2022-03-31T09:00:00+07:00'));
    await at('2022-03-31T10:00:00+07:00', changed('2022-03-31T10:00:00+07:00'), changed('2022-01-10T10:00:00+07:00'));

    system.jumpClock(new Date('2022-07-09T09:00:00+07:00'));
    await at('2022-07-11T09:00:00+07:00');
    expect(system.outbox).toEqual([]);
    system.jumpClock(new Date('2022-09-29T09:00:00+07:00'));
    await at('2022-10-01T09:00:00+07:00');

    // 31 March + 6 months: 30 September, the last day of that month
    expect(system.outbox.map((l) => [l.kind, minuteOf(l.at)])).toEqual([['password-reminder', '2022-09-30T08:00']]);
  });
});

describe('a resolution whose dossier never comes', () => {
  it('is reported to operators after the configured time (DossierResolutionUnmatched), and not when the dossier arrives', async () => {
    const unmatched = () => system.busEvents.filter((e) => e['detail-type'] === 'DossierResolutionUnmatched').map((e) => e.detail.dossierNo);
    system.jumpClock(new Date('2023-03-01T08:30:00+07:00'));

    await at('2023-03-01T09:00:00+07:00', entry('DossierResolved', { dossierNo: '09001/2023/00001', resolvedAt: '2023-03-01T09:00:00+07:00' }));
    await at('2023-03-01T09:05:00+07:00', entry('DossierResolved', { dossierNo: '09001/2023/00002', resolvedAt: '2023-03-01T09:05:00+07:00' }));
    await at(
      '2023-03-01T12:00:00+07:00',
      entry('DossierReceived', { dossierNo: '09001/2023/00002', subjectType: 'person', subjectId: SEED.personId, valid: true, expectedResultDate: '2023-03-05' }),
    );
    await at('2023-03-02T08:59:00+07:00');
    expect(unmatched()).toEqual([]);
    await at('2023-03-02T10:00:00+07:00');

    expect(unmatched()).toEqual(['09001/2023/00001']);
  });
});

describe('overdue dossier apology (enabled by configuration)', () => {
  it('tells the citizen once when the promised date passes', async () => {
    system.jumpClock(new Date('2024-04-01T08:30:00+07:00'));
    await at(
      '2024-04-01T09:00:00+07:00',
      entry('DossierReceived', { dossierNo: '10001/2024/00001', subjectType: 'person', subjectId: SEED.personId, valid: true, expectedResultDate: '2024-04-03' }),
    );
    await at('2024-04-04T09:00:00+07:00');
    system.jumpClock(new Date('2024-05-09T09:00:00+07:00'));
    await at('2024-05-10T09:00:00+07:00');

    expect(system.outbox.map((l) => l.text)).toEqual([
      'Ho so so 10001/2024/00001 dang duoc xu ly. Ket qua giai quyet ho so se co vao ngay 03/04/2024.',
      'Ho so so 10001/2024/00001 chua co ket qua dung hen ngay 03/04/2024. Co quan BHXH xin loi va se bao ngay khi co ket qua.',
    ]);
  });
});
