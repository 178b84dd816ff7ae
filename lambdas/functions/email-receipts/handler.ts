/**
 * SES's events about e-mails (deliveries, bounces, complaints), from the
 * queue the configuration set's EventBridge rule feeds: each applied to the
 * ledger like an SMS receipt; a hard bounce or a complaint suppresses the
 * address. A record that keeps failing goes to the queue's dead-letter queue,
 * which holds only what the rule's input transformer kept (no address).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { dynamo } from '../../aws/clients.ts';
import { EMAIL_RECEIPTS_ENVIRONMENT, readEnvironment } from '../../aws/environment.ts';
import { applyEmailEvents, type EmailReceiptDeps } from '../../flows/receipts/apply-email-receipt.ts';
import { sqsBatchHandler } from '../../runtime/batch.ts';
import { now } from '../../runtime/clock.ts';
import { perContainer } from '../../runtime/container.ts';
import { logger, metrics } from '../../runtime/observability.ts';
import { DynamoEmailSuppressions } from '../../stores/email-suppressions.ts';
import { DynamoLedgerStore } from '../../stores/ledger-store.ts';
import { DynamoParkedReceiptStore } from '../../stores/parked-receipt-store.ts';

const ports = perContainer((): EmailReceiptDeps => {
  const env = readEnvironment(EMAIL_RECEIPTS_ENVIRONMENT);
  return {
    ledger: new DynamoLedgerStore(dynamo(), { tableName: env.LEDGER_TABLE_NAME }),
    parkedReceipts: new DynamoParkedReceiptStore(dynamo(), env.CONTROL_TABLE_NAME),
    suppressions: new DynamoEmailSuppressions(dynamo(), env.CONTACTS_TABLE_NAME),
    now,
  };
});

export const handler = sqsBatchHandler(async (record: SQSRecord) => {
  const { counts, statuses } = await applyEmailEvents([record.body], ports());
  for (const status of statuses) metrics.addMetric(`email-receipt-${status}`, MetricUnit.Count, 1);
  if (counts.suppressed > 0) metrics.addMetric('email-address-suppressed', MetricUnit.Count, counts.suppressed);
  // Counts only: never the address.
  logger.info('e-mail event applied', counts);
});
