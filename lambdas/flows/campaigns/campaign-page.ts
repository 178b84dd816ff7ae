/** One page of one shard of a campaign run: each due item becomes a message, exactly once (the ledger key). */
import { planFromDueItem } from '../../domain/due-plans.ts';
import type { DueKind } from '../../domain/due-items.ts';
import { sendCollectorSummary, type CollectionPorts } from '../collections/collections.ts';
import { recordAndQueue } from '../messaging/record-and-queue.ts';
import type { QueuedMessage } from '../ports.ts';

export interface PageResult {
  read: number;
  queued: number;
  deferred: number;
  duplicates: number;
  skipped: number;
  cursor?: Record<string, unknown>;
}

export interface PageRequest {
  kind: DueKind;
  date: string;
  shard: number;
  cursor?: Record<string, unknown>;
  pageSize: number;
}

export async function runCampaignPage(input: PageRequest, deps: CollectionPorts): Promise<PageResult> {
  const page = await deps.dueItems.page(input.kind, input.date, input.shard, input.cursor, input.pageSize);
  const result: PageResult = { read: page.read, queued: 0, deferred: 0, duplicates: 0, skipped: 0, ...(page.cursor ? { cursor: page.cursor } : {}) };
  for (const item of page.items) {
    if (item.kind === 'quiet-hours-release') {
      await deps.sendQueue.enqueue(item.payload as unknown as QueuedMessage);
      result.queued += 1;
      continue;
    }
    const outcome =
      item.kind === 'collector-summary'
        ? await sendCollectorSummary(item.payload as { collectorCode: string; date: string }, item.eventId, deps)
        : await recordAndQueue(planFromDueItem(item), item.eventId, deps);
    if (outcome.outcome === 'queued' || outcome.outcome === 'requeued') result.queued += 1;
    else if (outcome.outcome === 'deferred') result.deferred += 1;
    else if (outcome.outcome === 'duplicate') result.duplicates += 1;
    else result.skipped += 1;
  }
  return result;
}
