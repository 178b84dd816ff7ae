/**
 * When a scheduled fact becomes due, and the message it then becomes:
 * daily, monthly and summary runs start at 08:00 Vietnam time (seeds 000,
 * 001, 003).
 */
import type { DueItem } from './due-items.ts';
import { planFacilitySummary, planHealthCardExpiring, planPasswordReminder, planUnitStatement, planVoluntaryTermEnding, type MessagePlan } from './messages.ts';

export const CAMPAIGN_TIME = '08:00';
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
