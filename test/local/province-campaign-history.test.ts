/**
 * A province campaign's send against Step Functions' 25,000-event history
 * quota (SPEC "Province campaigns": up to 2,000,000 rows within Step
 * Functions' quotas). The campaign's synthesized state machine runs in the
 * local emulator, which counts its history as AWS would and fails it at the
 * quota; its one function is a stand-in that validates, is approved and then
 * claims CAMPAIGN_PAGE_ROWS rows per page, so 2,000,000 rows take seconds.
 * The pace's waits run on the local clock, moved here wait by wait.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { completeTaskIfWaiting } from '../../lambdas/aws/executions.ts';
import { CAMPAIGN_PAGE_ROWS, NO_SEND_TOTALS, type SendTotals } from '../../lambdas/domain/province-campaigns.ts';
import { nowMs } from '../../lambdas/runtime/clock.ts';
import type { LocalExecution, LocalSystem } from '../../local/runtime.ts';
import { STEP_FUNCTIONS_QUOTAS } from '../../local/step-functions-quotas.ts';
import { startLocalSystem } from '../support/local-system.ts';
import { freshTemplate, logicalId } from '../support/template-variants.ts';

const STEP_FUNCTION = 'lambdas/functions/province-campaign/handler.ts';
const QUOTA = STEP_FUNCTIONS_QUOTAS.maxHistoryEvents;
/** A Lambda task (5 events), the Choice (2) and the pace's Wait (2): what lambdas/domain/province-campaigns.ts claims a page costs. */
const EVENTS_PER_PAGE = 9;
const NIGHT_SECONDS = 10 * 3_600;

interface Step {
  action: string;
  taskToken?: string;
  after?: number;
  totals?: SendTotals;
}

/**
 * The campaign function for a campaign of `pages` full pages: valid, approved at once, its window open, then each page
 * hands CAMPAIGN_PAGE_ROWS rows over and waits 1 s; the page after the last finds no rows and the send is done. After
 * each page named in `nightAfter` the next page finds quiet hours and waits for the morning, sending nothing, as
 * sendCampaignPage does. `waitSeconds` is the last wait asked for, so the test knows how far to move the clock.
 */
function campaignSteps(pages: number, nightAfter: readonly number[] = []) {
  const state = { waitSeconds: 0, pageCalls: 0, nights: new Set(nightAfter) };
  const handler = async (event: unknown) => {
    const step = event as Step;
    switch (step.action) {
      case 'validate':
        return { status: 'awaiting-review' };
      case 'await-answer':
        // The review, then the window: each answered as soon as its token is stored, as a recorded review is.
        return { waiting: !(await completeTaskIfWaiting(step.taskToken as string, { answer: 'reviewed' })) };
      case 'decide':
        state.waitSeconds = 1;
        return { next: 'wait', waitSeconds: 1, after: 0, totals: NO_SEND_TOTALS };
      case 'send-page': {
        state.pageCalls += 1;
        const after = step.after as number;
        const totals = step.totals as SendTotals;
        const sentPages = after / CAMPAIGN_PAGE_ROWS;
        if (state.nights.delete(sentPages)) {
          state.waitSeconds = NIGHT_SECONDS;
          return { next: 'wait', waitSeconds: NIGHT_SECONDS, after, totals };
        }
        if (sentPages === pages) return { next: 'done', after, totals, why: 'every row handed over' };
        state.waitSeconds = 1;
        const rows = CAMPAIGN_PAGE_ROWS;
        return { next: 'wait', waitSeconds: 1, after: after + rows, totals: { ...totals, queued: totals.queued + rows, parts: totals.parts + rows } };
      }
      case 'report':
        return { status: 'sent' };
      default:
        throw new Error(`unexpected step ${step.action}`);
    }
  };
  return { handler, state };
}

let system: LocalSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});

/** Runs one campaign's execution to its end, moving the local clock to the end of each wait it parks in. */
async function runCampaign(pages: number, nightAfter: readonly number[] = []): Promise<{ execution: LocalExecution; pageCalls: number }> {
  await system?.stop();
  const template = freshTemplate();
  const steps = campaignSteps(pages, nightAfter);
  system = await startLocalSystem({ template, recurringSchedules: false, handlerOverrides: { [STEP_FUNCTION]: steps.handler } });
  const machine = system.resolver.ref(logicalId(template, 'AWS::StepFunctions::StateMachine', 'ProvinceCampaignsProvinceCampaign'));
  const execution = system.startExecution(machine, 'campaign-history', { campaignId: 'history' });
  await system.drain();
  while (execution.status === 'RUNNING') await system.advanceClock(new Date(nowMs() + steps.state.waitSeconds * 1000));
  await execution.done;
  return { execution, pageCalls: steps.state.pageCalls };
}

describe("a province campaign's send against the history quota", () => {
  it('sends 2,000,000 rows (2,000 pages) in one execution, under 25,000 events', async () => {
    // Prepare
    const pages = 2_000_000 / CAMPAIGN_PAGE_ROWS;

    // Act
    const { execution, pageCalls } = await runCampaign(pages);

    // Assess: every page and the one that finds no rows ran; 9 events a page, with room for retries and nights
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatchObject({ Payload: { next: 'done', after: 2_000_000, totals: { queued: 2_000_000 } } });
    expect(pageCalls).toBe(pages + 1);
    expect(execution.historyEvents).toBeGreaterThan(pages * EVENTS_PER_PAGE);
    expect(execution.historyEvents).toBeLessThan(pages * EVENTS_PER_PAGE + 100);
    expect(execution.historyEvents).toBeLessThan(QUOTA);
  }, 300_000);

  it('a night in quiet hours costs one more page and nothing else', async () => {
    // Prepare: the same send, without and with three nights in the middle
    const pages = 50;
    const days = await runCampaign(pages);

    // Act
    const nights = await runCampaign(pages, [10, 20, 30]);

    // Assess
    expect([days.execution.status, nights.execution.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(nights.pageCalls - days.pageCalls).toBe(3);
    expect(nights.execution.historyEvents - days.execution.historyEvents).toBe(3 * EVENTS_PER_PAGE);
  }, 120_000);
});
