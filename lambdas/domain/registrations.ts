/**
 * E-registrations (seed 002): a declaration for electronic transactions made
 * online must be completed at a BHXH office, with the signed form 01 and an
 * identity document, within 10 days; one that is not is deleted
 * automatically. The lifecycle tells the citizen at once, reminds them on day
 * 7 and tells them on day 10 that the declaration was deleted, unless
 * EAccountRegistrationReviewed came first.
 */
import { createHash } from 'node:crypto';
import { addDays, quietUntil, vietnamDate, vietnamInstant, type QuietHours } from './vietnam-time.ts';

/**
 * starting: claimed by the intake, the execution not yet running; waiting: told, waiting for the review;
 * reminded: the day-7 reminder went; reviewed: the review came (it ends the lifecycle, whatever the outcome);
 * deleted: the deadline passed without a review, the citizen was told.
 */
export type RegistrationStatus = 'starting' | 'waiting' | 'reminded' | 'reviewed' | 'deleted';

/** The statuses in which the lifecycle still waits for a review: a review then ends it. */
export const AWAITING_REVIEW: readonly RegistrationStatus[] = ['starting', 'waiting', 'reminded'];

/** Which statuses each step may move from: a step retried after a crash finds its own status and does its work again (idempotent). */
export const STEP_FROM: Readonly<Record<'waiting' | 'reminded' | 'deleted', readonly RegistrationStatus[]>> = {
  waiting: ['starting', 'waiting'],
  reminded: ['waiting', 'reminded'],
  deleted: ['waiting', 'reminded', 'deleted'],
};

/** Days the citizen has to bring the signed form to an office, and the day of the reminder (seed 002). */
export const SUBMISSION_DAYS = 10;
export const REMINDER_DAY = 7;

/**
 * Days a registration item is kept after its last write (TTL): the lifecycle lasts 10 days; the item holds a
 * BHXH number and a phone number, and the review removes the phone number and e-mail address at once.
 */
export const REGISTRATION_RETENTION_DAYS = 30;

export interface RegistrationItem {
  registrationId: string;
  status: RegistrationStatus;
  personId?: string;
  phone?: string | null;
  email?: string | null;
  submittedAt?: string;
  /** The Vietnam date the declaration must be brought to an office before (submission date + 10 days). */
  deadline?: string;
  executionName?: string;
  submittedEventId?: string;
  /** When the lifecycle's first step ran (the received message, or its skip): a late step may make the reminder needless. */
  toldAt?: string;
  /** The waiting execution's task token (the wait of day 7, then the wait of the deadline). */
  taskToken?: string;
  reviewedAt?: string;
  reviewEventId?: string;
  updatedAt: string;
  /** TTL, epoch seconds. */
  expiresAt?: number;
}

/** What an execution is started with, and all its history shows: the registration number, nothing personal. */
export interface RegistrationLifecycleInput {
  registrationId: string;
}

/** What answers the wait (SendTaskSuccess): when the review came. No name, no outcome, no password. */
export interface RegistrationReview {
  reviewedAt: string;
}

/** The date before which the signed form must reach an office: the Vietnam date of the submission, plus 10 days. */
export function submissionDeadline(submittedAt: string): string {
  return addDays(vietnamDate(new Date(submittedAt)), SUBMISSION_DAYS);
}

/** Day 7: seven days after the declaration, to the minute. */
export function reminderDueAt(submittedAt: string): Date {
  return new Date(Date.parse(submittedAt) + REMINDER_DAY * 86_400_000);
}

/** Day 10: the deadline day begins, Vietnam time; the declaration is deleted. */
export function deletionDueAt(deadline: string): Date {
  return vietnamInstant(deadline, '00:00');
}

/**
 * Why a step of a submission that reached us late sends nothing (an upstream outage, a replay of old events).
 * deadline-passed: the date the messages name is gone, so "bring the form before …" would be false; only the
 * deletion notice goes. told-after-day-7: the received message went after day 7 and already says what the reminder
 * would repeat a second later.
 */
export type LateSkip = 'deadline-passed' | 'told-after-day-7';

/** Whether the received message is still true when its step runs at `now`. */
export function receivedSkip(r: { deadline: string }, now: Date): LateSkip | undefined {
  return now >= deletionDueAt(r.deadline) ? 'deadline-passed' : undefined;
}

/** Whether the day-7 reminder is worth sending when its step runs at `now`. */
export function reminderSkip(r: { deadline: string; submittedAt: string; toldAt?: string }, now: Date): LateSkip | undefined {
  if (now >= deletionDueAt(r.deadline)) return 'deadline-passed';
  if (r.toldAt !== undefined && Date.parse(r.toldAt) >= reminderDueAt(r.submittedAt).getTime()) return 'told-after-day-7';
  return undefined;
}

/**
 * Seconds until the execution should wake up for a step due at `due`, moved to the start of the sending window when
 * it falls in quiet hours: the step then runs (and queues its SMS) in the morning, and a review that comes during
 * the night still spares the citizen the reminder. At least 1 second (a step due already runs at once).
 */
export function wakeInSeconds(due: Date, now: Date, quietHours?: QuietHours): number {
  const at = quietHours ? (quietUntil(due, quietHours) ?? due) : due;
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}

const PREFIX = 'registration-';
/** Step Functions allows 80 characters in an execution name. */
const MAX_NAME = 80;

/**
 * `registration-<id>`: Step Functions names allow letters, digits, `-` and `_` (and a few more, which CloudWatch
 * logging of the execution does not want). A registration id (printable ASCII) keeps its letters, digits and `-`;
 * `_` becomes `__` and any other character `_<hex code>_`, so that no two ids share a name. A name that would pass
 * 80 characters (an id of long runs of punctuation) is the prefix and the SHA-256 of the id instead, in hex.
 */
export function registrationExecutionName(registrationId: string): string {
  const safe = registrationId.replace(/[^0-9A-Za-z-]/g, (c) => (c === '_' ? '__' : `_${(c.codePointAt(0) ?? 0).toString(16)}_`));
  const name = `${PREFIX}${safe}`;
  if (name.length <= MAX_NAME) return name;
  return `${PREFIX}${createHash('sha256').update(registrationId).digest('hex')}`;
}
