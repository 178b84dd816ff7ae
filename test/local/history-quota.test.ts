/**
 * Step Functions' 25,000-event history quota, enforced by the local run on the
 * synthesized campaign ASL (review finding F4), and the design that keeps a
 * national day inside it: each shard's first page runs in the day's execution,
 * the rest in a chain of child executions ("parts") of at most PAGES_PER_PART
 * pages each. The page step is a stand-in that only pages (no due items to
 * load), so the tests reach national sizes in seconds; the state machines
 * around it are the real ones.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PAGE_SIZE, PAGES_PER_PART } from '../../lib/campaign-runs.ts';
import { DUE_SHARDS, NO_TOTALS } from '../../lambdas/domain/due-items.ts';
import type { LocalExecution, LocalSystem } from '../../local/runtime.ts';
import { STEP_FUNCTIONS_QUOTAS } from '../../local/step-functions-quotas.ts';
import { startLocalSystem } from '../support/local-system.ts';
import { freshTemplate, logicalId } from '../support/template-variants.ts';

const PAGE_FUNCTION = 'lambdas/functions/campaign-page/handler.ts';
const QUOTA = STEP_FUNCTIONS_QUOTAS.maxHistoryEvents;

interface PageInput {
  shard: number;
  pagesInPart?: number;
}

/**
 * A page step for `partsPerShard` parts after each shard's first page. Every page of a part claims the part is
 * full (pagesInPart = PAGES_PER_PART), so a part costs the parent what a 2,000-page part would, in one page.
 */
function partsOnly(partsPerShard: number) {
  const pages = new Map<number, number>();
  return async (event: unknown) => {
    const { shard } = event as PageInput;
    const page = (pages.get(shard) ?? 0) + 1;
    pages.set(shard, page);
    const more = page <= partsPerShard;
    return { after: more ? `2018-12-04#${page}` : '', more, totals: { ...NO_TOTALS, read: page }, pagesInPart: PAGES_PER_PART };
  };
}

/**
 * A page step whose shard 0 never ends; it counts its pages honestly, or (`ignorePartSize`) says each is the
 * part's first, as a page step that lost count would. The other shards have one page.
 */
function endlessShard(options: { ignorePartSize?: boolean } = {}) {
  return async (event: unknown) => {
    const { shard, pagesInPart } = event as PageInput;
    if (shard !== 0) return { after: '', more: false, totals: NO_TOTALS, pagesInPart: 1 };
    return { after: '2018-12-04#x', more: true, totals: NO_TOTALS, pagesInPart: options.ignorePartSize ? 1 : (pagesInPart ?? 0) + 1 };
  };
}

let system: LocalSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});

async function start(pageStep: (event: unknown) => Promise<unknown>) {
  await system?.stop();
  const template = freshTemplate();
  system = await startLocalSystem({ template, recurringSchedules: false, handlerOverrides: { [PAGE_FUNCTION]: pageStep } });
  return {
    run: system.resolver.ref(logicalId(template, 'AWS::StepFunctions::StateMachine', 'CampaignsCampaign')),
    part: system.resolver.ref(logicalId(template, 'AWS::StepFunctions::StateMachine', 'CampaignsShardPart')),
  };
}

async function runDay(partsPerShard: number): Promise<{ run: LocalExecution; parts: LocalExecution[] }> {
  const machines = await start(partsOnly(partsPerShard));
  const run = system!.startExecution(machines.run, 'health-card-expiring-2018-12-04', { kind: 'health-card-expiring', date: '2018-12-04' });
  await run.done;
  const parts = [...system!.executions.values()].filter((e) => e.name.startsWith('health-card-expiring-2018-12-04-s'));
  return { run, parts };
}

describe('a campaign day against the history quota (F4)', () => {
  it('a day whose shards each need one page runs in one execution, with no part', async () => {
    // Act
    const { run, parts } = await runDay(0);

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(parts).toEqual([]);
    expect((run.output as { shards: unknown[] }).shards).toHaveLength(DUE_SHARDS);
  });

  it('runs a part of at most PAGES_PER_PART pages inside the quota, then hands the cursor over', async () => {
    // Prepare
    const machines = await start(endlessShard());

    // Act
    const part = system!.startExecution(machines.part, 'health-card-expiring-2018-12-04-s0-p1', {
      kind: 'health-card-expiring',
      date: '2018-12-04',
      shard: 0,
      after: '2018-12-04#x',
      totals: NO_TOTALS,
    });
    await part.done;

    // Assess: 2,000 pages of 9 events, with room left for retries
    expect(part.status).toBe('SUCCEEDED');
    expect(part.output).toEqual({ more: true, after: '2018-12-04#x', totals: NO_TOTALS });
    expect(part.historyEvents).toBeGreaterThan(PAGES_PER_PART * 9);
    expect(part.historyEvents).toBeLessThan(QUOTA - 5_000);
  });

  it("measures the cost of a part in the day's history, and shows a national day of 20,000,000 items fits with room to spare", async () => {
    // Prepare: the day's history at 1 and 3 parts per shard
    const one = await runDay(1);
    const three = await runDay(3);

    // Act
    const eventsPerPart = (three.run.historyEvents - one.run.historyEvents) / (DUE_SHARDS * 2);
    const fixed = one.run.historyEvents - DUE_SHARDS * eventsPerPart;
    const itemsPerPart = PAGES_PER_PART * PAGE_SIZE;
    const largestDayItems = Math.floor((QUOTA - fixed) / eventsPerPart) * itemsPerPart;

    // Assess: every execution succeeded, the parts are named by run, shard and part, and the bound holds
    expect([one.run.status, three.run.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(three.parts.map((p) => p.name).filter((n) => n.includes('-s0-'))).toEqual([1, 2, 3].map((p) => `health-card-expiring-2018-12-04-s0-p${p}`));
    expect(three.parts.every((p) => p.status === 'SUCCEEDED')).toBe(true);
    expect(eventsPerPart).toBe(10);
    expect(largestDayItems).toBeGreaterThanOrEqual(20_000_000);
    // A 20,000,000-item day: 2,500,000 items a shard, 13 parts each.
    const nationalParts = DUE_SHARDS * Math.ceil(20_000_000 / DUE_SHARDS / itemsPerPart);
    expect(fixed + nationalParts * eventsPerPart).toBeLessThan(QUOTA / 10);
  });

  it('a part that ignored its size would fail at 25,000 events with States.Runtime, as AWS would, and fail the day with it', async () => {
    // Prepare: a page step that never says the part is full
    const machines = await start(endlessShard({ ignorePartSize: true }));

    // Act
    const run = system!.startExecution(machines.run, 'health-card-expiring-2018-12-04', { kind: 'health-card-expiring', date: '2018-12-04' });
    await run.done;

    // Assess
    const part = [...system!.executions.values()].find((e) => e.name === 'health-card-expiring-2018-12-04-s0-p1');
    expect(part?.status).toBe('FAILED');
    expect(part?.error).toBe('States.Runtime: The execution reached the maximum number of history events (25000).');
    expect(part?.historyEvents).toBe(QUOTA);
    expect(run.status).toBe('FAILED');
    // The day fails with the part's description (Status FAILED, Error States.Runtime) as the .sync task's cause.
    expect(run.error).toContain('"Status":"FAILED","Error":"States.Runtime"');
  });
});
