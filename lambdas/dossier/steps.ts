/**
 * The steps of the dossier lifecycle state machine, as plain functions.
 * The state machine decides the order; these record the status and the
 * messages, and compute when the execution should next wake up.
 */
import type { DossierItem, Dossiers, Resolution } from '../commons/dossiers.ts';
import { recordAndQueue, type OutboundDeps } from '../commons/outbound.ts';
import { planDossierAccepted, planDossierOverdueApology, planDossierRejected, planDossierResolved, type DossierAddress } from '../commons/messages.ts';
import type { SubjectType } from '../commons/contacts.ts';

/** Longest single wait: keeps every task timeout well inside what timers and Step Functions accept. */
export const MAX_WAKE_SECONDS = 20 * 86_400;

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

export interface DossierStepDeps extends OutboundDeps {
  dossiers: Dossiers;
  /** Completes a waiting execution (Step Functions SendTaskSuccess). */
  resumeExecution(taskToken: string, resolution: Resolution): Promise<void>;
  /** Publishes DossierOverdue on the bus and counts it. */
  announceOverdue(dossier: DossierItem): Promise<void>;
  /** Whether the citizen gets the agency's apology when the promised date passes (off unless configured). */
  apologiseWhenOverdue: boolean;
}

/** The end of the promised day in Vietnam (UTC+7): after it, the dossier is overdue. */
export function dueEnd(expectedResultDate: string): Date {
  return new Date(new Date(`${expectedResultDate}T00:00:00+07:00`).getTime() + 86_400_000);
}

export function wakeInSeconds(expectedResultDate: string | undefined, now: Date, overdue: boolean): number {
  if (!expectedResultDate || overdue) return MAX_WAKE_SECONDS;
  const seconds = Math.ceil((dueEnd(expectedResultDate).getTime() - now.getTime()) / 1000);
  return Math.min(MAX_WAKE_SECONDS, Math.max(1, seconds));
}

function address(d: { dossierNo: string; subjectType?: string; subjectId?: string; phone?: string | null }): DossierAddress {
  return { dossierNo: d.dossierNo, subjectType: d.subjectType as SubjectType, subjectId: d.subjectId ?? '', phone: d.phone ?? null };
}

export async function recordReceipt(input: DossierInput, deps: DossierStepDeps): Promise<{ valid: boolean; timeoutSeconds: number }> {
  await deps.dossiers.setReceived(input.dossierNo, input.valid, deps.now());
  if (input.valid) {
    await recordAndQueue(planDossierAccepted({ ...address(input), expectedResultDate: input.expectedResultDate! }), input.eventId, deps);
  } else {
    await recordAndQueue(planDossierRejected({ ...address(input), rejectReason: input.rejectReason! }), input.eventId, deps);
  }
  return { valid: input.valid, timeoutSeconds: wakeInSeconds(input.expectedResultDate, deps.now(), false) };
}

/** Stores the token; if a resolution is already parked (it arrived early), answers it at once. */
export async function awaitResult(dossierNo: string, taskToken: string, deps: DossierStepDeps): Promise<'waiting' | 'resumed'> {
  if (await deps.dossiers.storeTaskToken(dossierNo, taskToken, deps.now())) return 'waiting';
  const dossier = await deps.dossiers.get(dossierNo);
  if (!dossier?.pendingResolution) throw new Error(`dossier ${dossierNo} is missing, cannot wait for its result`);
  await deps.resumeExecution(taskToken, dossier.pendingResolution);
  return 'resumed';
}

export async function checkOverdue(dossierNo: string, deps: DossierStepDeps): Promise<{ overdue: boolean; timeoutSeconds: number }> {
  const dossier = await deps.dossiers.get(dossierNo);
  if (!dossier?.expectedResultDate) return { overdue: false, timeoutSeconds: MAX_WAKE_SECONDS };
  const now = deps.now();
  if (now < dueEnd(dossier.expectedResultDate)) return { overdue: false, timeoutSeconds: wakeInSeconds(dossier.expectedResultDate, now, false) };
  if (await deps.dossiers.markOverdue(dossierNo, now)) {
    await deps.announceOverdue({ ...dossier, status: 'overdue', overdueSince: now.toISOString() });
    if (deps.apologiseWhenOverdue) {
      await recordAndQueue(planDossierOverdueApology({ ...address(dossier), expectedResultDate: dossier.expectedResultDate }), `overdue-${dossierNo}`, deps);
    }
  }
  return { overdue: true, timeoutSeconds: MAX_WAKE_SECONDS };
}

export async function recordResolution(dossierNo: string, resolution: Resolution, deps: DossierStepDeps): Promise<{ resolved: true }> {
  const dossier = await deps.dossiers.get(dossierNo);
  if (!dossier) throw new Error(`dossier ${dossierNo} is missing, cannot record its resolution`);
  await deps.dossiers.setResolved(dossierNo, resolution, deps.now());
  await recordAndQueue(planDossierResolved(address(dossier)), resolution.eventId, deps);
  return { resolved: true };
}
