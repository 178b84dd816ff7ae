/**
 * Personal data only where the README says (README "Privacy"), end to end:
 * dossier executions carry the dossier number and nothing personal, the
 * handlers' log lines mask BHXH numbers, and what the intake writes to the
 * dossiers and collections tables expires.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionNameOf } from '../../lambdas/domain/dossiers.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails, SEED } from '../support/events.ts';
import { atTime, startLocalSystem, TEST_START } from '../support/local-system.ts';

const PHONE = '0912345678';
const OTHER_PHONE = '0987654321';
const CARD_HOLDER = '0110129425';
const REJECT_REASON = 'thiếu giấy chứng sinh của con thứ hai';
const logLines: string[] = [];
let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem({
    recurringSchedules: false,
    logLevel: 'INFO',
    instrumentation: { onLog: (_entry, line) => logLines.push(line) },
  });
  await atTime(
    system,
    TEST_START.toISOString(),
    entry('ContactUpdated', { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: PHONE, gender: 'female' }),
    entry('ContactUpdated', { subjectType: 'person', subjectId: CARD_HOLDER, name: 'Trần Văn Bình', phone: OTHER_PHONE }),
    entry('DossierReceived', { dossierNo: '06991/2018/08608', subjectType: 'person', subjectId: SEED.personId, valid: true, expectedResultDate: '2018-12-06', phone: PHONE }),
    entry('DossierReceived', { dossierNo: '04548/2018/006', subjectType: 'person', subjectId: SEED.personId, valid: false, rejectReason: REJECT_REASON, phone: OTHER_PHONE }),
    entry('EmployeeContributionStopped', sampleDetails.EmployeeContributionStopped),
    entry('VoluntaryContributionPaid', sampleDetails.VoluntaryContributionPaid),
    entry('HealthCardIssued', { ...sampleDetails.HealthCardIssued, validTo: '2018-12-20' }),
    entry('CollectionPaymentConfirmed', { ...sampleDetails.CollectionPaymentConfirmed, paidAt: '2018-12-03T08:30:00+07:00' }),
  );
  await atTime(system, '2018-12-05T15:00:00+07:00', entry('DossierResolved', { dossierNo: '06991/2018/08608', resolvedAt: '2018-12-05T15:00:00+07:00' }));
  for (const e of system.executions.values()) await e.done;
});
afterAll(async () => system?.stop());

const execution = (no: string) => [...system.executions.values()].find((e) => e.name === executionNameOf(no))!;

describe('dossier executions (input and history, what the console shows)', () => {
  it('are started with the dossier number only', () => {
    expect(execution('06991/2018/08608').input).toEqual({ dossierNo: '06991/2018/08608' });
    expect(execution('04548/2018/006').input).toEqual({ dossierNo: '04548/2018/006' });
  });

  it('hold no phone number, no BHXH number and no rejection reason, yet the citizens got their messages', () => {
    const accepted = execution('06991/2018/08608');
    const rejected = execution('04548/2018/006');
    expect([accepted.status, rejected.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const seen = JSON.stringify([accepted.input, accepted.history, accepted.output, rejected.input, rejected.history, rejected.output]);
    for (const personal of [PHONE, PHONE.slice(1), OTHER_PHONE.slice(1), SEED.personId, REJECT_REASON, 'thieu giay chung sinh']) {
      expect(seen).not.toContain(personal);
    }
    const dossierTexts = system.outbox.filter((l) => l.kind.startsWith('dossier-')).map((l) => [l.kind, l.to]);
    expect(dossierTexts).toEqual([
      ['dossier-accepted', '+84912345678'],
      ['dossier-rejected', '+84987654321'],
      ['dossier-resolved', '+84912345678'],
    ]);
    expect(system.outbox.find((l) => l.kind === 'dossier-rejected')?.text).toContain('thieu giay chung sinh cua con thu hai');
  });
});

describe('log lines', () => {
  it('print message keys with their BHXH numbers masked, in every handler', () => {
    const logs = logLines.join('');
    // The logs were captured, and the keys that name a person are in them, masked.
    expect(logs).toContain('contribution-stopped#01130*****#');
    expect(logs).toContain('health-card-expiring#HC40101101*****#');
    for (const number of [SEED.personId, CARD_HOLDER]) expect(logs).not.toContain(number);
  });
});

describe('what the intake writes expires', () => {
  it('a dossier 400 days after its last change', async () => {
    const dossier = (await system.scan<{ dossierNo: string; updatedAt: string; expiresAt: number }>('DossiersDossiersTable')).find((d) => d.dossierNo === '06991/2018/08608');
    expect(dossier?.expiresAt).toBe(Math.floor(Date.parse(dossier!.updatedAt) / 1000) + 400 * 86_400);
  });

  it('a collection confirmation 90 days after its payment', async () => {
    const [confirmation] = await system.scan<{ paidAt: string; expiresAt: number }>('CampaignsCollectionsTable');
    expect(confirmation?.expiresAt).toBe(Date.parse('2018-12-03T08:30:00+07:00') / 1000 + 90 * 86_400);
  });
});
