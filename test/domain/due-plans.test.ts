/**
 * From a due item to the message it becomes (lambdas/domain/due-plans.ts):
 * scheduled reminders and monthly statements are planned from the payload the
 * intake stored, with the same business keys as any other message (SPEC rule 4).
 */
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_TIME, CARD_REMINDER_DAYS_BEFORE, dueThrough, PASSWORD_REMINDER_MONTHS, planFromDueItem, runTimeOf } from '../../lambdas/domain/due-plans.ts';
import { renderPlan } from '../../lambdas/domain/messages.ts';

describe('schedule constants (seeds 000, 001, 002, 003)', () => {
  it('runs daily and monthly campaigns at 08:00, reminds 30 days before a card ends and 6 months after a password change', () => {
    // Assess
    expect(CAMPAIGN_TIME).toBe('08:00');
    expect(CARD_REMINDER_DAYS_BEFORE).toBe(30);
    expect(PASSWORD_REMINDER_MONTHS).toBe(6);
  });
});

describe('planFromDueItem', () => {
  it('plans a card reminder from a health-card-expiring item', () => {
    // Prepare
    const item = { kind: 'health-card-expiring' as const, payload: { personId: '0110129425', cardNo: 'HC4010110129425', validTo: '2026-12-31' } };

    // Act
    const plan = planFromDueItem(item);

    // Assess
    expect([plan.kind, plan.key, plan.subject]).toEqual(['health-card-expiring', 'health-card-expiring#HC4010110129425#2026-12-31', 'person#0110129425']);
  });

  it('plans a voluntary term reminder from a voluntary-term-ending item', () => {
    // Prepare
    const item = { kind: 'voluntary-term-ending' as const, payload: { personId: '0110129425', fullName: 'Lê Văn Nam', gender: 'male', paidThrough: '2026-06' } };

    // Act
    const plan = planFromDueItem(item);

    // Assess
    expect([plan.kind, plan.key]).toEqual(['voluntary-term-ending', 'voluntary-term-ending#0110129425#2026-06']);
    expect(renderPlan(plan, undefined).text.startsWith('Kinh gui Ong Le Van Nam')).toBe(true);
  });

  it('plans a password reminder from a password-change-due item', () => {
    // Prepare
    const item = { kind: 'password-change-due' as const, payload: { personId: '0110129425', changedAt: '2026-06-01T09:00:00+07:00' } };

    // Act
    const plan = planFromDueItem(item);

    // Assess
    expect([plan.kind, plan.key]).toEqual(['password-reminder', 'password-reminder#0110129425#2026-06-01T02:00:00.000Z']);
  });

  it('plans a unit statement from a unit-monthly-statement item', () => {
    // Prepare
    const item = {
      kind: 'unit-monthly-statement' as const,
      payload: { unitCode: 'HOYA01', unitName: 'Công ty Hoya', month: '2019-05', paidAmount: 1, carriedOverAmount: 2, expectedAmount: 3, agency: 'BHXH TP.Hà Nội' },
    };

    // Act
    const plan = planFromDueItem(item);

    // Assess
    expect([plan.kind, plan.key, plan.subject]).toEqual(['unit-monthly-statement', 'unit-monthly-statement#HOYA01#2019-05', 'unit#HOYA01']);
  });

  it('plans a facility summary from a facility-claims-summary item', () => {
    // Prepare
    const item = { kind: 'facility-claims-summary' as const, payload: { facilityCode: '01909', month: '2019-04', claimCount: 1, claimAmount: 1, onTimeRate: 1 } };

    // Act
    const plan = planFromDueItem(item);

    // Assess
    expect([plan.kind, plan.key, plan.subject]).toEqual(['facility-claims-summary', 'facility-claims-summary#01909#2019-04', 'facility#01909']);
  });

  it.each(['quiet-hours-release', 'collector-summary'] as const)('refuses a %s item: it is not a single planned message', (kind) => {
    // Act
    const plan = () => planFromDueItem({ kind, payload: {} });

    // Assess
    expect(plan).toThrow(`${kind} items are not a single planned message`);
  });
});

describe('dueThrough: what a run or sweep may take', () => {
  it("takes today's items once the kind's run time has come, yesterday's before", () => {
    const at = (time: string) => new Date(`2018-12-01T${time}:00+07:00`);
    expect(dueThrough('health-card-expiring', at('07:59'), '07:00')).toBe('2018-11-30');
    expect(dueThrough('health-card-expiring', at('08:00'), '07:00')).toBe('2018-12-01');
    expect(dueThrough('collector-summary', at('07:29'), '07:00')).toBe('2018-11-30');
    expect(dueThrough('collector-summary', at('07:30'), '07:00')).toBe('2018-12-01');
    expect(dueThrough('quiet-hours-release', at('06:59'), '07:00')).toBe('2018-11-30');
    expect(dueThrough('quiet-hours-release', at('07:15'), '07:00')).toBe('2018-12-01');
  });

  it('runs each kind at its time: the release when the window opens, form 01-XN at 07:30, the others at 08:00', () => {
    expect(runTimeOf('quiet-hours-release', '06:30')).toBe('06:30');
    expect(runTimeOf('collector-summary', '07:00')).toBe('07:30');
    expect(runTimeOf('unit-monthly-statement', '07:00')).toBe('08:00');
  });
});
