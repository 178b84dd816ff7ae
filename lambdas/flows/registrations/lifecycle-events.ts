/**
 * EAccountRegistrationSubmitted starts a registration's lifecycle (once,
 * whatever the number of copies); EAccountRegistrationReviewed ends it: it
 * answers the execution's wait, or is found by the execution's next step when
 * it is not waiting (starting, or between its two waits). A review that comes
 * before its submission is recorded too: the late submission starts nothing.
 *
 * The address (BHXH number, phone, e-mail) goes to the registrations table
 * only; the execution is started with the registration number alone, so its
 * input and history, which operators browse, hold nothing personal.
 */
import { registrationExecutionName, submissionDeadline, type RegistrationLifecycleInput, type RegistrationReview } from '../../domain/registrations.ts';
import type { DetailOf } from '../../domain/schemas.ts';
import type { Clock, RegistrationStore } from '../ports.ts';

export interface RegistrationEventPorts extends Clock {
  registrations: RegistrationStore;
  /** Step Functions StartExecution; an execution of the same name already running counts as started. */
  startRegistrationLifecycle(name: string, input: RegistrationLifecycleInput): Promise<void>;
  /** Step Functions SendTaskSuccess; false when the token can no longer be answered (timed out, answered, invalid). */
  answerRegistrationWait(taskToken: string, review: RegistrationReview): Promise<boolean>;
}

export type RegistrationOutcome =
  | { outcome: 'registration-started'; registrationId: string; execution: string }
  | { outcome: 'duplicate-registration'; registrationId: string; status: string };

/** What the review did to the lifecycle, beside its own message (the intake reports both). */
export type ReviewEffect = 'review-delivered' | 'review-parked' | 'review-before-submission' | 'review-ignored';

export async function onRegistrationSubmitted(d: DetailOf<'EAccountRegistrationSubmitted'>, eventId: string, deps: RegistrationEventPorts): Promise<RegistrationOutcome> {
  const execution = registrationExecutionName(d.registrationId);
  const claimed = await deps.registrations.claimForLifecycle(
    {
      registrationId: d.registrationId,
      personId: d.personId,
      // The name is not kept: no message of the lifecycle prints it.
      phone: d.phone ?? null,
      email: d.email ?? null,
      submittedAt: d.submittedAt,
      deadline: submissionDeadline(d.submittedAt),
      executionName: execution,
      submittedEventId: eventId,
    },
    deps.now(),
  );
  if (!claimed) {
    const existing = await deps.registrations.get(d.registrationId);
    // Claimed but never started (a crash between the two writes, this same event redelivered): start it now; the name makes it idempotent.
    if (existing?.status !== 'starting' || existing.submittedEventId !== eventId) {
      return { outcome: 'duplicate-registration', registrationId: d.registrationId, status: existing?.status ?? 'unknown' };
    }
  }
  await deps.startRegistrationLifecycle(execution, { registrationId: d.registrationId });
  return { outcome: 'registration-started', registrationId: d.registrationId, execution };
}

/**
 * Records the review and answers the wait it found. When the token is dead (the wait of day 7 timed out and the
 * reminder step runs) or absent (not yet waiting), the recorded status is what the next step or wait finds.
 */
export async function onRegistrationReviewed(d: { registrationId: string }, eventId: string, deps: RegistrationEventPorts): Promise<ReviewEffect> {
  let reviewedAt = deps.now().toISOString();
  const recorded = await deps.registrations.recordReview(d.registrationId, { reviewedAt, eventId }, deps.now());
  let token: string | undefined;
  if (recorded) {
    if (!recorded.previous) return 'review-before-submission';
    token = recorded.previous.taskToken;
  } else {
    // Reviewed or deleted already. The same event again (its first try crashed before answering): answer the wait now
    // rather than at its timeout; a second review is ignored.
    const existing = await deps.registrations.get(d.registrationId);
    if (existing?.status !== 'reviewed' || existing.reviewEventId !== eventId) return 'review-ignored';
    token = existing.taskToken;
    reviewedAt = existing.reviewedAt ?? reviewedAt;
  }
  if (token && (await deps.answerRegistrationWait(token, { reviewedAt }))) return 'review-delivered';
  return 'review-parked';
}
