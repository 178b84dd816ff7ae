/**
 * bhxh:brandInText in the local run: the kinds it names start with the brand in every function that renders them
 * (the intake, the dossier step, the campaign page); the others keep the seeds' wording exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails, SEED } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';

const CARD_HOLDER = '0110129425';

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem({ context: { 'bhxh:brandInText': ['unit-payment-received', 'dossier-accepted', 'health-card-expiring'] } });
  await system.putEvents([
    entry('ContactUpdated', sampleDetails.ContactUpdated),
    entry('ContactUpdated', { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: '0912345678' }),
    entry('ContactUpdated', { subjectType: 'person', subjectId: CARD_HOLDER, name: 'Trần Văn Bình', phone: '0987654321' }),
  ]);
  await system.drain();
});
afterAll(async () => system?.stop());

describe('the brand in the text', () => {
  it('starts the SMS of each kind named, whichever function renders it, and no other', async () => {
    await atTime(
      system,
      '2018-12-03T10:00:00+07:00',
      entry('UnitPaymentReceived', sampleDetails.UnitPaymentReceived),
      entry('EmployeeContributionStopped', sampleDetails.EmployeeContributionStopped),
      entry('DossierReceived', sampleDetails.DossierReceived),
      entry('DossierResolved', { dossierNo: '06991/2018/08608', resolvedAt: '2018-12-05T15:00:00+07:00' }),
      entry('HealthCardIssued', { ...sampleDetails.HealthCardIssued, validTo: '2019-01-20' }),
    );
    system.jumpClock(new Date('2018-12-20T09:00:00+07:00'));
    await atTime(system, '2018-12-21T09:00:00+07:00');

    const sent = Object.fromEntries(system.outbox.map((l) => [l.kind, l.text]));
    expect(Object.keys(sent).sort()).toEqual(['contribution-stopped', 'dossier-accepted', 'dossier-resolved', 'health-card-expiring', 'unit-payment-received']);
    expect(sent['unit-payment-received']).toMatch(/^BHXHVN: CN Vien dau khi VNTT/);
    expect(sent['dossier-accepted']).toBe('BHXHVN: Ho so so 06991/2018/08608 dang duoc xu ly. Ket qua giai quyet ho so se co vao ngay 06/12/2018.');
    expect(sent['health-card-expiring']).toMatch(/^BHXHVN: Ma the: HC4010110129425,/);
    expect(sent['contribution-stopped']).toMatch(/^Kinh gui Ba Dang Thi Thu Hoai/);
    expect(sent['dossier-resolved']).toMatch(/^Ho so so 06991\/2018\/08608 da duoc giai quyet xong\./);
  });
});
