/**
 * The steps of the dossier lifecycle state machine, as plain functions.
 * The state machine decides the order; these record the status and the
 * messages, and compute when the execution should next wake up. Every step
 * is given the dossier number only and reads the rest from the dossiers
 * table: nothing personal passes through the execution's state.
 */
import { NotifyDetailType } from '../../domain/catalogue.ts';
import type { SubjectType } from '../../domain/contacts.ts';
import { dueEnd, MAX_WAKE_SECONDS, wakeInSeconds, type Resolution } from '../../domain/dossiers.ts';
import { planDossierAccepted, planDossierOverdueApology, planDossierRejected, planDossierResolved, present, type DossierAddress } from '../../domain/messages.ts';
import { recordAndQueue, type MessagingPorts } from '../messaging/record-and-queue.ts';
import type { DossierStore, EventPublisher } from '../ports.ts';

/** What a dossier's execution is started with (its history shows it): the number, nothing personal. */
export interface LifecycleInput {
  dossierNo: string;
}

export interface DossierStepPorts extends MessagingPorts {
  dossiers: DossierStore;
  events: EventPublisher;
  /** Completes a waiting execution (Step Functions SendTaskSuccess). */
  resumeExecution(taskToken: string, resolution: Resolution): Promise<void>;
  /** Whether the citizen gets the agency's apology when the promised date passes (bhxh:dossierOverdueApology). */
  apologiseWhenOverdue: boolean;
}

function address(d: { dossierNo: string; subjectType?: string; subjectId?: string; phone?: string | null }): DossierAddress {
  return { dossierNo: d.dossierNo, subjectType: d.subjectType as SubjectType, subjectId: d.subjectId ?? '', phone: d.phone ?? null };
}

/**
 * The dossier as the intake claimed it: a reason is stored for a rejected dossier only
 * (flows/dossiers/lifecycle-events.ts), so a reason means "not valid".
 */
export async function recordReceipt(dossierNo: string, deps: DossierStepPorts): Promise<{ valid: boolean; timeoutSeconds: number }> {
  const dossier = await deps.dossiers.get(dossierNo);
  if (!dossier) throw new Error(`dossier ${dossierNo} is missing, cannot record its receipt`);
  const eventId = present(dossier.receivedEventId, 'receivedEventId');
  const valid = dossier.rejectReason === undefined || dossier.rejectReason === null;
  await deps.dossiers.setReceived(dossierNo, valid, deps.now());
  if (valid) {
    await recordAndQueue(planDossierAccepted({ ...address(dossier), expectedResultDate: present(dossier.expectedResultDate, 'expectedResultDate') }), eventId, deps);
  } else {
    await recordAndQueue(planDossierRejected({ ...address(dossier), rejectReason: present(dossier.rejectReason, 'rejectReason') }), eventId, deps);
  }
  return { valid, timeoutSeconds: wakeInSeconds(dossier.expectedResultDate ?? undefined, deps.now(), false) };
}

/**
 * Stores the token; if a resolution is already parked (it came before the first wait, or between two waits when
 * the previous one had timed out), answers it at once, with this wait's token.
 */
export async function awaitResult(dossierNo: string, taskToken: string, deps: DossierStepPorts): Promise<'waiting' | 'resumed'> {
  if (await deps.dossiers.storeTaskToken(dossierNo, taskToken, deps.now())) return 'waiting';
  const dossier = await deps.dossiers.get(dossierNo);
  if (!dossier?.pendingResolution) throw new Error(`dossier ${dossierNo} is missing, cannot wait for its result`);
  await deps.resumeExecution(taskToken, dossier.pendingResolution);
  return 'resumed';
}

/** `newlyOverdue` is true for the one check that marked the dossier overdue (and published DossierOverdue). */
export async function checkOverdue(dossierNo: string, deps: DossierStepPorts): Promise<{ overdue: boolean; timeoutSeconds: number; newlyOverdue?: true }> {
  const dossier = await deps.dossiers.get(dossierNo);
  if (!dossier?.expectedResultDate) return { overdue: false, timeoutSeconds: MAX_WAKE_SECONDS };
  const now = deps.now();
  if (now < dueEnd(dossier.expectedResultDate)) return { overdue: false, timeoutSeconds: wakeInSeconds(dossier.expectedResultDate, now, false) };
  if (dossier.status === 'overdue') return { overdue: true, timeoutSeconds: MAX_WAKE_SECONDS };
  // Published (and the apology queued, idempotent by its key) before the dossier is marked: a PutEvents that fails
  // fails the step, and its retry must still find the dossier unmarked and publish. A retry after a crash between
  // the publish and the mark publishes a second DossierOverdue (at least once; its consumers key it by dossierNo).
  await deps.events.publish(NotifyDetailType.DossierOverdue, { dossierNo, expectedResultDate: dossier.expectedResultDate, overdueSince: now.toISOString() });
  if (deps.apologiseWhenOverdue) {
    await recordAndQueue(planDossierOverdueApology({ ...address(dossier), expectedResultDate: dossier.expectedResultDate }), `overdue-${dossierNo}`, deps);
  }
  const newly = await deps.dossiers.markOverdue(dossierNo, now);
  return { overdue: true, timeoutSeconds: MAX_WAKE_SECONDS, ...(newly ? { newlyOverdue: true as const } : {}) };
}

export async function recordResolution(dossierNo: string, resolution: Resolution, deps: DossierStepPorts): Promise<{ resolved: true }> {
  const dossier = await deps.dossiers.get(dossierNo);
  if (!dossier) throw new Error(`dossier ${dossierNo} is missing, cannot record its resolution`);
  await deps.dossiers.setResolved(dossierNo, resolution, deps.now());
  await recordAndQueue(planDossierResolved(address(dossier)), resolution.eventId, deps);
  return { resolved: true };
}
