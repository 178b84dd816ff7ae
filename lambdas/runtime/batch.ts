/**
 * The SQS batch wiring every queue-fed handler shares: Powertools' batch
 * processor reports partial failures (one bad record never fails its
 * neighbours), middy adds the logger context and flushes metrics.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics } from './observability.ts';

export function sqsBatchHandler(processRecord: (record: SQSRecord, context: Context) => Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  return middy(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      // A whole batch failing (a provider outage) is reported record by record, like any partial failure.
      processPartialResponse(event, (record: SQSRecord) => processRecord(record, context), processor, { context, throwOnFullBatchFailure: false }),
  )
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}
