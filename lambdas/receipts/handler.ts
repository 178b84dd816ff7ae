/**
 * Delivery receipts, in batches: a CloudWatch Logs subscription on the SNS
 * delivery-status log groups delivers gzipped batches of log lines.
 */
import { gunzipSync } from 'node:zlib';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { dynamo, env } from '../commons/aws-clients.ts';
import { Ledger } from '../commons/ledger.ts';
import { logger, metrics } from '../commons/observability.ts';
import { ParkedReceipts } from './parked.ts';
import { applyReceipt, parseReceipt } from './receipts.ts';

export async function applyLogBatch(event: CloudWatchLogsEvent): Promise<Record<string, number>> {
  const batch = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as { logEvents?: Array<{ message: string }> };
  const deps = { ledger: new Ledger(dynamo(), env('LEDGER_TABLE_NAME'), 0), park: (r: Parameters<ParkedReceipts['park']>[0]) => new ParkedReceipts(dynamo(), env('CONTROL_TABLE_NAME')).park(r) };
  const counts: Record<string, number> = { applied: 0, unchanged: 0, parked: 0, unreadable: 0 };
  for (const line of batch.logEvents ?? []) {
    const receipt = parseReceipt(line.message);
    if (!receipt) {
      counts.unreadable! += 1;
      continue;
    }
    const outcome = await applyReceipt(receipt, deps);
    counts[outcome]! += 1;
    metrics.addMetric(`receipt-${receipt.status}`, MetricUnit.Count, 1);
  }
  return counts;
}

export const handler = middy(async (event: CloudWatchLogsEvent) => {
  const counts = await applyLogBatch(event);
  // Counts only: the log lines hold phone numbers.
  logger.info('delivery receipts applied', counts);
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
