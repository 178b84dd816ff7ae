/**
 * Reminders the system gives itself: the password change due 6 months after
 * the last change, and the operators' report on a dossier resolution whose
 * dossier never arrived.
 */
import { InternalDetailType } from '../commons/catalogue.ts';
import type { Dossiers } from '../commons/dossiers.ts';
import { planPasswordReminder } from '../commons/messages.ts';
import { recordAndQueue, type OutboundDeps, type OutboundOutcome } from '../commons/outbound.ts';
import { sameDayMonthsLater, scheduleName, type Schedules } from '../commons/schedules.ts';

export const PASSWORD_REMINDER_MONTHS = 6;

export interface ReminderDeps extends OutboundDeps {
  schedules: Schedules;
  dossiers: Dossiers;
  /** Tells operators (event on the bus, metric, alarm) about a resolution without its dossier. */
  reportUnmatchedResolution(dossierNo: string, since: string): Promise<void>;
}

export type ReminderOutcome =
  | { outcome: 'reminder-scheduled'; at: string }
  | { outcome: 'reminder-kept'; reason: string }
  | { outcome: 'resolution-unmatched-reported' | 'resolution-matched'; dossierNo: string };

export async function onPasswordChanged(d: { personId: string; changedAt: string }, deps: ReminderDeps): Promise<ReminderOutcome> {
  const name = scheduleName('password-reminder', d.personId);
  const pending = await deps.schedules.pending(name);
  // A late copy of an older change must not pull the reminder earlier.
  if (pending && new Date(String(pending.detail.changedAt)) >= new Date(d.changedAt)) {
    return { outcome: 'reminder-kept', reason: 'a newer or equal password change already set the reminder' };
  }
  const at = sameDayMonthsLater(new Date(d.changedAt), PASSWORD_REMINDER_MONTHS);
  await deps.schedules.scheduleOnce(name, at, { detailType: InternalDetailType.PasswordReminderDue, detail: { personId: d.personId, changedAt: d.changedAt } });
  return { outcome: 'reminder-scheduled', at: at.toISOString() };
}

export async function onPasswordReminderDue(d: { personId: string; changedAt: string }, eventId: string, deps: ReminderDeps): Promise<OutboundOutcome> {
  return recordAndQueue(planPasswordReminder(d), eventId, deps);
}

export async function onOrphanResolutionCheck(d: { dossierNo: string }, deps: ReminderDeps): Promise<ReminderOutcome> {
  const dossier = await deps.dossiers.get(d.dossierNo);
  if (dossier?.status !== 'awaiting-receipt') return { outcome: 'resolution-matched', dossierNo: d.dossierNo };
  await deps.reportUnmatchedResolution(d.dossierNo, dossier.orphanSince ?? '');
  return { outcome: 'resolution-unmatched-reported', dossierNo: d.dossierNo };
}
