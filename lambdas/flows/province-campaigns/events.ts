/**
 * The three events of a province campaign, as the intake handles them:
 * CampaignProposed records the proposal and starts its execution (once,
 * whatever the number of copies); CampaignReviewed and CampaignCancelled are
 * recorded on the campaign (who, why, when) and answer the wait the execution
 * is in, if it is in one. A review or cancellation that arrives while the
 * execution is between two waits is found by the next wait when it stores its
 * token (steps.ts): neither is ever lost, and neither is applied twice.
 */
import { campaignExecutionName, isFinal } from '../../domain/province-campaigns.ts';
import type { DetailOf } from '../../domain/schemas.ts';
import type { CampaignNotifyPorts } from './ports.ts';
import { publishStatus } from './status.ts';

export interface CampaignEventPorts extends CampaignNotifyPorts {
  /** Step Functions StartExecution of the campaign machine; an execution of the same name already running counts as started. */
  startCampaignExecution(name: string, input: { campaignId: string }): Promise<void>;
  /** Step Functions SendTaskSuccess; false when the token can no longer be answered. */
  answerWait(taskToken: string, answer: WaitAnswer): Promise<boolean>;
}

/** What a wait of the campaign's execution is told: look at the campaign again (it was reviewed, or cancelled). */
export interface WaitAnswer {
  answer: 'reviewed' | 'cancelled';
}

export type CampaignEventOutcome =
  | { outcome: 'campaign-proposed'; campaignId: string; execution: string }
  | { outcome: 'duplicate-proposal'; campaignId: string; status: string }
  | { outcome: 'campaign-reviewed' | 'campaign-cancelled'; campaignId: string; answered: boolean }
  | { outcome: 'review-ignored' | 'cancellation-ignored'; campaignId: string; why: string };

export async function onCampaignProposed(d: DetailOf<'CampaignProposed'>, eventId: string, deps: CampaignEventPorts): Promise<CampaignEventOutcome> {
  const execution = campaignExecutionName(d.campaignId);
  const claimed = await deps.campaigns.claim(d, eventId, deps.now());
  if (claimed) await publishStatus(deps.events, claimed, deps.now(), `proposed by ${d.agency}`);
  else {
    const existing = await deps.campaigns.get(d.campaignId);
    // The same proposal again (a redelivery, or a crash before the start): start it, the name makes it idempotent.
    if (existing?.eventId !== eventId || existing.status !== 'validating') {
      return { outcome: 'duplicate-proposal', campaignId: d.campaignId, status: existing?.status ?? 'unknown' };
    }
  }
  await deps.startCampaignExecution(execution, { campaignId: d.campaignId });
  return { outcome: 'campaign-proposed', campaignId: d.campaignId, execution };
}

export async function onCampaignReviewed(d: DetailOf<'CampaignReviewed'>, deps: CampaignEventPorts): Promise<CampaignEventOutcome> {
  const at = deps.now();
  const reviewed = await deps.campaigns.recordReview(d.campaignId, { approved: d.approved, reviewer: d.reviewer, reason: d.reason, at: at.toISOString() }, at);
  if (!reviewed) {
    const campaign = await deps.campaigns.get(d.campaignId);
    if (!campaign) return { outcome: 'review-ignored', campaignId: d.campaignId, why: 'no such campaign' };
    // A refused proposal stays refused, approved or not: a copy of a central message is never sent (seed 001).
    const why = campaign.review ? `reviewed already (${campaign.review.approved ? 'approved' : 'rejected'})` : `the campaign is ${campaign.status}`;
    await deps.campaigns.countIgnoredReview(d.campaignId, `${d.approved ? 'approval' : 'rejection'} by ${d.reviewer}: ${why}`, at);
    return { outcome: 'review-ignored', campaignId: d.campaignId, why };
  }
  const answered = reviewed.taskToken ? await deps.answerWait(reviewed.taskToken, { answer: 'reviewed' }) : false;
  return { outcome: 'campaign-reviewed', campaignId: d.campaignId, answered };
}

export async function onCampaignCancelled(d: DetailOf<'CampaignCancelled'>, deps: CampaignEventPorts): Promise<CampaignEventOutcome> {
  const at = deps.now();
  const campaign = await deps.campaigns.get(d.campaignId);
  if (!campaign) return { outcome: 'cancellation-ignored', campaignId: d.campaignId, why: 'no such campaign' };
  if (isFinal(campaign.status)) return { outcome: 'cancellation-ignored', campaignId: d.campaignId, why: `the campaign is ${campaign.status} already` };
  const cancellation = { cancelledBy: d.cancelledBy, reason: d.reason, at: at.toISOString() };
  const cancelled = await deps.campaigns.transition(d.campaignId, [campaign.status], 'cancelled', { cancellation }, `by ${d.cancelledBy}`, at);
  // Its status changed meanwhile: the event is redelivered (the intake retries) and looks again.
  if (!cancelled) throw new Error(`campaign ${d.campaignId} changed status while it was cancelled; retrying`);
  await publishStatus(deps.events, cancelled, at, d.reason);
  // The token as the transition left it: a wait that stores its token after this sees `cancelled` itself (steps.ts).
  const answered = cancelled.taskToken ? await deps.answerWait(cancelled.taskToken, { answer: 'cancelled' }) : false;
  return { outcome: 'campaign-cancelled', campaignId: d.campaignId, answered };
}
