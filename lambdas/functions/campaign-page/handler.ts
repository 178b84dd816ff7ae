/** The campaign state machine's page step: one page of one shard of a day's due items. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
// The mini build: our own state machine's input, a few fields, and mini is a fraction of the size.
import * as z from 'zod/mini';
import { dynamo } from '../../aws/clients.ts';
import { CAMPAIGN_PAGE_ENVIRONMENT, readEnvironment } from '../../aws/environment.ts';
import { BusEventPublisher } from '../../aws/event-publisher.ts';
import { messagingPorts } from '../../compose/messaging.ts';
import { S3ReportStore } from '../../aws/reports.ts';
import { DUE_KINDS } from '../../domain/due-items.ts';
import { maskBhxhNumbers } from '../../domain/redact.ts';
import type { CollectionPorts } from '../../flows/collections/collections.ts';
import { runCampaignPage } from '../../flows/campaigns/campaign-page.ts';
import { perContainer } from '../../runtime/container.ts';
import { logger, metrics } from '../../runtime/observability.ts';
import { directHandler } from '../../runtime/step-handler.ts';
import { DynamoCollectionStore } from '../../stores/collection-store.ts';
import { DynamoDueItemStore } from '../../stores/due-item-store.ts';

const count = z.int().check(z.nonnegative());
const pageInput = z.object({
  kind: z.enum(DUE_KINDS),
  date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  shard: count,
  after: z.nullish(z.string().check(z.maxLength(100))),
  pageSize: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 100),
  totals: z.nullish(z.object({ read: count, queued: count, deferred: count, duplicates: count, skipped: count, failed: count })),
  pagesInPart: z.optional(count),
});

const ports = perContainer((): CollectionPorts => {
  const env = readEnvironment(CAMPAIGN_PAGE_ENVIRONMENT);
  return {
    ...messagingPorts(env),
    dueItems: new DynamoDueItemStore(dynamo(), env.DUE_ITEMS_TABLE_NAME),
    collections: new DynamoCollectionStore(dynamo(), env.COLLECTIONS_TABLE_NAME),
    reports: new S3ReportStore(env.REPORTS_BUCKET_NAME),
    events: new BusEventPublisher(env.EVENT_BUS_NAME),
  };
});

export const handler = directHandler(async (event: unknown) => {
  const input = pageInput.parse(event);
  // No cursor yet is '' (the state machine cannot carry a null).
  const result = await runCampaignPage({ ...input, after: input.after || undefined, totals: input.totals ?? undefined }, ports());
  metrics.addMetric(`campaign-${input.kind}-queued`, MetricUnit.Count, result.totals.queued - (input.totals?.queued ?? 0));
  if (result.failures.length > 0) metrics.addMetric(`campaign-${input.kind}-failed`, MetricUnit.Count, result.failures.length);
  // Each item that could not become a message, at ERROR: the key (BHXH numbers masked) and why. It is in the ledger too.
  for (const failure of result.failures) logger.error('campaign item failed', maskBhxhNumbers({ kind: input.kind, date: input.date, key: failure.key, reason: failure.reason }));
  logger.info('campaign page done', { kind: input.kind, date: input.date, shard: input.shard, pagesInPart: result.pagesInPart, totals: result.totals });
  // What the state machine needs, and nothing that names a person: the cursor is a date and a random order.
  return { after: result.after ?? '', more: result.more, totals: result.totals, pagesInPart: result.pagesInPart };
});
