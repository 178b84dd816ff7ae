/**
 * Sender: takes queued messages off the send queue and hands them to SNS as
 * Transactional SMS from the BHXHVN sender ID, within the parts-per-second
 * quota.
 */
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { PublishCommand } from '@aws-sdk/client-sns';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSRecord } from 'aws-lambda';
import { dynamo, env, sns, sqs } from '../commons/aws-clients.ts';
import { sqsBatchHandler } from '../commons/batch.ts';
import { now, nowMs } from '../commons/clock.ts';
import { KindControls, parseCeilings } from '../commons/kind-controls.ts';
import { Ledger } from '../commons/ledger.ts';
import { logger, metrics } from '../commons/observability.ts';
import { PartsRateLimiter } from './rate-limiter.ts';
import { ParkedReceipts } from '../receipts/parked.ts';
import { backoffSeconds, sendQueuedMessage, type SenderDeps, type SmsGateway } from './send.ts';

const parkedReceipts = () => new ParkedReceipts(dynamo(), env('CONTROL_TABLE_NAME'));
let parsedCeilings: ReturnType<typeof parseCeilings> | undefined;
const ceilings = () => (parsedCeilings ??= parseCeilings(process.env.DAILY_CEILINGS));

/** Stop waiting for quota this long before the Lambda timeout, to settle the ledger in time. */
const SAFETY_MARGIN_MS = 5_000;
const LEASE_SECONDS = 120;

export function snsGateway(): SmsGateway {
  return {
    async publish(sms) {
      const result = await sns().send(
        new PublishCommand({
          PhoneNumber: sms.to,
          Message: sms.text,
          MessageAttributes: {
            'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: env('SMS_SENDER_ID') },
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: process.env.SMS_TYPE ?? 'Transactional' },
          },
        }),
      );
      if (!result.MessageId) throw new Error('SNS accepted the message but returned no MessageId');
      return { messageId: result.MessageId };
    },
  };
}

/** The send queue and the urgent queue feed this function; a record's ARN says which to back off on. */
function queueUrlOf(arn: string): string {
  const [, , , region, account, name] = arn.split(':');
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
}

export function createHandler(gateway: SmsGateway = snsGateway()) {
  return sqsBatchHandler(async (record: SQSRecord, context: Context) => {
    const { key, secret, kind } = JSON.parse(record.body) as { key: string; secret?: string; kind?: string };
    const deps: SenderDeps = {
      ledger: new Ledger(dynamo(), env('LEDGER_TABLE_NAME'), 0),
      controls: new KindControls(dynamo(), env('CONTROL_TABLE_NAME'), ceilings()),
      limiter: new PartsRateLimiter(dynamo(), env('CONTROL_TABLE_NAME'), { partsPerSecond: Number(env('SMS_PARTS_PER_SECOND')) }),
      gateway,
      now,
      deadlineMs: () => nowMs() + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS,
      leaseSeconds: LEASE_SECONDS,
      parkedReceipt: (providerMessageId) => parkedReceipts().take(providerMessageId),
    };
    const result = await sendQueuedMessage(key, deps, secret);
    metrics.addMetric(`sender-${result.outcome}`, MetricUnit.Count, 1);
    // Per kind, for the dashboard's "messages by kind and outcome" (its own metric object: dimensions differ per record).
    const byKind = metrics.singleMetric();
    byKind.addDimensions({ kind: kind ?? 'unknown', outcome: result.outcome });
    byKind.addMetric('messages', MetricUnit.Count, 1);
    if (result.outcome === 'sent') metrics.addMetric('sms-parts-sent', MetricUnit.Count, result.segments);
    if (result.outcome === 'paused' && result.ceilingJustReached) {
      metrics.addMetric('daily-ceiling-reached', MetricUnit.Count, 1);
      logger.warn('daily ceiling reached: kind paused', { key, reason: result.reason });
    }
    logger.info('message handled', { key, ...result });
    if (result.outcome === 'retry') {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
      await sqs().send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrlOf(record.eventSourceARN),
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: backoffSeconds(receiveCount),
        }),
      );
      throw new Error(`retry later: ${result.reason}`);
    }
  });
}

export const handler = createHandler();
