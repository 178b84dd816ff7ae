/**
 * The steps of the e-registration lifecycle state machine, as plain
 * functions. The state machine decides the order (tell, wait until day 7,
 * remind, wait until the deadline, tell it was deleted); these record the
 * status and the messages and compute when the execution should next wake up.
 * Every step is given the registration number only and reads the rest from
 * the registrations table: nothing personal passes through the execution.
 *
 * A step that finds the review recorded sends nothing: each message goes only
 * after a conditional write (advance) that the review, once recorded,
 * refuses. A review that lands after that write is later than the message.
 */
import { planRegistrationDeleted, planRegistrationReceived, planRegistrationReminder, present, type RegistrationAddress } from '../../domain/messages.ts';
import {
  deletionDueAt,
  type LateSkip,
  receivedSkip,
  reminderDueAt,
  reminderSkip,
  wakeInSeconds,
  type RegistrationItem,
  type RegistrationReview,
} from '../../domain/registrations.ts';
import { recordAndQueue, type MessagingPorts } from '../messaging/record-and-queue.ts';
import type { RegistrationStore } from '../ports.ts';

export interface RegistrationStepPorts extends MessagingPorts {
  registrations: RegistrationStore;
  /** Completes this execution's own wait (Step Functions SendTaskSuccess) when the review came before it. */
  answerOwnWait(taskToken: string, review: RegistrationReview): Promise<void>;
}

/** What the steps that precede a wait return (the execution history shows it): when to wake up, nothing personal. */
export interface NextWake {
  timeoutSeconds: number;
  /** Whether this step sent its message (false: the review came first, or `skipped` says why). */
  sent: boolean;
  /** A submission that reached us late: why its message would be false or needless (the history shows it). */
  skipped?: LateSkip;
}

async function registration(registrationId: string, deps: RegistrationStepPorts): Promise<RegistrationItem> {
  const r = await deps.registrations.get(registrationId);
  if (!r) throw new Error(`registration ${registrationId} is missing`);
  return r;
}

function address(r: RegistrationItem): RegistrationAddress {
  return {
    registrationId: r.registrationId,
    personId: present(r.personId, 'personId'),
    deadline: present(r.deadline, 'deadline'),
    phone: r.phone ?? null,
    email: r.email ?? null,
  };
}

/**
 * At once: received, bring form 01 before the deadline (not when the deadline is gone: a late submission gets the
 * deletion notice only). Wakes up on day 7 (in the sending window).
 */
export async function recordSubmission(registrationId: string, deps: RegistrationStepPorts): Promise<NextWake> {
  const r = await registration(registrationId, deps);
  const submittedAt = present(r.submittedAt, 'submittedAt');
  const skipped = receivedSkip({ deadline: present(r.deadline, 'deadline') }, deps.now());
  const advanced = await deps.registrations.advance(registrationId, 'waiting', deps.now());
  const sent = advanced && !skipped;
  if (sent) await recordAndQueue(planRegistrationReceived(address(r)), present(r.submittedEventId, 'submittedEventId'), deps);
  return { timeoutSeconds: wakeInSeconds(reminderDueAt(submittedAt), deps.now(), deps.quietHours), sent, ...(advanced && skipped ? { skipped } : {}) };
}

/** Stores the wait's token; if the review is recorded already, answers the wait at once with this token. */
export async function awaitReview(registrationId: string, taskToken: string, deps: RegistrationStepPorts): Promise<'waiting' | 'reviewed'> {
  if (await deps.registrations.storeTaskToken(registrationId, taskToken, deps.now())) return 'waiting';
  const r = await registration(registrationId, deps);
  await deps.answerOwnWait(taskToken, { reviewedAt: r.reviewedAt ?? deps.now().toISOString() });
  return 'reviewed';
}

/**
 * Day 7, not reviewed: the reminder (not when the received message itself went after day 7, nor after the deadline).
 * Wakes up when the deadline day begins (in the sending window).
 */
export async function remind(registrationId: string, deps: RegistrationStepPorts): Promise<NextWake> {
  const r = await registration(registrationId, deps);
  const deadline = present(r.deadline, 'deadline');
  const skipped = reminderSkip({ deadline, submittedAt: present(r.submittedAt, 'submittedAt'), toldAt: r.toldAt }, deps.now());
  const advanced = await deps.registrations.advance(registrationId, 'reminded', deps.now());
  const sent = advanced && !skipped;
  if (sent) await recordAndQueue(planRegistrationReminder(address(r)), present(r.submittedEventId, 'submittedEventId'), deps);
  return { timeoutSeconds: wakeInSeconds(deletionDueAt(deadline), deps.now(), deps.quietHours), sent, ...(advanced && skipped ? { skipped } : {}) };
}

/** The deadline passed, not reviewed: the declaration was deleted. `deleted` is false when the review came at the last moment. */
export async function recordDeletion(registrationId: string, deps: RegistrationStepPorts): Promise<{ deleted: boolean }> {
  const r = await registration(registrationId, deps);
  const deleted = await deps.registrations.advance(registrationId, 'deleted', deps.now());
  if (deleted) await recordAndQueue(planRegistrationDeleted(address(r)), present(r.submittedEventId, 'submittedEventId'), deps);
  return { deleted };
}
