/** The campaign state machine's page step: one page of one shard of a day's due items. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
// The mini build: our own state machine's input, a few fields, and mini is a fraction of the size.
import * as z from 'zod/mini';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { dynamo, env, eventBridge, s3 } from '../commons/aws-clients.ts';
import { NOTIFY_SOURCE, NotifyDetailType } from '../commons/catalogue.ts';
import { Collections, type CollectionDeps } from './collections.ts';
import { outboundDeps } from '../commons/deps.ts';
import { DueItems } from '../commons/due-items.ts';
import { logger, metrics } from '../commons/observability.ts';
import { runCampaignPage } from './scheduled.ts';

const pageInput = z.object({
  kind: z.enum(['health-card-expiring', 'voluntary-term-ending', 'password-change-due', 'collector-summary', 'unit-monthly-statement', 'facility-claims-summary', 'quiet-hours-release']),
  date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  shard: z.int().check(z.nonnegative()),
  cursor: z.nullish(z.record(z.string(), z.unknown())),
  pageSize: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 100),
  page: z.optional(z.unknown()),
});

function deps(): CollectionDeps {
  return {
    ...outboundDeps(),
    dueItems: new DueItems(dynamo(), env('DUE_ITEMS_TABLE_NAME')),
    collections: new Collections(dynamo(), env('COLLECTIONS_TABLE_NAME')),
    async saveReport(key, csv) {
      const bucket = env('REPORTS_BUCKET_NAME');
      await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: csv, ContentType: 'text/csv; charset=utf-8' }));
      return { bucket, key };
    },
    async announceSummary(detail) {
      await eventBridge().send(
        new PutEventsCommand({ Entries: [{ EventBusName: env('EVENT_BUS_NAME'), Source: NOTIFY_SOURCE, DetailType: NotifyDetailType.CollectionDailySummaryReady, Detail: JSON.stringify(detail) }] }),
      );
    },
  };
}

export const handler = middy(async (event: unknown) => {
  const input = pageInput.parse(event);
  const result = await runCampaignPage({ ...input, cursor: input.cursor ?? undefined }, deps());
  metrics.addMetric(`campaign-${input.kind}-queued`, MetricUnit.Count, result.queued);
  logger.info('campaign page done', { kind: input.kind, date: input.date, shard: input.shard, read: result.read, queued: result.queued, deferred: result.deferred, duplicates: result.duplicates, skipped: result.skipped });
  // `more` drives the state machine's paging loop.
  return { ...result, more: result.cursor !== undefined };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
