/**
 * Step Functions' 25,000-event history quota, enforced by the local run on
 * the synthesized campaign ASL (review finding F4). The inline Map records
 * every page of every shard in the parent execution's history: a kind-day
 * with enough pages fails, as it would in AWS. The page step is a stand-in
 * that only pages (no due items to load), so the test reaches the quota in
 * seconds; the state machine around it is the real one.
 *
 * This asserts today's failure mode; the "nothing lost at national scale"
 * issue changes the design so that a national day fits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../local/runtime.ts';
import { STEP_FUNCTIONS_QUOTAS } from '../../local/quotas.ts';
import { startLocalSystem } from '../support/local-system.ts';
import { freshTemplate, logicalId } from '../support/template-variants.ts';

const PAGE_SIZE = 100;

/** A page step that reports `pagesPerShard` full pages for every shard, then no more. */
function pagingOnly(pagesPerShard: number) {
  const pages = new Map<number, number>();
  return async (event: unknown) => {
    const { shard } = event as { shard: number };
    const page = (pages.get(shard) ?? 0) + 1;
    pages.set(shard, page);
    const more = page < pagesPerShard;
    return { read: PAGE_SIZE, queued: PAGE_SIZE, deferred: 0, duplicates: 0, skipped: 0, ...(more ? { cursor: { page } } : {}), more };
  };
}

let system: LocalSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});

async function runDay(pagesPerShard: number) {
  await system?.stop();
  const template = freshTemplate();
  system = await startLocalSystem({ template, recurringSchedules: false, handlerOverrides: { 'lambdas/functions/campaign-page/handler.ts': pagingOnly(pagesPerShard) } });
  const campaign = system.resolver.ref(logicalId(template, 'AWS::StepFunctions::StateMachine', 'CampaignsCampaign'));
  const execution = system.startExecution(campaign, 'health-card-expiring-2018-12-04', { kind: 'health-card-expiring', date: '2018-12-04' });
  await execution.done;
  return execution;
}

describe('the campaign run against the history quota (F4)', () => {
  it('a small day fits, and every page costs the same number of history events', async () => {
    // Act
    const small = await runDay(10);

    // Assess
    expect(small.status).toBe('SUCCEEDED');
    expect(small.historyEvents).toBeLessThan(STEP_FUNCTIONS_QUOTAS.maxHistoryEvents);
  });

  it('fails a kind-day of about 277,000 due items with States.Runtime at 25,000 events, as AWS would', async () => {
    // Prepare: the cost of one page, measured on two small days
    const tenPages = (await runDay(10)).historyEvents;
    const twentyPages = (await runDay(20)).historyEvents;
    const eventsPerPage = (twentyPages - tenPages) / (8 * 10);
    const overhead = tenPages - eventsPerPage * 8 * 10;
    const largestDayItems = Math.floor((STEP_FUNCTIONS_QUOTAS.maxHistoryEvents - overhead) / eventsPerPage) * PAGE_SIZE;

    // Act: a day just past it (8 shards, pages of 100)
    const national = await runDay(Math.ceil(largestDayItems / PAGE_SIZE / 8) + 5);

    // Assess
    expect(eventsPerPage).toBe(9);
    expect(largestDayItems).toBeGreaterThan(270_000);
    expect(largestDayItems).toBeLessThan(285_000);
    expect(national.status).toBe('FAILED');
    expect(national.error).toBe('States.Runtime: The execution reached the maximum number of history events (25000).');
    expect(national.historyEvents).toBe(STEP_FUNCTIONS_QUOTAS.maxHistoryEvents);
  });
});
