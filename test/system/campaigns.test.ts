/**
 * Scheduled notifications: the due-date index, the campaign state machine as
 * synthesized (aws-local-stepfunctions), the recurring schedules fired by the
 * local clock, and quiet hours.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails, SEED } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';
import { instant, minuteOf } from '../support/sent-at.ts';

const CARD_TEXT = 'Ma the: HC4010110129425, co gia tri su dung den het ngay 31/12/2018. De nghi ong/ba gia han the de duoc dam bao quyen loi huong BHYT.';
const STATEMENT_TEXT =
  'Kinh gui Cong ty TNHH Hoya Glass Disk VN: so tien da dong thang 05/2019 la 9.249.473.860 dong; So tien con phai dong chuyen sang thang 06/2019 la 214.541.737 dong; So tien du tinh phai dong thang 06/2019 la 8.931.964.403. Chi tiet lien he BHXH TP.Ha Noi';
const FACILITY_TEXT =
  'Thang 04/2019, Ma CSKCB 01909: Tong so luot de nghi la 10.132 luot, tong so tien de nghi BHXH thanh toan la 11.967.526.000 dong, ty le ho so gui dung ngay la 72%. Tran trong!';

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem();
  for (const [type, id, phone] of [
    ['person', '0110129425', '0912000001'],
    ['person', '0110129426', '0912000002'],
    ['person', '0110129427', '0912000003'],
    ['unit', 'HG0042', '0912000004'],
    ['facility', '01909', '0912000005'],
    ['collector', 'TC001', '0912000006'],
    ['collector', 'TC002', '0912000007'],
  ] as const) {
    await system.putEvents([entry('ContactUpdated', { subjectType: type, subjectId: id, name: 'Tên', phone })]);
  }
  await system.drain();
});
afterAll(async () => system?.stop());
beforeEach(() => {
  system.outbox.length = 0;
});

const at = (time: string, ...entries: ReturnType<typeof entry>[]) => atTime(system, time, ...entries);
const card = (cardNo: string, personId: string, validTo: string, scheme = 'household') =>
  entry('HealthCardIssued', { cardNo, personId, fullName: 'Trần Văn Bình', validTo, scheme });

describe('household health card expiry', () => {
  it('reminds 30 days before the end date, at 08:00, not before; a renewed card cancels it; other cards yield nothing', async () => {
    // Prepare: three cards, one of them renewed, one not a household card
    // A few days before the reminder: each day the local clock walks fires every daily schedule (about 2.5 s here).
    system.jumpClock(new Date('2018-11-28T09:00:00+07:00'));
    await at(
      '2018-11-28T10:00:00+07:00',
      card('HC4010110129425', '0110129425', '2018-12-31'),
      card('HC4010110129426', '0110129426', '2018-12-31'),
      card('GD4010110129427', '0110129427', '2018-12-31', 'other'),
    );
    await at('2018-11-29T10:00:00+07:00', card('HC4010110129436', '0110129426', '2019-12-31'));

    // Act
    await at('2018-12-01T07:59:00+07:00');
    const before = [...system.outbox];
    await at('2018-12-01T12:00:00+07:00');

    // Assess
    expect(before).toEqual([]);
    expect(system.outbox.map((l) => [l.kind, l.to, l.text, minuteOf(l.at)])).toEqual([['health-card-expiring', '+84912000001', CARD_TEXT, '2018-12-01T08:00']]);
    const run = [...system.executions.values()].find((e) => e.name === 'health-card-expiring-2018-12-01');
    expect(run?.status).toBe('SUCCEEDED');
  });
});

describe('monthly runs', () => {
  it('sends May unit statements on 1 June at 08:00 and facility summaries on 6 June at 08:00', async () => {
    system.jumpClock(new Date('2019-05-31T15:00:00+07:00'));
    await at(
      '2019-05-31T16:00:00+07:00',
      entry('UnitMonthlyStatement', sampleDetails.UnitMonthlyStatement),
      entry('FacilityClaimsSummary', { ...sampleDetails.FacilityClaimsSummary, month: '2019-05' }),
    );
    await at('2019-06-01T07:00:00+07:00');
    expect(system.outbox).toEqual([]);

    await at('2019-06-01T09:00:00+07:00');
    await at('2019-06-06T09:00:00+07:00');

    expect(system.outbox.map((l) => [l.kind, minuteOf(l.at)])).toEqual([
      ['unit-monthly-statement', '2019-06-01T08:00'],
      ['facility-claims-summary', '2019-06-06T08:00'],
    ]);
    expect(system.outbox[0]?.text).toBe(STATEMENT_TEXT);
    expect(system.outbox[1]?.text).toBe(FACILITY_TEXT.replace('Thang 04/2019', 'Thang 05/2019'));
  });

  it('a run started twice for the same day sends nothing twice', async () => {
    system.jumpClock(new Date('2019-06-30T15:00:00+07:00'));
    await at('2019-06-30T16:00:00+07:00', entry('UnitMonthlyStatement', { ...sampleDetails.UnitMonthlyStatement, month: '2019-06' }));
    await at('2019-07-01T09:00:00+07:00');
    const sent = system.outbox.length;

    // An operator starts the same day's run again, under another name
    system.startExecution(
      system.resolver.ref(
        Object.keys(system.template.Resources).find((id) => id.startsWith('CampaignsCampaign') && system.template.Resources[id]!.Type === 'AWS::StepFunctions::StateMachine')!,
      ),
      'unit-monthly-statement-2019-07-01-rerun',
      { kind: 'unit-monthly-statement', date: '2019-07-01' },
    );
    await system.drain();

    expect(sent).toBe(1);
    expect(system.outbox).toHaveLength(1);
  });
});

describe('quiet hours', () => {
  it('holds a payment received at 22:30 until 07:00 the next morning', async () => {
    system.jumpClock(new Date('2019-08-01T22:00:00+07:00'));
    await at(
      '2019-08-01T22:30:00+07:00',
      entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: 'NIGHT-1', unitCode: 'HG0042', unitName: 'Công ty TNHH Hoya Glass Disk VN' }),
    );
    const atNight = [...system.outbox];
    const held = (await system.scan<LedgerItem>('Ledger')).find((m) => m.key === 'unit-payment-received#HG0042#NIGHT-1');

    await at('2019-08-02T07:30:00+07:00');

    expect(atNight).toEqual([]);
    expect(held?.status).toBe('queued');
    // Released when the window opens at 07:00 the next day, not before and not at the next clock move (07:30)
    expect(system.outbox.map((l) => [l.key, minuteOf(l.at)])).toEqual([['unit-payment-received#HG0042#NIGHT-1', '2019-08-02T07:00']]);
  });

  it('does not hold an OTP', async () => {
    await at('2019-08-02T23:00:00+07:00', entry('OtpIssued', { personId: '0110129425', purpose: 'device-login', code: '123456', expiresAt: '2019-08-02T23:05:00+07:00' }));
    // At once (the minute it was issued, in quiet hours), and before it expires
    expect(system.outbox.map((l) => [l.kind, minuteOf(l.at)])).toEqual([['otp', '2019-08-02T23:00']]);
    expect(instant(system.outbox[0]!.at)).toBeLessThan(instant('2019-08-02T23:05:00+07:00'));
  });
});

describe('voluntary contributors', () => {
  it('are reminded on day 15 of their last paid month at 08:00; a later payment replaces the reminder', async () => {
    system.jumpClock(new Date('2019-09-12T09:00:00+07:00'));
    await at('2019-09-12T10:00:00+07:00', entry('VoluntaryContributionPaid', { ...sampleDetails.VoluntaryContributionPaid, personId: '0110129425', paidThrough: '2019-09' }));
    await at('2019-09-13T10:00:00+07:00', entry('VoluntaryContributionPaid', { ...sampleDetails.VoluntaryContributionPaid, personId: '0110129427', paidThrough: '2019-09' }));
    await at('2019-09-14T10:00:00+07:00', entry('VoluntaryContributionPaid', { ...sampleDetails.VoluntaryContributionPaid, personId: '0110129427', paidThrough: '2019-12' }));
    await at('2019-09-15T09:00:00+07:00');

    expect(system.outbox.map((l) => [l.to, minuteOf(l.at)])).toEqual([['+84912000001', '2019-09-15T08:00']]);
    expect(system.outbox[0]?.text).toBe(
      `Kinh gui Ba Dang Thi Thu Hoai, thoi gian dong BHXH tu nguyen cua Ba den het thang 09/2019. De nghi Ba tiep tuc dong de duoc huong day du quyen loi.`,
    );
  });
});

describe('collection confirmations', () => {
  it('confirm the payment to the participant at once, with code, name, BHXH number, date, amount, scheme and months', async () => {
    system.jumpClock(new Date('2019-10-01T09:00:00+07:00'));
    await at(
      '2019-10-01T10:00:00+07:00',
      entry('CollectionPaymentConfirmed', { ...sampleDetails.CollectionPaymentConfirmed, personId: '0110129425', paidAt: '2019-10-01T09:55:00+07:00' }),
    );
    expect(system.outbox.map((l) => l.text)).toEqual([
      `Ma xac nhan XN-2023-0001: Dang Thi Thu Hoai, ma so BHXH 0110129425, ngay 01/10/2019 da nop 1.650.000 dong BHXH tu nguyen cho 3 thang.`,
    ]);
  });
});

describe('collection services, form 01-XN', () => {
  it("gives each collector the previous day's confirmations before 08:00: SMS, CSV in the reports bucket, event", async () => {
    // Prepare: three confirmations on 14/10/2019, two for TC001
    system.jumpClock(new Date('2019-10-14T09:00:00+07:00'));
    const confirm = (code: string, collectorCode: string, amount: number, paidAt: string) =>
      entry('CollectionPaymentConfirmed', { ...sampleDetails.CollectionPaymentConfirmed, confirmationCode: code, collectorCode, amount, paidAt, personId: '0110129425' });
    await at(
      '2019-10-14T10:00:00+07:00',
      confirm('XN-1', 'TC001', 1_650_000, '2019-10-14T09:30:00+07:00'),
      confirm('XN-2', 'TC001', 990_000, '2019-10-14T09:45:00+07:00'),
      confirm('XN-3', 'TC002', 500_000, '2019-10-14T09:50:00+07:00'),
    );
    system.outbox.length = 0;

    // Act
    await at('2019-10-15T07:59:00+07:00');

    // Assess: the SMS, once the day is over and before 08:00 the next morning. (The form of 01/10, from the test
    // above, whose 07:30 run the clock jumped over, went at the first sweep after it: a late fact is sent.)
    const day = system.outbox.filter((l) => l.text.includes('14/10/2019'));
    expect(day.map((l) => [l.to, l.text]).sort()).toEqual(
      [
        [
          '+84912000006',
          'Mau 01-XN ngay 14/10/2019, to chuc dich vu thu TC001: 2 ma xac nhan, tong so tien 2.640.000 dong. Chi tiet da gui qua he thong ket noi voi co quan BHXH.',
        ],
        ['+84912000007', 'Mau 01-XN ngay 14/10/2019, to chuc dich vu thu TC002: 1 ma xac nhan, tong so tien 500.000 dong. Chi tiet da gui qua he thong ket noi voi co quan BHXH.'],
      ].sort(),
    );
    for (const line of day) {
      expect(instant(line.at)).toBeGreaterThanOrEqual(instant('2019-10-15T00:00:00+07:00'));
      expect(instant(line.at)).toBeLessThan(instant('2019-10-15T08:00:00+07:00'));
    }
    const csv = [...system.objects.entries()].find(([key]) => key.endsWith('01-XN/TC001/2019-10-14.csv'))?.[1];
    expect(csv?.split('\r\n')).toEqual([
      '\uFEFFSTT,Mã xác nhận,Họ và tên,Mã số BHXH,Ngày nộp tiền,Số tiền đóng,Loại hình tham gia,Số tháng đóng',
      '1,XN-1,Đặng Thị Thu Hoài,0110129425,14/10/2019,1650000,BHXH tự nguyện,3',
      '2,XN-2,Đặng Thị Thu Hoài,0110129425,14/10/2019,990000,BHXH tự nguyện,3',
      ',Tổng cộng,,,,2640000,,',
      '',
    ]);
    const ready = system.busEvents
      .filter((e) => e['detail-type'] === 'CollectionDailySummaryReady' && e.detail.date === '2019-10-14')
      .map((e) => [e.detail.collectorCode, e.detail.count, e.detail.total]);
    expect(ready.sort()).toEqual([
      ['TC001', 2, 2_640_000],
      ['TC002', 1, 500_000],
    ]);
  });
});

void SEED;
