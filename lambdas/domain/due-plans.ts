/**
 * When a scheduled fact becomes due, and the message it then becomes:
 * daily, monthly and summary runs start at 08:00 Vietnam time (seeds 000,
 * 001, 003).
 */
import type { DueItem, DueKind } from './due-items.ts';
import { addDays, vietnamDate, vietnamInstant } from './vietnam-time.ts';
import { planFacilitySummary, planHealthCardExpiring, planPasswordReminder, planUnitStatement, planVoluntaryTermEnding, type MessagePlan } from './messages.ts';

export const CAMPAIGN_TIME = '08:00';
/** The collectors' form 01-XN of the previous day goes before 08:00 (seed 004). */
export const COLLECTOR_SUMMARY_TIME = '07:30';

/** The Vietnam time of day of a kind's run; what waited through quiet hours goes when the sending window opens. */
export function runTimeOf(kind: DueKind, sendingWindowStart: string): string {
  if (kind === 'quiet-hours-release') return sendingWindowStart;
  return kind === 'collector-summary' ? COLLECTOR_SUMMARY_TIME : CAMPAIGN_TIME;
}

/**
 * The latest due date a run or sweep at `at` may take for a kind: today once today's run time has come,
 * else yesterday. A sweep at 07:15 thus takes yesterday's late cards, not today's (they go at 08:00).
 */
export function dueThrough(kind: DueKind, at: Date, sendingWindowStart: string): string {
  const today = vietnamDate(at);
  return at >= vietnamInstant(today, runTimeOf(kind, sendingWindowStart)) ? today : addDays(today, -1);
}
export const CARD_REMINDER_DAYS_BEFORE = 30;
export const PASSWORD_REMINDER_MONTHS = 6;

/** The message a due item becomes; quiet-hours releases and collector summaries are not a single planned message. */
export function planFromDueItem(item: Pick<DueItem, 'kind' | 'payload'>): MessagePlan {
  // The payload was written by the intake from a validated event of this kind.
  const p = item.payload as never;
  switch (item.kind) {
    case 'health-card-expiring':
      return planHealthCardExpiring(p);
    case 'voluntary-term-ending':
      return planVoluntaryTermEnding(p);
    case 'password-change-due':
      return planPasswordReminder(p);
    case 'unit-monthly-statement':
      return planUnitStatement(p);
    case 'facility-claims-summary':
      return planFacilitySummary(p);
    case 'quiet-hours-release':
    case 'collector-summary':
      throw new Error(`${item.kind} items are not a single planned message`);
  }
}
