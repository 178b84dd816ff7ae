/**
 * Dossiers: the status of each dossier (received with its due date,
 * rejected, resolved, overdue) and the task token of the execution waiting
 * for its resolution. A resolution that arrives before its dossier is kept
 * here too (status `awaiting-receipt`) and applied when the dossier appears.
 */
import { vietnamInstant } from './vietnam-time.ts';

export type DossierStatus = 'awaiting-receipt' | 'starting' | 'received' | 'rejected' | 'overdue' | 'resolved';

/**
 * The statuses of a dossier whose execution is (or will be) waiting for its resolution: a resolution that cannot
 * be answered at once (no token yet, or the token of a wait that timed out) is parked for the next wait.
 */
export const WAITING_STATUSES: readonly DossierStatus[] = ['starting', 'received', 'overdue'];

export interface Resolution {
  resolvedAt: string;
  eventId: string;
}

export interface DossierItem {
  dossierNo: string;
  status: DossierStatus;
  subjectType?: string;
  subjectId?: string;
  phone?: string | null;
  expectedResultDate?: string;
  rejectReason?: string;
  executionName?: string;
  receivedEventId?: string;
  taskToken?: string;
  pendingResolution?: Resolution;
  /** When a resolution arrived for a dossier not (yet) received: operators are told after a while. */
  orphanSince?: string;
  resolvedAt?: string;
  overdueSince?: string;
  ignoredResolutions?: number;
  updatedAt: string;
}

const ESCAPES: Record<string, string> = { '/': '-', _: '__', '-': '_-', '.': '_d' };
const UNESCAPES: Record<string, string> = Object.fromEntries(Object.entries(ESCAPES).map(([c, code]) => [code, c]));

/**
 * Step Functions execution names allow letters, digits, `-` and `_` (and a
 * few more characters, but CloudWatch logging of the execution wants only
 * these). Dossier numbers (`03085_G/2018/00604`, `04486.G/2019/08708`) become
 * readable, unique and reversible names: `/` → `-`, and `_`, `-` and `.` of
 * the number are escaped with `_` (`__`, `_-`, `_d`). Every `_` of a name
 * starts a two-character escape, so no two numbers share a name; at most 80
 * characters for the schema's 40.
 */
export function executionNameOf(dossierNo: string): string {
  return dossierNo.replace(/[_\-/.]/g, (c) => ESCAPES[c] ?? c);
}

export function dossierNoOf(executionName: string): string {
  return executionName.replace(/_[_\-d]|-/g, (code) => UNESCAPES[code] ?? code);
}

/** Longest single wait: keeps every task timeout well inside what timers and Step Functions accept. */
export const MAX_WAKE_SECONDS = 20 * 86_400;

/** The end of the promised day in Vietnam: after it, the dossier is overdue. */
export function dueEnd(expectedResultDate: string): Date {
  return new Date(vietnamInstant(expectedResultDate, '00:00').getTime() + 86_400_000);
}

/** When the waiting execution should next wake up to check the dossier, in seconds. */
export function wakeInSeconds(expectedResultDate: string | undefined, now: Date, overdue: boolean): number {
  if (!expectedResultDate || overdue) return MAX_WAKE_SECONDS;
  const seconds = Math.ceil((dueEnd(expectedResultDate).getTime() - now.getTime()) / 1000);
  return Math.min(MAX_WAKE_SECONDS, Math.max(1, seconds));
}
