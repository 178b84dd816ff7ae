/**
 * NotificationStatusChanged: the ledger's stream (new and old images) feeds a
 * function that publishes each message's change into a final status on the
 * bus, for the producer that asked for the message (SPEC "The system
 * publishes"). The event source mapping's filter hands the function only the
 * inserts and updates whose new status is final, so the `content#` items (the
 * text and the number, which have no status), the deletions by TTL and the
 * changes on the way (queued, sending, sent) never invoke it; the function
 * itself tells a new final status from a rewrite of the same one (a duplicate
 * counted), which a filter cannot compare.
 *
 * A batch that keeps failing is bisected and retried, then its stream
 * position (shard, sequence numbers: no item data) goes to an on-failure
 * queue, encrypted like the others and alarmed: an operator reads the ledger
 * for that range. The function may publish vn.gov.bhxh.notify on the bus and
 * read this one stream; nothing else.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, type IEventSourceDlq, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STATUS_EVENTS_ENVIRONMENT } from '../lambdas/aws/environment.ts';
import { FINAL_STATUSES } from '../lambdas/domain/status-events.ts';
import { NotifyFunction } from './notify-function.ts';
import type { OperatorAlerts } from './operator-alerts.ts';
import { publishOwnEvents } from './producers.ts';
import { grantSendOnly, secureQueue } from './queues.ts';

export interface StatusEventsProps {
  /** The ledger, with its stream (lib/ledger.ts: NEW_AND_OLD_IMAGES). */
  ledger: Table;
  busName: string;
  busArn: string;
  logRetention: RetentionDays;
  alerts: OperatorAlerts;
}

/** DynamoDB keeps a stream's records 24 hours: a record older than that is gone anyway. */
const STREAM_RETENTION = Duration.hours(24);
/** What Lambda needs on the stream (AWS's documented policy for a stream's function); ListStreams takes no resource of its own. */
export const STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];

export class StatusEvents extends Construct {
  readonly statusFunction: NotifyFunction;
  /** Stream positions of the batches that failed every attempt (no item data): Lambda's on-failure destination. */
  readonly failedBatches: Queue;

  constructor(scope: Construct, id: string, props: StatusEventsProps) {
    super(scope, id);
    const streamArn = props.ledger.tableStreamArn;
    if (!streamArn) throw new Error('StatusEvents needs the ledger table with a stream');
    const fn = new NotifyFunction(this, 'StatusEventsFunction', {
      entry: 'lambdas/functions/status-events/handler.ts',
      serviceName: 'status-events',
      description: 'Publishes NotificationStatusChanged on the bus when a message reaches a final status',
      timeout: Duration.seconds(60),
      memorySize: 256,
      logRetention: props.logRetention,
      contract: STATUS_EVENTS_ENVIRONMENT,
    });
    this.statusFunction = fn;
    fn.setVariable('EVENT_BUS_NAME', props.busName);
    fn.addToRolePolicy(publishOwnEvents(props.busArn));
    fn.addToRolePolicy(new PolicyStatement({ actions: STREAM_READ_ACTIONS, resources: [streamArn] }));
    // The local run checks DescribeStream, GetShardIterator and GetRecords on the stream at start, as CreateEventSourceMapping does.
    fn.justifyUnused(
      ['dynamodb:ListStreams'],
      "In AWS's documented policy for a stream's function; IAM gives ListStreams no resource, so on the stream's ARN it allows nothing more, and the local run (which reads the stream by its ARN) never needs it.",
      [streamArn],
    );

    this.failedBatches = secureQueue(this, 'FailedStatusBatches', { retentionPeriod: Duration.days(14) });
    Validations.of(this.failedBatches).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the status-events stream's on-failure destination, a dead-letter queue in all but name: it holds stream positions for an operator, and alarms when not empty.",
    });
    const failedQueue = this.failedBatches;
    // Lambda sends the record with the function's role: sqs:SendMessage only (grantSendOnly), not CDK's SqsDlq grant.
    const onFailure: IEventSourceDlq = {
      bind: () => {
        grantSendOnly(fn, failedQueue);
        return { destination: failedQueue.queueArn };
      },
    };

    fn.addEventSourceMapping('LedgerStream', {
      eventSourceArn: streamArn,
      // From the oldest record the stream keeps: a message settled between the stream's creation and the mapping's is not missed.
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      bisectBatchOnError: true,
      retryAttempts: 10,
      maxRecordAge: STREAM_RETENTION,
      reportBatchItemFailures: true,
      onFailure,
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.or('INSERT', 'MODIFY'),
          dynamodb: { NewImage: { status: { S: FilterRule.or(...FINAL_STATUSES) } } },
        }),
      ],
    });

    props.alerts.alarmOnFunctionErrors('StatusEventsErrors', fn);
    props.alerts.alarmWhenQueueNotEmpty(
      'FailedStatusBatchesWaiting',
      failedQueue,
      'NotificationStatusChanged events were not published for a range of the ledger stream: see the queued positions',
    );
    // Behind by more than an hour: producers are told late (PutEvents refused, the function failing).
    props.alerts.alarmAbove(
      'StatusEventsIteratorAge',
      fn.metric('IteratorAge', { period: Duration.minutes(5), statistic: 'Maximum' }),
      3_600_000,
      'The ledger stream is read more than an hour behind: NotificationStatusChanged events are late',
    );
  }
}
