/**
 * Delivery receipts, in batches: a CloudWatch Logs subscription on the SNS
 * delivery-status log groups delivers gzipped batches of log lines. CloudWatch
 * Logs invokes asynchronously: a batch that fails three attempts goes to the
 * function's on-failure queue (`npm run ops -- receipts redrive`).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { dynamo } from '../../aws/clients.ts';
import { readEnvironment, RECEIPTS_ENVIRONMENT } from '../../aws/environment.ts';
import { maskBhxhNumbers } from '../../domain/redact.ts';
import { applyReceiptLines, type ReceiptDeps } from '../../flows/receipts/apply-receipt.ts';
import { subscriptionLines } from '../../flows/receipts/log-batch.ts';
import { perContainer } from '../../runtime/container.ts';
import { logger, metrics } from '../../runtime/observability.ts';
import { directHandler } from '../../runtime/step-handler.ts';
import { DynamoLedgerStore } from '../../stores/ledger-store.ts';
import { DynamoParkedReceiptStore } from '../../stores/parked-receipt-store.ts';

const ports = perContainer((): ReceiptDeps => {
  const env = readEnvironment(RECEIPTS_ENVIRONMENT);
  return { ledger: new DynamoLedgerStore(dynamo(), { tableName: env.LEDGER_TABLE_NAME }), parkedReceipts: new DynamoParkedReceiptStore(dynamo(), env.CONTROL_TABLE_NAME) };
});

/** The log lines of a subscription delivery. */
export const logLines = (event: CloudWatchLogsEvent): string[] => subscriptionLines(event);

export const handler = directHandler(async (event: CloudWatchLogsEvent) => {
  const { counts, statuses } = await applyReceiptLines(logLines(event), ports());
  for (const status of statuses) metrics.addMetric(`receipt-${status}`, MetricUnit.Count, 1);
  // Counts only: the log lines hold phone numbers.
  logger.info('delivery receipts applied', maskBhxhNumbers(counts));
  return counts;
});
