/**
 * Sender: takes queued messages off the send queues and hands them to SNS as
 * Transactional SMS from the BHXHVN sender ID, within the parts-per-second
 * quota.
 */
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSRecord } from 'aws-lambda';
import { dynamo, sqs } from '../../aws/clients.ts';
import { readEnvironment, SENDER_ENVIRONMENT } from '../../aws/environment.ts';
import { KmsSecretEnvelope } from '../../aws/secret-envelope.ts';
import { readSendQueueBody } from '../../aws/send-queue.ts';
import { SnsSmsGateway } from '../../aws/sns-gateway.ts';
import { SesEmailGateway } from '../../aws/ses-gateway.ts';
import { S3AttachmentStore } from '../../aws/report-files.ts';
import { backoffSeconds } from '../../domain/provider-errors.ts';
import { maskBhxhNumbers } from '../../domain/redact.ts';
import type { EmailGateway, SmsGateway } from '../../flows/ports.ts';
import { sendQueuedMessage, type SendOutcome, type SenderPorts } from '../../flows/sending/send.ts';
import { sqsBatchHandler } from '../../runtime/batch.ts';
import { now, nowMs } from '../../runtime/clock.ts';
import { perContainer } from '../../runtime/container.ts';
import { logger, metrics } from '../../runtime/observability.ts';
import { BatchCampaignStops } from '../../stores/campaign-stops.ts';
import { BatchKindControls } from '../../stores/kind-control-snapshot.ts';
import { DynamoLedgerStore } from '../../stores/ledger-store.ts';
import { DynamoParkedReceiptStore } from '../../stores/parked-receipt-store.ts';
import { DynamoSmsQuota } from '../../stores/rate-window-store.ts';

/** Stop waiting for quota this long before the Lambda timeout: a Publish (at most 5 s, aws/clients.ts) and the settling write fit. */
const SAFETY_MARGIN_MS = 8_000;
const LEASE_SECONDS = 120;

type ContainerPorts = Omit<SenderPorts, 'deadlineMs' | 'controls' | 'campaignStop'> & {
  envelope: KmsSecretEnvelope;
  batchControls(): BatchKindControls;
  batchCampaignStops(): BatchCampaignStops;
};

/** What the local run hands the sender in place of SNS (and of SES, when its outbox takes e-mail too). */
export type ProviderGateway = SmsGateway & Partial<EmailGateway>;

function compose(gateway: ProviderGateway | undefined): ContainerPorts {
  const env = readEnvironment(SENDER_ENVIRONMENT);
  return {
    ledger: new DynamoLedgerStore(dynamo(), { tableName: env.LEDGER_TABLE_NAME, controlTableName: env.CONTROL_TABLE_NAME }),
    // Kind items read, and admissions counted, once per batch (an invocation), not once per message.
    batchControls: () => new BatchKindControls(dynamo(), env.CONTROL_TABLE_NAME, env.DAILY_CEILINGS),
    // A province campaign's status, read once per campaign per batch: a cancelled one sends nothing more.
    batchCampaignStops: () => new BatchCampaignStops(dynamo(), env.CAMPAIGNS_TABLE_NAME),
    quota: new DynamoSmsQuota(dynamo(), env.CONTROL_TABLE_NAME, { partsPerSecond: env.SMS_PARTS_PER_SECOND }),
    parkedReceipts: new DynamoParkedReceiptStore(dynamo(), env.CONTROL_TABLE_NAME),
    gateway: gateway ?? new SnsSmsGateway({ senderId: env.SMS_SENDER_ID, smsType: env.SMS_TYPE }),
    email: {
      gateway: gateway?.sendEmail ? { sendEmail: gateway.sendEmail.bind(gateway) } : new SesEmailGateway({ from: env.EMAIL_FROM, configurationSet: env.EMAIL_CONFIGURATION_SET }),
      // SES's sending rate is the account's, in messages per second, apart from the SMS parts.
      quota: new DynamoSmsQuota(dynamo(), env.CONTROL_TABLE_NAME, { partsPerSecond: env.EMAILS_PER_SECOND, window: 'email' }),
      attachments: new S3AttachmentStore(env.REPORTS_BUCKET_NAME),
    },
    now,
    leaseSeconds: LEASE_SECONDS,
    envelope: new KmsSecretEnvelope(env.SECRET_KEY_ARN),
  };
}

/** The send queue and the urgent queue feed this function; a record's ARN says which to back off on. */
function queueUrlOf(arn: string): string {
  const [, , , region, account, name] = arn.split(':');
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
}

function record(kind: string | undefined, key: string, result: SendOutcome): void {
  metrics.addMetric(`sender-${result.outcome}`, MetricUnit.Count, 1);
  // Per kind, for the dashboard's "messages by kind and outcome" (its own metric object: dimensions differ per record).
  const byKind = metrics.singleMetric();
  byKind.addDimensions({ kind: kind ?? 'unknown', outcome: result.outcome });
  byKind.addMetric('messages', MetricUnit.Count, 1);
  if (result.outcome === 'sent') metrics.addMetric('sms-parts-sent', MetricUnit.Count, result.segments);
  if (result.outcome === 'paused' && result.ceilingJustReached) {
    metrics.addMetric('daily-ceiling-reached', MetricUnit.Count, 1);
    logger.warn('daily ceiling reached: kind paused', maskBhxhNumbers({ key, reason: result.reason }));
  }
  if (result.outcome === 'unknown') logger.warn('no answer from SNS: perhaps sent, not resent; an operator releases or confirms it', maskBhxhNumbers({ key }));
  // The key names the person (`otp#<BHXH number>#…`): its BHXH number is masked.
  logger.info('message handled', maskBhxhNumbers({ key, ...result }));
}

/** The local run gives the sender its outbox as the SMS gateway; in AWS it is SNS. */
export function createHandler(gateway?: ProviderGateway) {
  const ports = perContainer(() => compose(gateway));
  const controlsOf = new WeakMap<Context, BatchKindControls>();
  const stopsOf = new WeakMap<Context, BatchCampaignStops>();
  return sqsBatchHandler(
    async (sqsRecord: SQSRecord, context: Context) => {
      // The secret, if any, is opened here and lives only in this invocation's memory (never logged, never stored).
      const { envelope, batchControls, batchCampaignStops, ...deps } = ports();
      const controls = controlsOf.get(context) ?? batchControls();
      controlsOf.set(context, controls);
      const stops = stopsOf.get(context) ?? batchCampaignStops();
      stopsOf.set(context, stops);
      const { key, secret, kind } = await readSendQueueBody(sqsRecord.body, envelope);
      const deadlineMs = () => nowMs() + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS;
      const result = await sendQueuedMessage(key, { ...deps, controls, deadlineMs, campaignStop: (id) => stops.stop(id) }, secret);
      record(kind, key, result);
      if (result.outcome === 'retry') {
        const receiveCount = Number(sqsRecord.attributes.ApproximateReceiveCount ?? '1');
        await sqs().send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrlOf(sqsRecord.eventSourceARN),
            ReceiptHandle: sqsRecord.receiptHandle,
            VisibilityTimeout: backoffSeconds(receiveCount),
          }),
        );
        throw new Error(`retry later: ${result.reason}`);
      }
    },
    {
      // What the batch leased against the daily ceiling and did not use goes back (one write per kind).
      afterBatch: async (context) => controlsOf.get(context)?.returnUnused(),
    },
  );
}

export const handler = createHandler();
