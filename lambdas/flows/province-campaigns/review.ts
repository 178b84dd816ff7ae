/**
 * The waits of a campaign and what ends them: the IT Centre's review (or 14
 * days without one), the agency's budget at approval, and the send window.
 * Each wait stores its task token on the campaign; a review or cancellation
 * recorded before the token is found here and answers the wait at once.
 */
import { budgetMonthOf, budgetOf, NO_SEND_TOTALS, REVIEW_DAYS, secondsUntil, sendStartOf, type CampaignBudgets, type SendTotals } from '../../domain/province-campaigns.ts';
import type { QuietHours } from '../../domain/vietnam-time.ts';
import type { WaitAnswer } from './events.ts';
import type { CampaignNotifyPorts } from './ports.ts';
import { publishStatus } from './status.ts';

export interface ReviewPorts extends CampaignNotifyPorts {
  /** Step Functions SendTaskSuccess; false when the token can no longer be answered. */
  answerWait(taskToken: string, answer: WaitAnswer): Promise<boolean>;
  /** bhxh:campaignMonthlyParts. */
  budgets: CampaignBudgets;
  quietHours: QuietHours;
}

/** Where the execution goes after the review, and (to wait for the window) how long and from which row. */
export type Decision = { next: 'wait'; waitSeconds: number; after: number; totals: SendTotals } | { next: 'rejected' | 'over-budget' | 'cancelled' | 'not-reviewed' };

/** "Wait for the IT Centre's review" and "Wait for the send window": the token, and an answer if one is due already. */
export async function awaitAnswer(campaignId: string, taskToken: string, deps: ReviewPorts): Promise<{ waiting: boolean }> {
  const campaign = await deps.campaigns.storeToken(campaignId, taskToken, deps.now());
  if (campaign.status === 'cancelled') return { waiting: !(await deps.answerWait(taskToken, { answer: 'cancelled' })) };
  if (campaign.status === 'awaiting-review' && campaign.review) return { waiting: !(await deps.answerWait(taskToken, { answer: 'reviewed' })) };
  return { waiting: true };
}

/** Unreviewed for 14 days: the proposal expires (SPEC), and nothing is sent. */
export async function expireProposal(campaignId: string, deps: ReviewPorts): Promise<{ status: string }> {
  const expired = await deps.campaigns.transition(campaignId, ['awaiting-review'], 'expired', {}, `not reviewed within ${REVIEW_DAYS} days`, deps.now());
  if (expired) await publishStatus(deps.events, expired, deps.now(), `not reviewed within ${REVIEW_DAYS} days`);
  return { status: expired?.status ?? (await deps.campaigns.get(campaignId))?.status ?? 'unknown' };
}

/** "Apply the IT Centre's decision": rejected, over the agency's budget, or scheduled for its window. */
export async function applyDecision(campaignId: string, deps: ReviewPorts): Promise<Decision> {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw new Error(`no campaign ${campaignId}`);
  const now = deps.now();
  const start = sendStartOf(campaign.sendFrom, now, deps.quietHours);
  const wait = (): Decision => ({ next: 'wait', waitSeconds: secondsUntil(start, now), after: 0, totals: NO_SEND_TOTALS });
  switch (campaign.status) {
    case 'cancelled':
      return { next: 'cancelled' };
    case 'rejected':
    case 'over-budget':
      return { next: campaign.status };
    case 'scheduled':
      // A retried step: approved already.
      return wait();
    case 'awaiting-review':
      break;
    default:
      return { next: 'not-reviewed' };
  }
  const review = campaign.review;
  if (!review) return { next: 'not-reviewed' };
  if (!review.approved) {
    const rejected = await deps.campaigns.transition(campaignId, ['awaiting-review'], 'rejected', {}, `by ${review.reviewer}`, now);
    if (rejected) await publishStatus(deps.events, rejected, now, review.reason);
    return { next: rejected ? 'rejected' : 'cancelled' };
  }
  const parts = campaign.counts?.parts ?? 0;
  const month = budgetMonthOf(start);
  const budget = budgetOf(deps.budgets, campaign.agency);
  const approved = await deps.campaigns.approveWithinBudget(campaign, { budget: { month, parts }, sendAt: start.toISOString() }, budget, now);
  if (approved === 'not-waiting') return applyDecision(campaignId, deps);
  if (approved === 'over-budget') {
    const used = await deps.campaigns.budgetUsed(campaign.agency, month);
    const why = `needs ${parts} parts; ${campaign.agency} has ${Math.max(0, budget - used)} of its ${budget} parts left for ${month}`;
    const over = await deps.campaigns.transition(campaignId, ['awaiting-review'], 'over-budget', {}, why, now);
    if (over) await publishStatus(deps.events, over, now, why);
    return over ? { next: 'over-budget' } : applyDecision(campaignId, deps);
  }
  await publishStatus(deps.events, approved, now, 'approved by the IT Centre');
  return wait();
}
