/**
 * DossierReceived starts a dossier's lifecycle (once, whatever the number of
 * copies); DossierResolved resumes it, is parked for its next wait (when the
 * execution is between two waits), or is kept until the dossier appears.
 *
 * The dossier's details (applicant, phone, due date, reason) go to the
 * dossiers table only; the execution is started with its number alone
 * (LifecycleInput), so its input and history, which operators browse in the
 * console, hold nothing personal.
 */
import { InternalDetailType } from '../../domain/catalogue.ts';
import { executionNameOf, type Resolution } from '../../domain/dossiers.ts';
import { scheduleName } from '../../domain/schedules.ts';
import type { DetailOf } from '../../domain/schemas.ts';
import type { Clock, DossierStore, Schedules } from '../ports.ts';
import type { LifecycleInput } from './steps.ts';

export interface DossierEventPorts extends Clock {
  dossiers: DossierStore;
  /** Step Functions StartExecution; an execution of the same name already running counts as started. */
  startLifecycle(name: string, input: LifecycleInput): Promise<void>;
  /** Step Functions SendTaskSuccess; false when the token can no longer be answered (timed out, already answered, invalid). */
  resumeExecution(taskToken: string, resolution: Resolution): Promise<boolean>;
  schedules: Schedules;
  /** How long a resolution may wait for its dossier before operators are told (bhxh:orphanResolutionReportHours). */
  orphanReportAfterMs: number;
}

export type DossierOutcome =
  | { outcome: 'lifecycle-started'; dossierNo: string; execution: string }
  | { outcome: 'duplicate-receipt'; dossierNo: string; status: string }
  | { outcome: 'resolution-delivered' | 'resolution-parked' | 'resolution-kept-until-received'; dossierNo: string }
  | { outcome: 'resolution-ignored'; dossierNo: string; status: string };

export async function onDossierReceived(d: DetailOf<'DossierReceived'>, eventId: string, deps: DossierEventPorts): Promise<DossierOutcome> {
  const execution = executionNameOf(d.dossierNo);
  const claimed = await deps.dossiers.claimForLifecycle(
    {
      dossierNo: d.dossierNo,
      subjectType: d.subjectType,
      subjectId: d.subjectId,
      phone: d.phone ?? null,
      expectedResultDate: d.expectedResultDate,
      // Kept for a rejected dossier only: a stored reason is what says "rejected" to the receipt step (steps.ts).
      rejectReason: d.valid ? undefined : d.rejectReason,
      executionName: execution,
      receivedEventId: eventId,
    },
    deps.now(),
  );
  if (!claimed) {
    const existing = await deps.dossiers.get(d.dossierNo);
    // Claimed but never started (a crash between the two writes): start it now; the name makes it idempotent.
    if (existing?.status !== 'starting' || existing.receivedEventId !== eventId) {
      return { outcome: 'duplicate-receipt', dossierNo: d.dossierNo, status: existing?.status ?? 'unknown' };
    }
  }
  await deps.startLifecycle(execution, { dossierNo: d.dossierNo });
  return { outcome: 'lifecycle-started', dossierNo: d.dossierNo, execution };
}

export async function onDossierResolved(d: DetailOf<'DossierResolved'>, eventId: string, deps: DossierEventPorts): Promise<DossierOutcome> {
  const resolution: Resolution = { resolvedAt: d.resolvedAt, eventId };
  for (let attempt = 0; attempt < 3; attempt++) {
    const dossier = await deps.dossiers.get(d.dossierNo);
    if (!dossier) {
      if (await deps.dossiers.keepOrphanResolution(d.dossierNo, resolution, deps.now())) {
        await deps.schedules.scheduleOnce(scheduleName('orphan-resolution', d.dossierNo), new Date(deps.now().getTime() + deps.orphanReportAfterMs), {
          detailType: InternalDetailType.OrphanResolutionCheck,
          detail: { dossierNo: d.dossierNo },
        });
        return { outcome: 'resolution-kept-until-received', dossierNo: d.dossierNo };
      }
      continue; // the dossier appeared meanwhile
    }
    switch (dossier.status) {
      case 'awaiting-receipt':
      case 'resolved':
        return { outcome: 'resolution-ignored', dossierNo: d.dossierNo, status: dossier.status };
      case 'rejected':
        await deps.dossiers.countIgnoredResolution(d.dossierNo, deps.now());
        return { outcome: 'resolution-ignored', dossierNo: d.dossierNo, status: 'rejected' };
      default:
        // The first resolution parked wins; the next wait answers it (storeTaskToken refuses a token while one is parked).
        if (dossier.pendingResolution) return { outcome: 'resolution-ignored', dossierNo: d.dossierNo, status: 'already-parked' };
        if (dossier.taskToken && (await deps.resumeExecution(dossier.taskToken, resolution))) {
          return { outcome: 'resolution-delivered', dossierNo: d.dossierNo };
        }
        // No token yet, or a dead one: the wait timed out (the execution is checking for overdue, its next wait not
        // stored yet), or the execution was resumed by an earlier resolution (then it is resolved without this one,
        // and setResolved drops it). Parked for the next wait, on condition that the token is still the one seen.
        if (await deps.dossiers.parkResolution(d.dossierNo, resolution, deps.now(), dossier.taskToken)) {
          return { outcome: 'resolution-parked', dossierNo: d.dossierNo };
        }
      // a new token was stored, or the dossier resolved, meanwhile: read again
    }
  }
  throw new Error(`dossier ${d.dossierNo} kept changing while its resolution was applied; retrying`);
}
