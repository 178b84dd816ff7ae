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

const pageInput = z.object({
  kind: z.enum(DUE_KINDS),
  date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  shard: z.int().check(z.nonnegative()),
  cursor: z.nullish(z.record(z.string(), z.unknown())),
  pageSize: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 100),
  page: z.optional(z.unknown()),
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
  const result = await runCampaignPage({ ...input, cursor: input.cursor ?? undefined }, ports());
  metrics.addMetric(`campaign-${input.kind}-queued`, MetricUnit.Count, result.queued);
  logger.info(
    'campaign page done',
    maskBhxhNumbers({
      kind: input.kind,
      date: input.date,
      shard: input.shard,
      read: result.read,
      queued: result.queued,
      deferred: result.deferred,
      duplicates: result.duplicates,
      skipped: result.skipped,
    }),
  );
  // `more` drives the state machine's paging loop.
  return { ...result, more: result.cursor !== undefined };
});
