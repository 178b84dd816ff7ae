/**
 * Scheduled facts are checked when they arrive (lambdas/domain/scheduled-check.ts):
 * the message each will become at its campaign run must render to GSM-7 in at
 * most 3 parts, whatever the contact projection adds, and the dates it is
 * scheduled by must be real.
 */
import { describe, expect, it } from 'vitest';
import { scheduledFactProblems, scheduledMessageOf, type ScheduledFact } from '../../lambdas/domain/scheduled-check.ts';
import { sampleDetails, SEED } from '../support/events.ts';

/** Exactly `length` characters: a name as long as a real one can be, within the schema's 200 (unit) or 100 (agency). */
const padded = (start: string, length: number) => `${start} ${'Chi nhánh Hà Nội '.repeat(20)}`.slice(0, length).trimEnd().padEnd(length, 'A');

/** Seed 001's unit statement, with the longest names the statement's schema takes for a unit and its agency. */
const longStatement = {
  ...sampleDetails.UnitMonthlyStatement,
  unitName: padded('Công ty TNHH Hoya Glass Disk Việt Nam', 191),
  agency: padded('BHXH TP.Hà Nội', 90),
} as ScheduledFact['detail'];

const fact = (detailType: ScheduledFact['detailType'], detail: Record<string, unknown>) => ({ detailType, detail }) as ScheduledFact;

describe('scheduled facts checked at intake', () => {
  it('refuses a unit statement with a 191-character name and a 90-character agency: it would render to 4 parts on the 1st', () => {
    // Prepare
    expect([(longStatement as { unitName: string }).unitName.length, (longStatement as { agency: string }).agency.length]).toEqual([191, 90]);

    // Act
    const problems = scheduledFactProblems(fact('UnitMonthlyStatement', longStatement));

    // Assess
    expect(problems).toEqual(['message: template unit-monthly-statement rendered to 4 parts; at most 3 are allowed']);
  });

  it.each(['UnitMonthlyStatement', 'FacilityClaimsSummary', 'VoluntaryContributionPaid', 'PasswordChanged', 'HealthCardIssued'] as const)(
    'finds nothing wrong with the sample %s',
    (detailType) => {
      // Act
      const problems = scheduledFactProblems(fact(detailType, sampleDetails[detailType]));

      // Assess
      expect(problems).toEqual([]);
    },
  );

  it('says so when the due date derived from the fact is not a date (a month the schema would refuse)', () => {
    // Act
    const problems = scheduledFactProblems(fact('UnitMonthlyStatement', { ...sampleDetails.UnitMonthlyStatement, month: '9999-12' }));

    // Assess
    expect(problems).toContain('unit-monthly-statement: the due date derived from the event (10000-01-01) is not a date the schedule can hold');
  });

  it('schedules each kind as the campaign run plans it', () => {
    // Act
    const card = scheduledMessageOf(fact('HealthCardIssued', sampleDetails.HealthCardIssued));
    const otherCard = scheduledMessageOf(fact('HealthCardIssued', { ...sampleDetails.HealthCardIssued, scheme: 'other' }));
    const voluntary = scheduledMessageOf(fact('VoluntaryContributionPaid', sampleDetails.VoluntaryContributionPaid));
    const password = scheduledMessageOf(fact('PasswordChanged', sampleDetails.PasswordChanged));
    const summary = scheduledMessageOf(fact('FacilityClaimsSummary', sampleDetails.FacilityClaimsSummary));

    // Assess
    expect(card).toEqual({ kind: 'health-card-expiring', payload: { personId: '0110129425', cardNo: 'HC4010110129425', validTo: '2018-12-31' }, dueDate: '2018-12-01' });
    expect(otherCard).toBeUndefined();
    expect(voluntary).toMatchObject({ kind: 'voluntary-term-ending', payload: { personId: SEED.personId, gender: 'female', phone: null }, dueDate: '2019-06-15' });
    expect(password).toMatchObject({ kind: 'password-change-due', dueDate: '2021-05-25' });
    expect(summary).toMatchObject({ kind: 'facility-claims-summary', dueDate: '2019-05-06' });
  });
});
