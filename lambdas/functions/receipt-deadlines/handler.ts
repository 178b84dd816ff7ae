/**
 * The 72-hour rule, on its own schedule (every six hours, Vietnam time):
 * messages sent 72 hours ago without a receipt become temporary failures. The
 * run stops before its timeout; what is left waits for the next run.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { dynamo } from '../../aws/clients.ts';
import { readEnvironment, RECEIPT_DEADLINES_ENVIRONMENT } from '../../aws/environment.ts';
import { markUnreceipted } from '../../flows/receipts/deadlines.ts';
import type { LedgerStore } from '../../flows/ports.ts';
import { now } from '../../runtime/clock.ts';
import { perContainer } from '../../runtime/container.ts';
import { logger, metrics } from '../../runtime/observability.ts';
import { directHandler } from '../../runtime/step-handler.ts';
import { DynamoLedgerStore } from '../../stores/ledger-store.ts';

const ledger = perContainer((): LedgerStore => new DynamoLedgerStore(dynamo(), { tableName: readEnvironment(RECEIPT_DEADLINES_ENVIRONMENT).LEDGER_TABLE_NAME }));

export const handler = directHandler(async (_event: unknown, context?: Context) => {
  const run = await markUnreceipted(ledger(), now(), context ? { timeLeftMs: () => context.getRemainingTimeInMillis() } : {});
  metrics.addMetric('no-receipt-within-72h', MetricUnit.Count, run.marked);
  if (run.more) logger.warn('receipt deadline check stopped at its limit; the next run goes on', { ...run });
  else logger.info('receipt deadline check done', { ...run });
  return run;
});
