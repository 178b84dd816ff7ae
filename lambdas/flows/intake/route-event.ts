/**
 * What the intake does with one event from the bus: validate it against the
 * catalogue, quarantine it with readable reasons if it is bad, update the
 * contact projection, or record the message it causes in the ledger and queue
 * it for sending. Idempotent: the same fact seen again sends nothing new.
 */
import { subjectKey } from '../../domain/contacts.ts';
import {
  planAccountReviewed,
  planCollectionConfirmed,
  planContributionStopped,
  planOtp,
  planTemporaryPassword,
  planUnitPayment,
  secretIssueId,
  type MessagePlan,
} from '../../domain/messages.ts';
import { normalizeVnMobile } from '../../domain/phone.ts';
import { redactSecrets } from '../../domain/redact.ts';
import { scheduledFactProblems, SCHEDULED_DETAIL_TYPES, type ScheduledFact } from '../../domain/scheduled-check.ts';
import { orderingTime, parseCatalogueEvent, type QuarantineReason } from '../../domain/event-parser.ts';
import type { CatalogueEvent } from '../../domain/schemas.ts';
import { SecretSlotError } from '../../domain/secrets.ts';
import { TemplateTooLongError } from '../../domain/templates.ts';
import { NotGsm7Error } from '../../domain/text/gsm7.ts';
import {
  onFacilityClaimsSummary,
  onHealthCardIssued,
  onPasswordChanged,
  onUnitMonthlyStatement,
  onVoluntaryContributionPaid,
  type SchedulePorts,
  type ScheduleOutcome,
} from '../campaigns/scheduled-facts.ts';
import { onCampaignDue, type CampaignRunOutcome } from '../campaigns/runs.ts';
import { recordConfirmation } from '../collections/collections.ts';
import { onCampaignCancelled, onCampaignProposed, onCampaignReviewed, type CampaignEventOutcome, type CampaignEventPorts } from '../province-campaigns/events.ts';
import { onDossierReceived, onDossierResolved, type DossierEventPorts, type DossierOutcome } from '../dossiers/lifecycle-events.ts';
import { onOrphanResolutionCheck, type UnmatchedResolutionOutcome, type UnmatchedResolutionPorts } from '../dossiers/unmatched-resolutions.ts';
import { answerLookup, type LookupOutcome, type LookupPorts } from '../lookups/answer.ts';
import { onRegistrationReviewed, onRegistrationSubmitted, type RegistrationEventPorts, type RegistrationOutcome, type ReviewEffect } from '../registrations/lifecycle-events.ts';
import { recordAndQueue, type OutboundOutcome } from '../messaging/record-and-queue.ts';
import type { CollectionStore } from '../ports.ts';

export interface IntakePorts extends SchedulePorts, DossierEventPorts, UnmatchedResolutionPorts, LookupPorts, CampaignEventPorts, RegistrationEventPorts {
  /** How long a one-time code may live (bhxh:otpMaxLifetimeMinutes). */
  otpMaxLifetimeMinutes: number;
  collections: CollectionStore;
  /** Starts a campaign run; the name (kind and date) makes a second start of the same day a no-op. */
  startCampaign(name: string, input: { kind: string; date: string }): Promise<void>;
  /** The HMAC key that names the issue of a password or code in its message key (secretIssueId), read once per container. */
  secretIssueKey(): Promise<string>;
  /** Keeps a bad event, untouched but for its secrets (redactSecrets), with the reasons, for an operator. */
  quarantine(body: string, reason: IntakeQuarantineReason, errors: string[]): Promise<void>;
}

/** Why an event is in the quarantine: refused as it came, its message cannot be sent, or it kept failing. */
export type IntakeQuarantineReason = QuarantineReason | 'render-failed' | 'failed-with-secret' | 'failed-repeatedly';

export type IntakeOutcome =
  | { outcome: 'quarantined'; reason: string; errors: string[] }
  | { outcome: 'contact-updated' | 'contact-stale'; subject: string }
  | OutboundOutcome
  | (OutboundOutcome & { registration: ReviewEffect })
  | RegistrationOutcome
  | DossierOutcome
  | UnmatchedResolutionOutcome
  | LookupOutcome
  | ScheduleOutcome
  | CampaignRunOutcome
  | CampaignEventOutcome
  | { outcome: 'receipt-deadlines-elsewhere' }
  | { outcome: 'read-model-updated' | 'read-model-stale'; model: string; reminder?: string };

