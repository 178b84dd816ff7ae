/**
 * 8079 look-ups end to end: read models kept by events, answers to the
 * registered phone only, the same mismatch wording for everything else, the
 * hourly limit, gateway retries, and BH MK.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, SEED } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';

const OWNER = '0912345678';
const OWNER_E164 = '+84912345678';
const STRANGER = '0987000111';
const MISMATCH = 'So dien thoai va ma so BHXH khong khop hoac chua dang ky giao dich dien tu voi co quan BHXH';

let system: LocalSystem;
let messageNo = 0;

beforeAll(async () => {
  system = await startLocalSystem({ recurringSchedules: false, context: { 'bhxh:lookupRateLimitPerHour': 10 } });
  await system.advanceClock(new Date('2021-03-01T09:00:00+07:00'));
  for (const e of [
    entry('ContactUpdated', { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: OWNER, gender: 'female' }),
    entry('ContributionHistoryUpdated', {
      personId: SEED.personId,
      periods: [
        { from: '2012-01', to: '2018-10', unitCode: 'CJKE01', unitName: 'CN Cty TNHH CJ KOREA EXPRESS FREIGHT Việt Nam', scheme: 'compulsory' },
        { from: '2019-01', to: null, unitCode: 'HG0042', unitName: 'Công ty TNHH Hoya Glass Disk VN', scheme: 'compulsory' },
      ],
    }),
    entry('HealthCardIssued', { cardNo: 'HC4010110129425', personId: SEED.personId, fullName: SEED.fullName, validTo: '2021-12-31', scheme: 'household' }),
    entry('HealthCardIssued', { cardNo: 'HC4010110129426', personId: SEED.personId, fullName: SEED.fullName, validTo: '2020-12-31', scheme: 'household' }),
    entry('DossierReceived', { dossierNo: '04486.G/2019/08708', subjectType: 'person', subjectId: SEED.personId, valid: true, expectedResultDate: '2021-03-10' }),
  ]) {
    await system.putEvents([e]);
    await system.drain();
  }
});
afterAll(async () => system?.stop());
beforeEach(() => {
  system.outbox.length = 0;
});

function sms(from: string, body: string, messageId = `gw-${++messageNo}`) {
  return entry('InboundSmsReceived', { messageId, from, to: '8079', body, receivedAt: '2021-03-01T10:00:00+07:00' });
}
async function ask(...entries: ReturnType<typeof sms>[]) {
  for (const e of entries) {
    await system.putEvents([e]);
    await system.drain();
  }
  return system.outbox.map((l) => [l.to, l.text]);
}

describe('answers to the registered phone', () => {
  // 2012-01..2018-10 is 82 months, 2019-01..2021-03 (the open period, to this month) 27
  it.each([
    [
      'BH QT 0113096123',
      'Ma so BHXH 0113096123: tong 109 thang dong. Gan nhat: Cong ty TNHH Hoya Glass Disk VN 01/2019-nay; CN Cty TNHH CJ KOREA EXPRESS FREIGHT Viet Nam 01/2012-10/2018.',
    ],
    [
      'bh qt 0113096123 2018 2019',
      'Ma so BHXH 0113096123 (01/2018-12/2019): tong 22 thang dong. Gan nhat: Cong ty TNHH Hoya Glass Disk VN 01/2019-12/2019; CN Cty TNHH CJ KOREA EXPRESS FREIGHT Viet Nam 01/2018-10/2018.',
    ],
    ['BH THE HC4010110129425', 'The BHYT HC4010110129425 co gia tri su dung den het ngay 31/12/2021.'],
    ['BH THẺ HC4010110129426', 'The BHYT HC4010110129426 da het gia tri su dung tu sau ngay 31/12/2020.'],
    ['BH HS 04486.G/2019/08708', 'Ho so so 04486.G/2019/08708 dang duoc xu ly, ket qua du kien ngay 10/03/2021.'],
    ['xin chao', 'Cu phap tra cuu gui 8079: BH QT <ma so BHXH> [tu nam] [den nam]; BH THE <ma the BHYT>; BH HS <so ho so>; BH MK <ma so BHXH>'],
  ])('%j', async (body, answer) => {
    expect(await ask(sms(OWNER, body))).toEqual([[OWNER_E164, answer]]);
  });
});

describe('privacy', () => {
  it('answers every data request from another phone, and about unknown numbers, with the same mismatch wording', async () => {
    const answers = await ask(
      sms(STRANGER, 'BH QT 0113096123'),
      sms(STRANGER, 'BH THE HC4010110129425'),
      sms(STRANGER, 'BH HS 04486.G/2019/08708'),
      sms(STRANGER, 'BH MK 0113096123'),
      sms(OWNER, 'BH QT 0199999999'),
      sms(OWNER, 'BH HS 99999/2099/00000'),
    );
    expect(answers.map(([, text]) => text)).toEqual(Array(6).fill(MISMATCH));
  });

  it('never discloses a name, a period, a card date or a dossier status to another phone', async () => {
    await ask(sms(STRANGER, 'BH QT 0113096123'), sms(STRANGER, 'BH THE HC4010110129425'), sms(STRANGER, 'BH HS 04486.G/2019/08708'));
    const toStranger = system.outbox
      .filter((l) => l.to !== OWNER_E164)
      .map((l) => l.text)
      .join('\n');
    for (const secret of ['Hoya', 'KOREA', 'Dang Thi', '2019', '31/12/2021', '10/03/2021', 'xu ly', 'tu choi', 'giai quyet']) {
      expect(toStranger).not.toContain(secret);
    }
    expect(system.busEvents.filter((e) => e['detail-type'] === 'PasswordResetRequested' && e.detail.phone !== OWNER_E164)).toEqual([]);
  });
});

describe('a dossier that carries its own phone', () => {
  it("is answered to that phone and to the applicant's registered phone; any other phone gets the wording of an unknown dossier", async () => {
    // Prepare: a dossier whose event gives a phone of its own (written with spaces), for the person whose registered phone is OWNER
    const dossierPhone = '0903 111 222';
    const third = '0987000222';
    await system.putEvents([
      entry('DossierReceived', {
        dossierNo: '05001/2021/00001',
        subjectType: 'person',
        subjectId: SEED.personId,
        valid: true,
        expectedResultDate: '2021-03-15',
        phone: dossierPhone,
      }),
    ]);
    await system.drain();
    system.outbox.length = 0;
    const status = 'Ho so so 05001/2021/00001 dang duoc xu ly, ket qua du kien ngay 15/03/2021.';

    // Act
    const answers = await ask(
      sms('+84903111222', 'BH HS 05001/2021/00001'),
      sms(OWNER, 'BH HS 05001/2021/00001'),
      sms(third, 'BH HS 05001/2021/00001'),
      sms(third, 'BH HS 99999/2099/00001'),
    );

    // Assess
    expect(answers).toEqual([
      ['+84903111222', status],
      [OWNER_E164, status],
      ['+84987000222', MISMATCH],
      ['+84987000222', MISMATCH],
    ]);
  });
});

describe('abuse', () => {
  it('answers a retried messageId once', async () => {
    const retried = sms(OWNER, 'BH QT 0113096123', 'gw-retried');
    expect(await ask(retried, retried, retried)).toHaveLength(1);
  });

  it('limits each number to 10 look-ups an hour, says so once, and keeps the rest as skipped', async () => {
    const flooder = '0905111222';
    await system.advanceClock(new Date('2021-03-01T11:00:00+07:00'));
    const answers = await ask(...Array.from({ length: 14 }, () => sms(flooder, 'BH QT 0113096123')));
    expect(answers.map(([, t]) => t)).toEqual([...Array(10).fill(MISMATCH), 'So dien thoai da tra cuu qua 10 lan trong 1 gio. Vui long thu lai sau.']);

    await system.advanceClock(new Date('2021-03-01T12:00:01+07:00'));
    system.outbox.length = 0;
    expect(await ask(sms(flooder, 'BH QT 0113096123'))).toHaveLength(1);
  });
});

describe('BH MK', () => {
  it('asks the portal for a new password when the phone matches, and sends the temporary password that follows, unstored', async () => {
    await ask(sms(OWNER, 'BH MK 0113096123', 'gw-mk'), sms(OWNER, 'BH MK 0113096123', 'gw-mk'));
    const requests = system.busEvents.filter((e) => e['detail-type'] === 'PasswordResetRequested');
    expect(requests.map((e) => [e.source, e.detail])).toEqual([['vn.gov.bhxh.notify', { personId: SEED.personId, phone: OWNER_E164 }]]);

    await system.putEvents([entry('TemporaryPasswordIssued', { personId: SEED.personId, loginName: SEED.personId, temporaryPassword: 'Zq8!rT4m' })]);
    await system.drain();

    expect(system.outbox.map((l) => l.text)).toEqual([`Mat khau tam thoi cua tai khoan VssID ${SEED.personId} la Zq8!rT4m. De nghi doi mat khau ngay sau khi dang nhap.`]);
    const ledger = JSON.stringify(await system.scan('Ledger'));
    expect(ledger).not.toContain('Zq8!rT4m');
  });
});
