/**
 * The sender: the send queue (with its dead-letter queue), the quota table
 * that holds the per-second parts windows, and the function that hands
 * messages to SNS as Transactional SMS from the BHXHVN sender ID.
 */
import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { NotifyConfig } from './config.ts';
import { NotifyFunction } from './notify-function.ts';
import { SENDER_ENVIRONMENT } from '../lambdas/aws/environment.ts';
import type { OperatorAlerts } from './operator-alerts.ts';
import { bindSecretKey } from './kms.ts';
import { secureQueue } from './queues.ts';
import { durableTable } from './tables.ts';

export interface SenderProps {
  config: NotifyConfig;
  ledger: Table;
  alerts: OperatorAlerts;
}

const SENDER_TIMEOUT = Duration.seconds(60);

export class Sender extends Construct {
  readonly queue: Queue;
  /** OTP and other urgent messages: their own queue, so no campaign backlog delays them. */
  readonly urgentQueue: Queue;
  readonly deadLetterQueue: Queue;
  readonly controlTable: Table;
  readonly senderFunction: NotifyFunction;

  constructor(scope: Construct, id: string, props: SenderProps) {
    super(scope, id);
    this.deadLetterQueue = secureQueue(this, 'SendDeadLetterQueue', { retentionPeriod: Duration.days(14) });
    this.queue = secureQueue(this, 'SendQueue', {
      // Six times the function timeout, as AWS advises for SQS event sources.
      visibilityTimeout: Duration.seconds(SENDER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 10 },
    });
    this.urgentQueue = secureQueue(this, 'UrgentSendQueue', {
      visibilityTimeout: Duration.seconds(SENDER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.hours(1),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 10 },
    });
    this.controlTable = durableTable(this, 'SendControlTable', 'pk', { timeToLiveAttribute: 'expiresAt' });

    this.senderFunction = new NotifyFunction(this, 'SenderFunction', {
      entry: 'lambdas/functions/sender/handler.ts',
      serviceName: 'sender',
      description: 'Sends queued SMS through SNS within the parts-per-second quota',
      timeout: SENDER_TIMEOUT,
      logRetention: props.config.logRetention,
      contract: SENDER_ENVIRONMENT,
    });
    this.senderFunction
      .bindTable('LEDGER_TABLE_NAME', props.ledger, ['dynamodb:GetItem', 'dynamodb:UpdateItem'])
      // Quota windows, kind controls and counters; parking a paused kind's message checks its control item in the same
      // transaction; early delivery receipts are parked here and deleted once taken.
      .bindTable('CONTROL_TABLE_NAME', this.controlTable, ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem'])
      .setVariable('SMS_SENDER_ID', props.config.senderId)
      .setVariable('SMS_PARTS_PER_SECOND', props.config.smsPartsPerSecond)
      .setVariable('SMS_TYPE', 'Transactional')
      .setVariable('DAILY_CEILINGS', JSON.stringify(props.config.dailyCeilings));
    // Opens the password or code sealed in a queued message (the intake seals it): decrypt only.
    bindSecretKey(this.senderFunction, 'SECRET_KEY_ARN', 'decrypt');
    // The quota table caps the rate; two concurrent senders (the minimum) keep contention on it low. A message that must
    // wait (throttled, quota) gets its visibility timeout changed: the sender's exponential backoff.
    for (const queue of [this.queue, this.urgentQueue]) this.senderFunction.consumeQueue(queue, { batchSize: 10, maxConcurrency: 2, alsoAllow: ['sqs:ChangeMessageVisibility'] });
    this.senderFunction.justifyUnused(
      ['sqs:ChangeMessageVisibility'],
      'Backoff of a throttled urgent (OTP) message: no test throttles the urgent queue yet (the send queue one is exercised).',
      [this.urgentQueue.queueArn],
    );
    this.senderFunction.justifyUnused(
      ['dynamodb:DeleteItem'],
      'Taking a receipt parked before its message was recorded as sent (ParkedReceiptStore.take): exercised only by test/flows/receipts.test.ts, which calls the flow outside the local run.',
      [this.controlTable.tableArn],
    );
    // SMS to a phone number has no resource ARN. NotResource on every SNS ARN allows
    // publishing to phone numbers only, never to a topic or a platform endpoint.
    this.senderFunction.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], notResources: ['arn:aws:sns:*:*:*'] }));
    this.senderFunction.justifyUnused(
      ['sns:Publish'],
      'SMS to phone numbers: the local run gives the sender an outbox (or a test stub) instead of SNS, so no local call publishes.',
    );

    props.alerts.alarmWhenQueueNotEmpty(
      'SendDeadLetterQueueNotEmpty',
      this.deadLetterQueue,
      'SMS that SNS never accepted after 10 tries: still queued in the ledger; fix the cause, then redrive the send DLQ',
    );
    props.alerts.alarmOnFunctionErrors('SenderErrors', this.senderFunction);
    props.alerts.alarmOnMetric(
      'DailyCeilingReached',
      new Metric({ namespace: 'BhxhNotify', metricName: 'daily-ceiling-reached', dimensionsMap: { service: 'sender' }, period: Duration.minutes(5), statistic: 'Sum' }),
      'A kind reached its daily ceiling and is paused: its messages wait in the ledger. Find out why (npm run ops -- status), then resume it (npm run ops -- resume <kind>)',
    );
    props.alerts.alarmOnMetric(
      'SmsOutcomeUnknown',
      new Metric({ namespace: 'BhxhNotify', metricName: 'sender-unknown', dimensionsMap: { service: 'sender' }, period: Duration.minutes(5), statistic: 'Sum' }),
      'An SMS was handed to SNS and no answer came back: perhaps sent, not resent automatically. List them (npm run ops -- unknown), check the SNS delivery-status logs, then release or confirm each (npm run ops -- unknown release|confirm <key> --reason "...")',
    );
  }

  /** A province campaign cancelled after its rows were queued: the sender reads its status (once per batch) and sends nothing more. */
  connectProvinceCampaigns(campaigns: Table): void {
    this.senderFunction.bindTable('CAMPAIGNS_TABLE_NAME', campaigns, ['dynamodb:GetItem']);
  }
}
