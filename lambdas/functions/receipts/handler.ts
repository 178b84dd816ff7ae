/**
 * Delivery receipts, in batches: a CloudWatch Logs subscription on the SNS
 * delivery-status log groups delivers gzipped batches of log lines.
 */
import { gunzipSync } from 'node:zlib';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { dynamo } from '../../aws/clients.ts';
import { readEnvironment, RECEIPTS_ENVIRONMENT } from '../../aws/environment.ts';
import { maskBhxhNumbers } from '../../domain/redact.ts';
import { applyReceiptLines, type ReceiptDeps } from '../../flows/receipts/apply-receipt.ts';
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
export function logLines(event: CloudWatchLogsEvent): string[] {
  const batch = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as { logEvents?: Array<{ message: string }> };
  return (batch.logEvents ?? []).map((e) => e.message);
}

export const handler = directHandler(async (event: CloudWatchLogsEvent) => {
  const { counts, statuses } = await applyReceiptLines(logLines(event), ports());
  for (const status of statuses) metrics.addMetric(`receipt-${status}`, MetricUnit.Count, 1);
  // Counts only: the log lines hold phone numbers.
  logger.info('delivery receipts applied', maskBhxhNumbers(counts));
  return counts;
});
