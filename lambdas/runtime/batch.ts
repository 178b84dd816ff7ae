/**
 * The SQS batch wiring every queue-fed handler shares: Powertools' batch
 * processor reports partial failures (one bad record never fails its
 * neighbours), middy adds the logger context and flushes metrics. The
 * invocation event (every message body) is never logged, whatever
 * POWERTOOLS_LOGGER_LOG_EVENT says: bodies carry names, numbers and, for the
 * intake and the sender, passwords and codes.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics } from './observability.ts';

/**
 * A record that must not go back to its queue once it has failed `fromAttempt`
 * times, because the queue's redrive policy would keep it as it is (an event
 * with a password or code, moved untouched to the quarantine): `instead` deals
 * with it, and the record is then deleted. If `instead` throws, the record
 * fails as it would have.
 */
export interface LastTry {
  fromAttempt: number;
  applies(record: SQSRecord): boolean;
  instead(record: SQSRecord, error: unknown): Promise<void>;
}

export function sqsBatchHandler(processRecord: (record: SQSRecord, context: Context) => Promise<void>, options: { lastTry?: LastTry } = {}) {
  const processor = new BatchProcessor(EventType.SQS);
  const { lastTry } = options;
  const handle = async (record: SQSRecord, context: Context): Promise<void> => {
    try {
      await processRecord(record, context);
    } catch (error) {
      const attempt = Number(record.attributes?.ApproximateReceiveCount ?? '1');
      if (!lastTry || attempt < lastTry.fromAttempt || !lastTry.applies(record)) throw error;
      await lastTry.instead(record, error);
    }
  };
  return middy(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      // A whole batch failing (a provider outage) is reported record by record, like any partial failure.
      processPartialResponse(event, (record: SQSRecord) => handle(record, context), processor, { context, throwOnFullBatchFailure: false }),
  )
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(logMetrics(metrics));
}
