/**
 * The SQS batch wiring every queue-fed handler shares: Powertools' batch
 * processor reports partial failures (one bad record never fails its
 * neighbours), middy adds the logger context and flushes metrics. The
 * invocation event (every message body) is never logged, whatever
 * POWERTOOLS_LOGGER_LOG_EVENT says: bodies carry names, numbers and, for the
 * intake and the sender, passwords and codes. A record that fails is logged at
 * ERROR with its error (the batch processor itself reports it to SQS and says
 * nothing), described by `describeError`.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics } from './observability.ts';

/**
 * A record that must not go back to its queue once it has failed
 * `lastAttempt(record)` times, because the queue's redrive policy would move it
 * as it is, without the reason it failed (and, for an event with a password or
 * code, with its secret): `instead` deals with it, and the record is then
 * deleted. If `instead` throws, the record fails as it would have.
 * `lastAttempt` undefined leaves the record to its queue.
 */
export interface LastTry {
  lastAttempt(record: SQSRecord): number | undefined;
  instead(record: SQSRecord, error: unknown): Promise<void>;
}

export interface BatchOptions {
  lastTry?: LastTry;
  /** The error of a failed record as one log line, without personal data (default: `describeFailure`). */
  describeError?: (error: unknown) => string;
  /** Runs once the batch's records are done, whatever their outcome (the sender gives back unused admissions). */
  afterBatch?: (context: Context) => Promise<void>;
}

/** A run of 7 or more digits (a phone or BHXH number in an error message): its last three are kept. */
const LONG_NUMBER = /\d{4,}(\d{3})(?!\d)/g;

/** `<name>: <message>`, long digit runs masked, at most 300 characters: a failure as a log line. */
export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;
  return text.replace(LONG_NUMBER, '***$1').slice(0, 300);
}

export function sqsBatchHandler(processRecord: (record: SQSRecord, context: Context) => Promise<void>, options: BatchOptions = {}) {
  const processor = new BatchProcessor(EventType.SQS);
  const { lastTry, describeError = describeFailure, afterBatch } = options;
  const handle = async (record: SQSRecord, context: Context): Promise<void> => {
    try {
      await processRecord(record, context);
    } catch (error) {
      const attempt = Number(record.attributes?.ApproximateReceiveCount ?? '1');
      const last = lastTry?.lastAttempt(record);
      const failure = { messageId: record.messageId, attempt, error: describeError(error) };
      if (!lastTry || last === undefined || attempt < last) {
        logger.error('record failed: it goes back to its queue', failure);
        throw error;
      }
      logger.error('record failed its last try', failure);
      await lastTry.instead(record, error);
    }
  };
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    try {
      // A whole batch failing (a provider outage) is reported record by record, like any partial failure.
      return await processPartialResponse(event, (record: SQSRecord) => handle(record, context), processor, { context, throwOnFullBatchFailure: false });
    } finally {
      await afterBatch?.(context);
    }
  })
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(logMetrics(metrics));
}
