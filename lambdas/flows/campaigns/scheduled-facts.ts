/**
 * Scheduled notifications: the facts that lead to a later message are put in
 * the due-date index by the intake; each kind's campaign run turns a day's
 * items into messages. If a fact arrives after its moment has passed (a
 * statement published on the 2nd), the message goes at once.
 */
import { CAMPAIGN_TIME, CARD_REMINDER_DAYS_BEFORE, PASSWORD_REMINDER_MONTHS, planFromDueItem } from '../../domain/due-plans.ts';
import type { DueKind } from '../../domain/due-items.ts';
import type { DetailOf } from '../../domain/schemas.ts';
import { addDays, dayOfNextMonth, sameDayMonthsLater, vietnamDate, vietnamInstant } from '../../domain/vietnam-time.ts';
import { recordAndQueue, type MessagingPorts, type OutboundOutcome } from '../messaging/record-and-queue.ts';
import type { DueItemStore } from '../ports.ts';

export interface SchedulePorts extends MessagingPorts {
  dueItems: DueItemStore;
}

export type ScheduleOutcome = { outcome: 'scheduled'; kind: DueKind; dueDate: string } | { outcome: 'cancelled'; kind: DueKind } | OutboundOutcome;

async function scheduleOrSend(
  kind: DueKind,
  pk: string,
  dueDate: string,
  payload: Record<string, unknown>,
  eventId: string,
  asOf: string,
  deps: SchedulePorts,
): Promise<ScheduleOutcome> {
  if (deps.now() >= vietnamInstant(dueDate, CAMPAIGN_TIME)) {
    return recordAndQueue(planFromDueItem({ kind, payload }), eventId, deps);
  }
  await deps.dueItems.put({ pk, kind, dueDate, payload, eventId, asOf });
  return { outcome: 'scheduled', kind, dueDate };
}

export async function onHealthCardIssued(d: DetailOf<'HealthCardIssued'>, eventId: string, asOf: string, deps: SchedulePorts): Promise<ScheduleOutcome> {
  const pk = `health-card-expiring#${d.personId}`;
  if (d.scheme !== 'household') {
    // Not (or no longer) a household card: no reminder, and none left pending from an earlier one.
    await deps.dueItems.remove(pk, asOf);
    return { outcome: 'cancelled', kind: 'health-card-expiring' };
  }
  const dueDate = addDays(d.validTo, -CARD_REMINDER_DAYS_BEFORE);
  if (deps.now() > vietnamInstant(addDays(d.validTo, 1), '00:00')) return { outcome: 'cancelled', kind: 'health-card-expiring' }; // already expired
  return scheduleOrSend('health-card-expiring', pk, dueDate, { personId: d.personId, cardNo: d.cardNo, validTo: d.validTo }, eventId, asOf, deps);
}

export async function onVoluntaryContributionPaid(d: DetailOf<'VoluntaryContributionPaid'>, eventId: string, asOf: string, deps: SchedulePorts): Promise<ScheduleOutcome> {
  const payload = { personId: d.personId, fullName: d.fullName, gender: d.gender ?? null, paidThrough: d.paidThrough, phone: d.phone ?? null };
  return scheduleOrSend('voluntary-term-ending', `voluntary-term-ending#${d.personId}`, `${d.paidThrough}-15`, payload, eventId, asOf, deps);
}

/**
 * A password change due 6 months later, at the 08:00 run; a later change replaces it, an older copy does not.
 * Changes are ordered by `changedAt`, but never later than the event's own ordering time (`arrivedAsOf`, the
 * earlier of its time and its arrival: SPEC rule 11), so a change dated in the future cannot block later ones.
 */
export async function onPasswordChanged(d: DetailOf<'PasswordChanged'>, eventId: string, arrivedAsOf: string, deps: SchedulePorts): Promise<ScheduleOutcome> {
  const due = vietnamDate(sameDayMonthsLater(new Date(d.changedAt), PASSWORD_REMINDER_MONTHS));
  const asOf = new Date(Math.min(Date.parse(d.changedAt), Date.parse(arrivedAsOf))).toISOString();
  const stored = await deps.dueItems.put({
    pk: `password-change-due#${d.personId}`,
    kind: 'password-change-due',
    dueDate: due,
    payload: { personId: d.personId, changedAt: d.changedAt },
    eventId,
    asOf,
  });
  return stored ? { outcome: 'scheduled', kind: 'password-change-due', dueDate: due } : { outcome: 'cancelled', kind: 'password-change-due' };
}

export async function onUnitMonthlyStatement(d: DetailOf<'UnitMonthlyStatement'>, eventId: string, asOf: string, deps: SchedulePorts): Promise<ScheduleOutcome> {
  return scheduleOrSend('unit-monthly-statement', `unit-monthly-statement#${d.unitCode}#${d.month}`, dayOfNextMonth(d.month, 1), d as Record<string, unknown>, eventId, asOf, deps);
}

export async function onFacilityClaimsSummary(d: DetailOf<'FacilityClaimsSummary'>, eventId: string, asOf: string, deps: SchedulePorts): Promise<ScheduleOutcome> {
  return scheduleOrSend(
    'facility-claims-summary',
    `facility-claims-summary#${d.facilityCode}#${d.month}`,
    dayOfNextMonth(d.month, 6),
    d as Record<string, unknown>,
    eventId,
    asOf,
    deps,
  );
}
