/**
 * Campaign history benchmark: how many Step Functions history events a
 * campaign day costs, and the largest kind-day that fits AWS's 25,000 events
 * per execution. The synthesized state machines run locally with a page step
 * that only pages (no due items), as in test/local/history-quota.test.ts:
 *
 * - one part (child execution) run to its size, PAGES_PER_PART pages, for the
 *   events a part costs (its own history);
 * - the day at 1 and 3 parts per shard, parts reported full after one page,
 *   for the events each part costs the day's execution.
 */
import { PAGE_SIZE, PAGES_PER_PART } from '../lib/campaign-runs.ts';
import { DUE_SHARDS, NO_TOTALS } from '../lambdas/domain/due-items.ts';
import { LocalSystem } from '../local/runtime.ts';
import { STEP_FUNCTIONS_QUOTAS } from '../local/step-functions-quotas.ts';

export interface CampaignHistoryResult {
  /** History events of every execution (the day and its parts) per 1,000 due items, at national size. */
  eventsPerThousandItems: number;
  /** Of which in the day's own execution. */
  dayEventsPerThousandItems: number;
  /** The largest kind-day whose every execution stays within 25,000 events. */
  largestDayItems: number;
  /** The events of one full part (PAGES_PER_PART pages), against the quota. */
  fullPartEvents: number;
  eventsPerPartInDay: number;
  pagesPerPart: number;
  pageSize: number;
  quota: number;
}

const PAGE_FUNCTION = 'lambdas/functions/campaign-page/handler.ts';

async function withSystem<T>(pageStep: (event: unknown) => Promise<unknown>, run: (system: LocalSystem, machine: (prefix: string) => string) => Promise<T>): Promise<T> {
  const system = await LocalSystem.start({ recurringSchedules: false, tableStreams: false, handlerOverrides: { [PAGE_FUNCTION]: pageStep } });
  try {
    system.setClock(new Date('2018-12-04T08:00:00+07:00'));
    const machine = (prefix: string) => {
      const id = Object.entries(system.template.Resources).find(([key, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && key.startsWith(prefix))?.[0];
      if (!id) throw new Error(`no state machine ${prefix}*`);
      return system.resolver.ref(id);
    };
    return await run(system, machine);
  } finally {
    await system.stop();
  }
}

/** The day's history with `partsPerShard` parts after each shard's first page (each part reported full). */
async function dayEvents(partsPerShard: number): Promise<number> {
  const pages = new Map<number, number>();
  const step = async (event: unknown) => {
    const { shard } = event as { shard: number };
    const page = (pages.get(shard) ?? 0) + 1;
    pages.set(shard, page);
    const more = page <= partsPerShard;
    return { after: more ? `2018-12-04#${page}` : '', more, totals: NO_TOTALS, pagesInPart: PAGES_PER_PART };
  };
  return withSystem(step, async (system, machine) => {
    const day = system.startExecution(machine('CampaignsCampaign'), 'health-card-expiring-2018-12-04', { kind: 'health-card-expiring', date: '2018-12-04' });
    await day.done;
    if (day.status !== 'SUCCEEDED') throw new Error(`the day failed: ${day.error}`);
    return day.historyEvents;
  });
}

async function fullPartEvents(): Promise<number> {
  const step = async (event: unknown) => ({ after: '2018-12-04#x', more: true, totals: NO_TOTALS, pagesInPart: ((event as { pagesInPart?: number }).pagesInPart ?? 0) + 1 });
  return withSystem(step, async (system, machine) => {
    const part = system.startExecution(machine('CampaignsShardPart'), 'health-card-expiring-2018-12-04-s0-p1', {
      kind: 'health-card-expiring',
      date: '2018-12-04',
      shard: 0,
      after: 'x',
      totals: NO_TOTALS,
    });
    await part.done;
    if (part.status !== 'SUCCEEDED') throw new Error(`the part failed: ${part.error}`);
    return part.historyEvents;
  });
}

export async function runCampaignHistoryBench(): Promise<CampaignHistoryResult> {
  const quota = STEP_FUNCTIONS_QUOTAS.maxHistoryEvents;
  const part = await fullPartEvents();
  const one = await dayEvents(1);
  const three = await dayEvents(3);
  const eventsPerPartInDay = (three - one) / (DUE_SHARDS * 2);
  const fixed = one - DUE_SHARDS * eventsPerPartInDay;
  const itemsPerPart = PAGES_PER_PART * PAGE_SIZE;
  const largestDayItems = Math.floor((quota - fixed) / eventsPerPartInDay) * itemsPerPart;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    eventsPerThousandItems: round(((part + eventsPerPartInDay) / itemsPerPart) * 1000),
    dayEventsPerThousandItems: round((eventsPerPartInDay / itemsPerPart) * 1000),
    largestDayItems,
    fullPartEvents: part,
    eventsPerPartInDay,
    pagesPerPart: PAGES_PER_PART,
    pageSize: PAGE_SIZE,
    quota,
  };
}
