/**
 * The ledger's stream, filtered by the event source mapping to the changes
 * whose new status is final (lib/status-events.ts): each change into a final
 * status is published on the bus as NotificationStatusChanged. A failed
 * publication reports its record as the batch's failure: Lambda retries from
 * that record (the ones before it are done), bisects a batch that keeps
 * failing, and after its last attempt keeps the batch's stream position (no
 * item data) on the on-failure queue.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { BusEventPublisher } from '../../aws/event-publisher.ts';
import { readEnvironment, STATUS_EVENTS_ENVIRONMENT } from '../../aws/environment.ts';
import { ledgerChangesOf } from '../../aws/ledger-stream.ts';
import { publishStatusChanges } from '../../flows/status-events/publish-changes.ts';
import { describeFailure } from '../../runtime/batch.ts';
import { perContainer } from '../../runtime/container.ts';
import { logger, metrics } from '../../runtime/observability.ts';
import { directHandler } from '../../runtime/step-handler.ts';

const publisher = perContainer(() => new BusEventPublisher(readEnvironment(STATUS_EVENTS_ENVIRONMENT).EVENT_BUS_NAME));

export const handler = directHandler(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const outcome = await publishStatusChanges(ledgerChangesOf(event), publisher());
  metrics.addMetric('status-events-published', MetricUnit.Count, outcome.published);
  // Counts and a sequence number only: the records' images hold the message's key (a BHXH number) and more.
  if (outcome.failedId === undefined) {
    logger.info('status changes published', { published: outcome.published, ignored: outcome.ignored });
    return { batchItemFailures: [] };
  }
  logger.error('status change not published: the stream retries from it', {
    published: outcome.published,
    ignored: outcome.ignored,
    sequenceNumber: outcome.failedId,
    error: describeFailure(outcome.error),
  });
  return { batchItemFailures: [{ itemIdentifier: outcome.failedId }] };
});
