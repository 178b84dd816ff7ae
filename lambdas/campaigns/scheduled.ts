/**
 * Scheduled notifications: the facts that lead to a later message are put in
 * the due-date index by the intake; each kind's campaign run turns a day's
 * items into messages. If a fact arrives after its moment has passed (a
 * statement published on the 2nd), the message goes at once.
 */
import type { DetailOf } from '../commons/schemas.ts';
import type { DueItem, DueItems, DueKind } from '../commons/due-items.ts';
import {
  planFacilitySummary,
  planHealthCardExpiring,
  planPasswordReminder,
  planUnitStatement,
  planVoluntaryTermEnding,
  type MessagePlan,
} from '../commons/messages.ts';
import { recordAndQueue, type OutboundDeps, type OutboundOutcome, type QueuedMessage } from '../commons/outbound.ts';
import { addDays, dayOfNextMonth, vietnamDate, vietnamInstant } from '../commons/vietnam-time.ts';
import { sameDayMonthsLater } from '../commons/schedules.ts';
import { sendCollectorSummary, type CollectionDeps } from './collections.ts';

/** Daily, monthly and summary runs start at 08:00 Vietnam time (seeds 000, 001, 003). */
export const CAMPAIGN_TIME = '08:00';
export const CARD_REMINDER_DAYS_BEFORE = 30;

export type CampaignKind = Exclude<DueKind, never>;

export interface ScheduleDeps extends OutboundDeps {
  dueItems: DueItems;
}

export type ScheduleOutcome = { outcome: 'scheduled'; kind: DueKind; dueDate: string } | { outcome: 'cancelled'; kind: DueKind } | OutboundOutcome;

export function planFromDueItem(item: Pick<DueItem, 'kind' | 'payload'>): MessagePlan {
  const p = item.payload as any;
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

async function scheduleOrSend(kind: DueKind, pk: string, dueDate: string, payload: Record<string, unknown>, eventId: string, asOf: string, deps: ScheduleDeps): Promise<ScheduleOutcome> {
  if (deps.now() >= vietnamInstant(dueDate, CAMPAIGN_TIME)) {
    return recordAndQueue(planFromDueItem({ kind, payload }), eventId, deps);
  }
  await deps.dueItems.put({ pk, kind, dueDate, payload, eventId, asOf });
  return { outcome: 'scheduled', kind, dueDate };
}

export async function onHealthCardIssued(d: DetailOf<'HealthCardIssued'>, eventId: string, asOf: string, deps: ScheduleDeps): Promise<ScheduleOutcome> {
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

export async function onVoluntaryContributionPaid(d: DetailOf<'VoluntaryContributionPaid'>, eventId: string, asOf: string, deps: ScheduleDeps): Promise<ScheduleOutcome> {
  const payload = { personId: d.personId, fullName: d.fullName, gender: d.gender ?? null, paidThrough: d.paidThrough, phone: d.phone ?? null };
  return scheduleOrSend('voluntary-term-ending', `voluntary-term-ending#${d.personId}`, `${d.paidThrough}-15`, payload, eventId, asOf, deps);
}

export const PASSWORD_REMINDER_MONTHS = 6;

/** A password change due 6 months later, at the 08:00 run; a later change replaces it, an older copy does not. */
export async function onPasswordChanged(d: DetailOf<'PasswordChanged'>, eventId: string, deps: ScheduleDeps): Promise<ScheduleOutcome> {
  const due = vietnamDate(sameDayMonthsLater(new Date(d.changedAt), PASSWORD_REMINDER_MONTHS));
  const asOf = new Date(d.changedAt).toISOString();
  const stored = await deps.dueItems.put({ pk: `password-change-due#${d.personId}`, kind: 'password-change-due', dueDate: due, payload: { personId: d.personId, changedAt: d.changedAt }, eventId, asOf });
  return stored ? { outcome: 'scheduled', kind: 'password-change-due', dueDate: due } : { outcome: 'cancelled', kind: 'password-change-due' };
}

export async function onUnitMonthlyStatement(d: DetailOf<'UnitMonthlyStatement'>, eventId: string, asOf: string, deps: ScheduleDeps): Promise<ScheduleOutcome> {
  return scheduleOrSend('unit-monthly-statement', `unit-monthly-statement#${d.unitCode}#${d.month}`, dayOfNextMonth(d.month, 1), d as Record<string, unknown>, eventId, asOf, deps);
}

export async function onFacilityClaimsSummary(d: DetailOf<'FacilityClaimsSummary'>, eventId: string, asOf: string, deps: ScheduleDeps): Promise<ScheduleOutcome> {
  return scheduleOrSend('facility-claims-summary', `facility-claims-summary#${d.facilityCode}#${d.month}`, dayOfNextMonth(d.month, 6), d as Record<string, unknown>, eventId, asOf, deps);
}

export interface PageResult {
  read: number;
  queued: number;
  deferred: number;
  duplicates: number;
  skipped: number;
  cursor?: Record<string, unknown>;
}

/** One page of one shard of a campaign: each due item becomes a message, exactly once (the ledger key). */
export async function runCampaignPage(
  input: { kind: DueKind; date: string; shard: number; cursor?: Record<string, unknown>; pageSize: number },
  deps: CollectionDeps,
): Promise<PageResult> {
  const page = await deps.dueItems.page(input.kind, input.date, input.shard, input.cursor, input.pageSize);
  const result: PageResult = { read: page.read, queued: 0, deferred: 0, duplicates: 0, skipped: 0, ...(page.cursor ? { cursor: page.cursor } : {}) };
  for (const item of page.items) {
    if (item.kind === 'quiet-hours-release') {
      await deps.enqueue(item.payload as unknown as QueuedMessage);
      result.queued += 1;
      continue;
    }
    const outcome =
      item.kind === 'collector-summary'
        ? await sendCollectorSummary(item.payload as { collectorCode: string; date: string }, item.eventId, deps)
        : await recordAndQueue(planFromDueItem(item), item.eventId, deps);
    if (outcome.outcome === 'queued' || outcome.outcome === 'requeued') result.queued += 1;
    else if (outcome.outcome === 'deferred') result.deferred += 1;
    else if (outcome.outcome === 'duplicate') result.duplicates += 1;
    else result.skipped += 1;
  }
  return result;
}
