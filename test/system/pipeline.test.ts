/**
 * The first three kinds end to end, on the synthesized stack: bus rules,
 * intake, ledger and contact projection in DynamoDB Local, send queue,
 * sender, outbox.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails, SEED } from '../support/events.ts';
import { startLocalSystem, TEST_START } from '../support/local-system.ts';

const PAYMENT_TEXT =
  'CN Vien dau khi VNTT nghien cuu tim kiem tham do & khai thac Dau khi (QW18013) da nop 10.000.000 d. Thong tin lien he de duoc tro giup VP Bao hiem Xa hoi TP HCM.';
const STOPPED_TEXT =
  'Kinh gui Ba Dang Thi Thu Hoai (ma so BHXH: 0113096123), CN Cty TNHH CJ KOREA EXPRESS FREIGHT Viet Nam Tai Ha Noi da ngung dong BHXH cho Ba tu thang 11/2018. Neu co vuong mac, de nghi Ba lien he voi don vi de duoc lam ro.';

let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem();
});
afterAll(async () => system?.stop());

async function publish(...entries: Parameters<LocalSystem['putEvents']>[0]) {
  for (const e of entries) {
    await system.putEvents([e]);
    await system.drain();
  }
}

const ledgerItem = async (key: string) => (await system.scan<LedgerItem>('Ledger')).find((m) => m.key === key);
const quarantined = () => system.queueByLogicalPrefix('EventIntakeQuarantine').messages;

describe('UnitPaymentReceived', () => {
  beforeEach(() => {
    system.outbox.length = 0;
  });

  it('texts the unit representative once, whatever the number of copies or event ids', async () => {
    // Prepare: the representative's phone comes from the contact projection
    await publish(entry('ContactUpdated', { ...sampleDetails.ContactUpdated, phone: '0912.345.678' }, '2018-12-03T08:00:00+07:00'));

    // Act: the same payment three times, then once more as a new event from another publisher run
    const payment = entry('UnitPaymentReceived', sampleDetails.UnitPaymentReceived, '2018-12-03T09:00:00+07:00');
    await publish(payment, payment, payment);
    // Half an hour later (an event may not be dated after its arrival: SPEC rule 11)
    system.jumpClock(new Date('2018-12-03T09:30:00+07:00'));
    await publish({ ...payment, Time: new Date('2018-12-03T09:30:00+07:00') });

    // Assess
    expect(system.outbox).toEqual([
      expect.objectContaining({ to: '+84912345678', text: PAYMENT_TEXT, kind: 'unit-payment-received', segments: 2, key: 'unit-payment-received#QW18013#PT-2018-000731' }),
    ]);
    const item = await ledgerItem('unit-payment-received#QW18013#PT-2018-000731');
    expect(item).toMatchObject({ status: 'delivered', segments: 2, duplicates: 3, recipientMasked: '+84******678' });
    expect(item?.providerMessageId).toMatch(/^local-/);
    expect(item?.expiresAt).toBeGreaterThan(TEST_START.getTime() / 1000 + 300 * 86_400);
  });

  it('sends once when the very same event (same id) is delivered to the intake twice', async () => {
    // Prepare: one EventBridge event, as SQS would redeliver it
    const event = {
      version: '0',
      id: 'evt-redelivered',
      'detail-type': 'UnitPaymentReceived',
      source: 'vn.gov.bhxh.tst',
      account: '000000000000',
      time: '2018-12-03T02:00:00Z',
      region: 'ap-southeast-1',
      resources: [],
      detail: { ...sampleDetails.UnitPaymentReceived, paymentId: 'PT-REDELIVERED' },
    };
    const intake = system.queueByLogicalPrefix('EventIntakeIntakeQueue');

    // Act
    intake.send(JSON.stringify(event));
    intake.send(JSON.stringify(event));
    await system.drain();

    // Assess
    expect(system.outbox.map((l) => l.key)).toEqual(['unit-payment-received#QW18013#PT-REDELIVERED']);
    expect(await ledgerItem('unit-payment-received#QW18013#PT-REDELIVERED')).toMatchObject({ status: 'delivered', duplicates: 1, eventId: 'evt-redelivered' });
  });

  it('records a payment for a unit without a phone as skipped no-phone, and sends nothing', async () => {
    // Prepare: the unit's phone is removed
    await publish(entry('ContactUpdated', { subjectType: 'unit', subjectId: 'HG0042', name: 'Công ty TNHH Hoya Glass Disk VN', phone: '0987654321' }, '2018-12-03T08:00:00+07:00'));
    await publish(entry('ContactUpdated', { subjectType: 'unit', subjectId: 'HG0042', name: 'Công ty TNHH Hoya Glass Disk VN', phone: null }, '2018-12-03T08:05:00+07:00'));

    // Act
    await publish(entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: 'PT-9', unitCode: 'HG0042', unitName: 'Công ty TNHH Hoya Glass Disk VN' }));

    // Assess
    expect(system.outbox).toEqual([]);
    expect(await ledgerItem('unit-payment-received#HG0042#PT-9')).toMatchObject({ status: 'skipped', reason: 'no-phone' });
  });

  it('ignores a contact update older than the one it already has', async () => {
    // Prepare: the newer update removes the phone, then an older one arrives late
    system.jumpClock(new Date('2018-12-03T10:00:00+07:00'));
    await publish(entry('ContactUpdated', { subjectType: 'unit', subjectId: 'LATE01', name: 'Công ty Muộn', phone: null }, '2018-12-03T10:00:00+07:00'));
    await publish(entry('ContactUpdated', { subjectType: 'unit', subjectId: 'LATE01', name: 'Công ty Muộn', phone: '0912000111' }, '2018-12-03T09:00:00+07:00'));

    // Act
    await publish(entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: 'PT-LATE', unitCode: 'LATE01', unitName: 'Công ty Muộn' }));

    // Assess
    expect(await ledgerItem('unit-payment-received#LATE01#PT-LATE')).toMatchObject({ status: 'skipped', reason: 'no-phone' });
  });

  it('records a landline given by the event as skipped invalid-phone', async () => {
    await publish(entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: 'PT-LAND', phone: '024 3825 1234' }));

    expect(system.outbox).toEqual([]);
    expect(await ledgerItem('unit-payment-received#QW18013#PT-LAND')).toMatchObject({ status: 'skipped', reason: 'invalid-phone' });
  });
});

describe('EmployeeContributionStopped', () => {
  beforeEach(() => {
    system.outbox.length = 0;
  });

  it('texts the worker in the seed wording, to the 2018-converted number', async () => {
    // Prepare: an 11-digit pre-2018 Viettel number in the contact projection
    await publish(entry('ContactUpdated', { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: '01627 123 456', gender: 'female' }));

    // Act
    await publish(entry('EmployeeContributionStopped', sampleDetails.EmployeeContributionStopped));

    // Assess
    expect(system.outbox).toEqual([expect.objectContaining({ to: '+84327123456', text: STOPPED_TEXT, kind: 'contribution-stopped', segments: 2 })]);
  });

  it('takes the salutation from the contact when the event has no gender', async () => {
    await publish(entry('ContactUpdated', { subjectType: 'person', subjectId: '0110000001', name: 'Lê Văn Nam', phone: '0903000001', gender: 'male' }));

    await publish(entry('EmployeeContributionStopped', { ...sampleDetails.EmployeeContributionStopped, personId: '0110000001', fullName: 'Lê Văn Nam', gender: undefined }));

    expect(system.outbox[0]?.text).toMatch(/^Kinh gui Ong Le Van Nam .* cho Ong tu thang 11\/2018\. .* de nghi Ong lien he/);
  });
});

describe('quarantine', () => {
  it('keeps an event with a missing field, names the field, and goes on with the next event', async () => {
    // Prepare
    const before = quarantined().length;
    system.outbox.length = 0;
    const { amount: _dropped, ...noAmount } = sampleDetails.UnitPaymentReceived;

    // Act: a bad event followed by a good one
    await publish(entry('UnitPaymentReceived', { ...noAmount, paymentId: 'PT-BAD' }), entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: 'PT-GOOD' }));

    // Assess
    const kept = quarantined().slice(before);
    expect(kept).toHaveLength(1);
    expect(JSON.parse(kept[0]!.body).detail.paymentId).toBe('PT-BAD');
    expect(kept[0]!.messageAttributes.reason?.StringValue).toBe('invalid-detail');
    expect(JSON.parse(kept[0]!.messageAttributes.errors!.StringValue!)).toEqual(['detail.amount: is required']);
    expect(system.outbox.map((l) => l.key)).toEqual(['unit-payment-received#QW18013#PT-GOOD']);
  });

  it('keeps events of unknown kinds and from the wrong source', async () => {
    const before = quarantined().length;

    await publish(
      { Source: 'vn.gov.bhxh.tst', DetailType: 'UnitPaymentReversed', Detail: '{}', EventBusName: 'bhxh-notify' },
      { ...entry('UnitPaymentReceived', sampleDetails.UnitPaymentReceived), Source: 'vn.gov.bhxh.dvc' },
    );

    const reasons = quarantined()
      .slice(before)
      .map((m) => m.messageAttributes.reason?.StringValue);
    expect(reasons).toEqual(['unknown-detail-type', 'wrong-source']);
  });
});
