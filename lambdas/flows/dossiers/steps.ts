/**
 * The steps of the dossier lifecycle state machine, as plain functions.
 * The state machine decides the order; these record the status and the
 * messages, and compute when the execution should next wake up.
 */
import { NotifyDetailType } from '../../domain/catalogue.ts';
import type { SubjectType } from '../../domain/contacts.ts';
import { dueEnd, MAX_WAKE_SECONDS, wakeInSeconds, type Resolution } from '../../domain/dossiers.ts';
import { planDossierAccepted, planDossierOverdueApology, planDossierRejected, planDossierResolved, present, type DossierAddress } from '../../domain/messages.ts';
import { recordAndQueue, type MessagingPorts } from '../messaging/record-and-queue.ts';
import type { DossierStore, EventPublisher } from '../ports.ts';

export interface DossierInput {
  dossierNo: string;
  subjectType: SubjectType;
  subjectId: string;
  valid: boolean;
  expectedResultDate?: string;
  rejectReason?: string;
  phone?: string | null;
  eventId: string;
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

export async function recordReceipt(input: DossierInput, deps: DossierStepPorts): Promise<{ valid: boolean; timeoutSeconds: number }> {
  await deps.dossiers.setReceived(input.dossierNo, input.valid, deps.now());
  if (input.valid) {
    await recordAndQueue(planDossierAccepted({ ...address(input), expectedResultDate: present(input.expectedResultDate, 'expectedResultDate') }), input.eventId, deps);
  } else {
    await recordAndQueue(planDossierRejected({ ...address(input), rejectReason: present(input.rejectReason, 'rejectReason') }), input.eventId, deps);
  }
  return { valid: input.valid, timeoutSeconds: wakeInSeconds(input.expectedResultDate, deps.now(), false) };
}

/** Stores the token; if a resolution is already parked (it arrived early), answers it at once. */
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
  if (!(await deps.dossiers.markOverdue(dossierNo, now))) return { overdue: true, timeoutSeconds: MAX_WAKE_SECONDS };
  await deps.events.publish(NotifyDetailType.DossierOverdue, { dossierNo, expectedResultDate: dossier.expectedResultDate, overdueSince: now.toISOString() });
  if (deps.apologiseWhenOverdue) {
    await recordAndQueue(planDossierOverdueApology({ ...address(dossier), expectedResultDate: dossier.expectedResultDate }), `overdue-${dossierNo}`, deps);
  }
  return { overdue: true, timeoutSeconds: MAX_WAKE_SECONDS, newlyOverdue: true };
}

export async function recordResolution(dossierNo: string, resolution: Resolution, deps: DossierStepPorts): Promise<{ resolved: true }> {
  const dossier = await deps.dossiers.get(dossierNo);
  if (!dossier) throw new Error(`dossier ${dossierNo} is missing, cannot record its resolution`);
  await deps.dossiers.setResolved(dossierNo, resolution, deps.now());
  await recordAndQueue(planDossierResolved(address(dossier)), resolution.eventId, deps);
  return { resolved: true };
}