export async function handleEventBody(body: string, deps: IntakePorts): Promise<IntakeOutcome> {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    await deps.quarantine(redactSecrets(body), 'not-json', ['body: is not valid JSON']);
    return { outcome: 'quarantined', reason: 'not-json', errors: ['body: is not valid JSON'] };
  }
  // SPEC rule 11: the arrival, which the producer does not control, bounds the event's time.
  const receivedAt = deps.now();
  const parsed = parseCatalogueEvent(raw, { receivedAt, otpMaxLifetimeMinutes: deps.otpMaxLifetimeMinutes });
  if (!parsed.ok) {
    await deps.quarantine(redactSecrets(body), parsed.reason, parsed.errors);
    return { outcome: 'quarantined', reason: parsed.reason, errors: parsed.errors };
  }
  const event = parsed.event;
  // Updates of a subject are ordered by the earlier of the event's time and its arrival.
  const asOf = orderingTime(event.time, receivedAt);
  // A scheduled fact's message is rendered only at its campaign run: one that cannot be sent is refused now, not then.
  if (isScheduledFact(event)) {
    const errors = scheduledFactProblems(event, deps.brandedKinds);
    if (errors.length > 0) {
      await deps.quarantine(redactSecrets(body), 'render-failed', errors);
      return { outcome: 'quarantined', reason: 'render-failed', errors };
    }
  }
  switch (event.detailType) {
    case 'ContactUpdated':
      return updateContact(event, asOf, deps);
    case 'UnitPaymentReceived':
      return queueMessage(event, planUnitPayment(event.detail), body, deps);
    case 'EmployeeContributionStopped':
      return queueMessage(event, planContributionStopped(event.detail), body, deps);
    case 'EAccountRegistrationReviewed': {
      // The approval (or refusal) first; then the review ends the registration's lifecycle (no reminder, no deletion notice).
      const message = await queueMessage(event, planAccountReviewed(event.detail), body, deps);
      const registration = await onRegistrationReviewed(event.detail, event.id, deps);
      return message.outcome === 'quarantined' ? message : { ...(message as OutboundOutcome), registration };
    }
    case 'EAccountRegistrationSubmitted':
      return onRegistrationSubmitted(event.detail, event.id, deps);
    case 'OtpIssued':
      return queueMessage(event, planOtp(event.detail, secretIssueId(await deps.secretIssueKey(), 'otp', event.detail.code)), body, deps);
    case 'InboundSmsReceived':
      return answerLookup(event.detail, event.id, deps);
    case 'TemporaryPasswordIssued':
      return queueMessage(event, planTemporaryPassword(event.detail, secretIssueId(await deps.secretIssueKey(), 'temporary-password', event.detail.temporaryPassword)), body, deps);
    case 'ContributionHistoryUpdated': {
      const stored = await deps.readModels.putHistory(event.detail.personId, event.detail.periods, asOf);
      return { outcome: stored ? 'read-model-updated' : 'read-model-stale', model: 'contribution-history' };
    }
    case 'HealthCardIssued': {
      const { cardNo, personId, validTo, scheme } = event.detail;
      const stored = await deps.readModels.putCard({ cardNo, personId, validTo, scheme, asOf });
      const reminder = await onHealthCardIssued(event.detail, event.id, asOf, deps);
      return { outcome: stored ? 'read-model-updated' : 'read-model-stale', model: 'health-card', reminder: reminder.outcome };
    }
    case 'VoluntaryContributionPaid':
      return onVoluntaryContributionPaid(event.detail, event.id, asOf, deps);
    case 'UnitMonthlyStatement':
      return onUnitMonthlyStatement(event.detail, event.id, asOf, deps);
    case 'FacilityClaimsSummary':
      return onFacilityClaimsSummary(event.detail, event.id, asOf, deps);
    case 'CollectionPaymentConfirmed':
      await recordConfirmation(event.detail, event.id, deps);
      return queueMessage(event, planCollectionConfirmed(event.detail), body, deps);
    case 'CampaignDue':
      // Without quiet hours the window is the whole day (and nothing waits for a release).
      return onCampaignDue(event.detail, { ...deps, sendingWindowStart: deps.quietHours?.start ?? '00:00' });
    case 'PasswordChanged':
      return onPasswordChanged(event.detail, event.id, asOf, deps);
    case 'OrphanResolutionCheck':
      return onOrphanResolutionCheck(event.detail, deps);
    case 'ReceiptDeadlineCheck':
      // The 72-hour check runs in its own function on its own schedule (lambdas/functions/receipt-deadlines), never within the intake's timeout.
      return { outcome: 'receipt-deadlines-elsewhere' };
    case 'DossierReceived':
      return onDossierReceived(event.detail, event.id, deps);
    case 'DossierResolved':
      return onDossierResolved(event.detail, event.id, deps);
    case 'CampaignProposed':
      return onCampaignProposed(event.detail, event.id, deps);
    case 'CampaignReviewed':
      return onCampaignReviewed(event.detail, deps);
    case 'CampaignCancelled':
      return onCampaignCancelled(event.detail, deps);
    default: {
      // Every kind of the catalogue is handled: the compiler checks it here.
      const unhandled: never = event;
      throw new Error(`no handling for ${(unhandled as { detailType: string }).detailType}`);
    }
  }
}

const isScheduledFact = (event: { detailType: string }): event is ScheduledFact => (SCHEDULED_DETAIL_TYPES as readonly string[]).includes(event.detailType);

async function updateContact(event: Extract<CatalogueEvent, { detailType: 'ContactUpdated' }>, asOf: string, deps: IntakePorts): Promise<IntakeOutcome> {
  const d = event.detail;
  const subject = subjectKey(d.subjectType, d.subjectId);
  const phone = d.phone === null ? null : normalizeVnMobile(d.phone);
  const stored = await deps.contacts.upsert({
    subject,
    name: d.name,
    phone: phone?.ok ? phone.e164 : null,
    ...(phone && !phone.ok ? { phoneRejected: phone.reason } : {}),
    // Absent: the stored address stays; null: removed (the store does both).
    ...(d.email !== undefined ? { email: d.email } : {}),
    gender: d.gender ?? null,
    agency: d.agency ?? null,
    asOf,
    eventId: event.id,
  });
  return { outcome: stored ? 'contact-updated' : 'contact-stale', subject };
}

async function queueMessage(event: CatalogueEvent, plan: MessagePlan, body: string, deps: IntakePorts): Promise<IntakeOutcome> {
  try {
    return await recordAndQueue(plan, event.id, deps);
  } catch (error) {
    if (error instanceof NotGsm7Error || error instanceof TemplateTooLongError || error instanceof SecretSlotError) {
      const errors = [`message: ${error.message}`];
      await deps.quarantine(redactSecrets(body), 'render-failed', errors);
      return { outcome: 'quarantined', reason: 'render-failed', errors };
    }
    throw error;
  }
}
