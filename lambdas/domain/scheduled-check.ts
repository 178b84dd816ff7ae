/**
 * A scheduled fact (a card, a voluntary payment, a password change, a unit's
 * statement, a facility's summary) becomes its message only at the campaign
 * run, days or months later: a fact whose message cannot be sent must be
 * refused when it arrives, with the reason, not found on the 1st in the middle
 * of a run. This renders the message the fact will become, from the due item
 * it will be stored as (`planFromDueItem`), in the worst case the contact
 * projection can add (a salutation for each gender, or none known), and checks
 * the dates it is scheduled by.
 */
import type { Contact } from './contacts.ts';
import { dueItemExpiry, type DueKind } from './due-items.ts';
import { CAMPAIGN_TIME, CARD_REMINDER_DAYS_BEFORE, PASSWORD_REMINDER_MONTHS, planFromDueItem } from './due-plans.ts';
import { renderPlan } from './messages.ts';
import type { DetailOf } from './schemas.ts';
import { addDays, dayOfNextMonth, sameDayMonthsLater, vietnamDate, vietnamInstant } from './vietnam-time.ts';

export const SCHEDULED_DETAIL_TYPES = ['HealthCardIssued', 'VoluntaryContributionPaid', 'PasswordChanged', 'UnitMonthlyStatement', 'FacilityClaimsSummary'] as const;
export type ScheduledDetailType = (typeof SCHEDULED_DETAIL_TYPES)[number];
export type ScheduledFact = { [T in ScheduledDetailType]: { detailType: T; detail: DetailOf<T> } }[ScheduledDetailType];

/** The due item a fact is stored as: its kind, the payload the campaign run plans from, and its due date. */
export interface ScheduledMessage {
  kind: DueKind;
  payload: Record<string, unknown>;
  dueDate: string;
}

/**
 * The message a fact is scheduled as, built as lambdas/flows/campaigns/scheduled-facts.ts stores it; undefined for
 * a card that gets no reminder (not a household card).
 */
export function scheduledMessageOf(fact: ScheduledFact): ScheduledMessage | undefined {
  switch (fact.detailType) {
    case 'HealthCardIssued': {
      const d = fact.detail;
      if (d.scheme !== 'household') return undefined;
      return { kind: 'health-card-expiring', payload: { personId: d.personId, cardNo: d.cardNo, validTo: d.validTo }, dueDate: addDays(d.validTo, -CARD_REMINDER_DAYS_BEFORE) };
    }
    case 'VoluntaryContributionPaid': {
      const d = fact.detail;
      const payload = { personId: d.personId, fullName: d.fullName, gender: d.gender ?? null, paidThrough: d.paidThrough, phone: d.phone ?? null };
      return { kind: 'voluntary-term-ending', payload, dueDate: `${d.paidThrough}-15` };
    }
    case 'PasswordChanged': {
      const d = fact.detail;
      const dueDate = vietnamDate(sameDayMonthsLater(new Date(d.changedAt), PASSWORD_REMINDER_MONTHS));
      return { kind: 'password-change-due', payload: { personId: d.personId, changedAt: d.changedAt }, dueDate };
    }
    case 'UnitMonthlyStatement':
      return { kind: 'unit-monthly-statement', payload: fact.detail, dueDate: dayOfNextMonth(fact.detail.month, 1) };
    case 'FacilityClaimsSummary':
      return { kind: 'facility-claims-summary', payload: fact.detail, dueDate: dayOfNextMonth(fact.detail.month, 6) };
  }
}

/** What the contact projection can add to a scheduled message: nothing known, or either gender's salutation. */
const CONTACT_CASES: ReadonlyArray<Contact | undefined> = [
  undefined,
  ...(['male', 'female'] as const).map((gender) => ({ subject: 'worst-case', name: '', phone: null, gender, asOf: '', eventId: '' })),
];

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

/**
 * Why a scheduled fact cannot become its message, one readable line per
 * problem (no field value in them: they are kept and logged); empty when it can.
 * The message must render to GSM-7 in at most 3 parts whatever the contact
 * projection adds, and its due date, run time and expiry must be real.
 */
export function scheduledFactProblems(fact: ScheduledFact, brandedKinds: readonly string[] = []): string[] {
  const scheduled = scheduledMessageOf(fact);
  if (!scheduled) return [];
  const { kind, payload, dueDate } = scheduled;
  const problems: string[] = [];
  const runAt = vietnamInstant(dueDate, CAMPAIGN_TIME).getTime();
  if (!isDate(dueDate) || !Number.isFinite(runAt) || !Number.isFinite(dueItemExpiry(dueDate))) {
    problems.push(`${kind}: the due date derived from the event (${dueDate.slice(0, 20)}) is not a date the schedule can hold`);
  }
  const plan = planFromDueItem({ kind, payload });
  for (const contact of CONTACT_CASES) {
    try {
      renderPlan(plan, contact, { branded: brandedKinds.includes(plan.kind) });
    } catch (error) {
      const problem = `message: ${error instanceof Error ? error.message : String(error)}${contact ? ` (with the salutation of a ${contact.gender} contact)` : ''}`;
      if (!problems.includes(problem)) problems.push(problem);
      break;
    }
  }
  return problems;
}
