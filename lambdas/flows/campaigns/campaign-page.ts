/**
 * One page of one shard of a campaign run: each pending due item becomes a
 * message, exactly once (the ledger key), and leaves the pending index with
 * what became of it. An item that cannot become a message (a statement too
 * long for 3 parts) is recorded as a technical failure with its reason and the
 * page goes on: one bad item never stops a campaign.
 */
import { planFromDueItem } from '../../domain/due-plans.ts';
import { NO_TOTALS, type CampaignTotals, type DueItem, type DueKind } from '../../domain/due-items.ts';
import { sendCollectorSummary, type CollectionPorts } from '../collections/collections.ts';
import { recordAndQueue, type OutboundOutcome } from '../messaging/record-and-queue.ts';
import type { QueuedMessage } from '../ports.ts';

export interface PageRequest {
  kind: DueKind;
  /** The run takes what is pending and due up to this Vietnam date. */
  date: string;
  shard: number;
  /** The order after which this page starts (from the previous page). */
  after?: string;
  pageSize: number;
  totals?: CampaignTotals;
  /** Pages run so far by this execution (part) of the shard. */
  pagesInPart?: number;
}

export interface PageResult {
  after?: string;
  more: boolean;
  totals: CampaignTotals;
  pagesInPart: number;
  /** Items that failed, for the log (not the execution history: keys can hold a BHXH number). */
  failures: Array<{ key: string; reason: string }>;
}

/**
 * An error about the item itself rather than the service: everything that is not an AWS SDK error, and
 * DynamoDB's ValidationException (it refuses the item's data, and would refuse it on every retry).
 * Throttling, timeouts and outages are SDK errors: the page fails and Step Functions retries it.
 */
function isItemFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return true;
  return (error as unknown as Error).name === 'ValidationException';
}

/** Errors whose message names no one (parts counts, characters, DynamoDB's own words); any other is reported by name. */
const SAFE_MESSAGES = new Set(['TemplateTooLongError', 'NotGsm7Error', 'SecretSlotError', 'ValidationException']);

function reasonOf(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  return (SAFE_MESSAGES.has(name) ? `${name}: ${(error as Error).message}` : name).slice(0, 180);
}

async function handle(item: DueItem, deps: CollectionPorts): Promise<OutboundOutcome> {
  if (item.kind === 'quiet-hours-release') {
    await deps.sendQueue.enqueue(item.payload as unknown as QueuedMessage);
    return { outcome: 'queued', key: String(item.payload.key), kind: item.kind, segments: Number(item.payload.segments ?? 1) };
  }
  if (item.kind === 'collector-summary') return sendCollectorSummary(item.payload as { collectorCode: string; date: string }, item.eventId, deps);
  return recordAndQueue(planFromDueItem(item), item.eventId, deps);
}

/** Records an item that could not become a message; the key is the message's, or the due item's if no plan could be made. */
async function recordFailure(item: DueItem, reason: string, deps: CollectionPorts): Promise<string> {
  let key = `due#${item.pk}`;
  let subject = item.pk;
  try {
    const plan = planFromDueItem(item);
    key = plan.key;
    subject = plan.subject;
  } catch {
    // No plan: the due item's own key names it.
  }
  await deps.ledger.record({ key, kind: item.kind, subject, eventId: item.eventId, status: 'technical-failure', reason }, deps.now());
  return key;
}

export async function runCampaignPage(input: PageRequest, deps: CollectionPorts): Promise<PageResult> {
  const page = await deps.dueItems.pending(input.kind, input.date, input.shard, input.after, input.pageSize);
  const totals = { ...(input.totals ?? NO_TOTALS) };
  totals.read += page.read;
  const failures: PageResult['failures'] = [];
  for (const item of page.items) {
    let outcome: string;
    try {
      const result = await handle(item, deps);
      outcome = result.outcome;
      if (result.outcome === 'queued' || result.outcome === 'requeued') totals.queued += 1;
      else if (result.outcome === 'deferred') totals.deferred += 1;
      else if (result.outcome === 'duplicate') totals.duplicates += 1;
      else totals.skipped += 1;
    } catch (error) {
      if (!isItemFailure(error)) throw error;
      const reason = reasonOf(error);
      const key = await recordFailure(item, reason, deps);
      failures.push({ key, reason });
      totals.failed += 1;
      outcome = `failed: ${reason}`;
    }
    await deps.dueItems.settle(item, outcome);
  }
  return {
    ...(page.after ? { after: page.after } : {}),
    more: page.after !== undefined,
    totals,
    pagesInPart: (input.pagesInPart ?? 0) + 1,
    failures,
  };
}
