/**
 * Intake: events from the bus (through the intake queues) are validated,
 * quarantined or turned into contact updates, ledger entries and queued
 * messages.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { INTAKE_ENVIRONMENT, readEnvironment } from '../../aws/environment.ts';
import { handleEventBody } from '../../flows/intake/route-event.ts';
import { sqsBatchHandler } from '../../runtime/batch.ts';
import { perContainer } from '../../runtime/container.ts';
import { logger, metrics } from '../../runtime/observability.ts';
import { composeIntake } from './compose.ts';

const ports = perContainer(() => composeIntake(readEnvironment(INTAKE_ENVIRONMENT)));

export const handler = sqsBatchHandler(async (record: SQSRecord) => {
  const result = await handleEventBody(record.body, ports());
  metrics.addMetric(`intake-${result.outcome}`, MetricUnit.Count, 1);
  // Operators are alarmed on this one (a resolution whose dossier never came).
  if (result.outcome === 'resolution-unmatched-reported') metrics.addMetric('dossier-resolution-unmatched', MetricUnit.Count, 1);
  // Keys, kinds and reasons only: no names, numbers or texts in logs.
  if (result.outcome === 'quarantined') {
    logger.warn('event quarantined', { messageId: record.messageId, reason: result.reason, errors: result.errors });
  } else {
    logger.info('event handled', { messageId: record.messageId, ...result });
  }
});
