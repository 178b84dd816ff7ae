/**
 * Intake: events from the bus (through the intake queues) are validated,
 * quarantined or turned into contact updates, ledger entries and queued
 * messages.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { INTAKE_ENVIRONMENT, readEnvironment } from '../../aws/environment.ts';
import { carriesSecret, maskBhxhNumbers, redactSecrets } from '../../domain/redact.ts';
import { handleEventBody } from '../../flows/intake/route-event.ts';
import { sqsBatchHandler } from '../../runtime/batch.ts';
import { perContainer } from '../../runtime/container.ts';
import { logger, metrics } from '../../runtime/observability.ts';
import { composeIntake } from './compose.ts';

const ports = perContainer(() => composeIntake(readEnvironment(INTAKE_ENVIRONMENT)));

/**
 * An event with a password or code that keeps failing (a DynamoDB outage) would be moved untouched, secret and all,
 * to the quarantine by the intake queues' redrive policy at their maxReceiveCount (5). Its third failure ends it
 * instead: a redacted copy goes to the quarantine with the error, the original is deleted, and the publisher issues
 * a new code or password (test/lib/secrets-at-rest.test.ts checks this stays below maxReceiveCount).
 */
export const SECRET_EVENT_ATTEMPTS = 3;

export const handler = sqsBatchHandler(
  async (record: SQSRecord) => {
    const result = await handleEventBody(record.body, ports());
    metrics.addMetric(`intake-${result.outcome}`, MetricUnit.Count, 1);
    // Operators are alarmed on this one (a resolution whose dossier never came).
    if (result.outcome === 'resolution-unmatched-reported') metrics.addMetric('dossier-resolution-unmatched', MetricUnit.Count, 1);
    // Keys, kinds and reasons only: no names, numbers or texts in logs, and the BHXH numbers in keys masked.
    if (result.outcome === 'quarantined') {
      logger.warn('event quarantined', maskBhxhNumbers({ messageId: record.messageId, reason: result.reason, errors: result.errors }));
    } else {
      logger.info('event handled', maskBhxhNumbers({ messageId: record.messageId, ...result }));
    }
  },
  {
    lastTry: {
      fromAttempt: SECRET_EVENT_ATTEMPTS,
      applies: (record) => carriesSecret(record.body),
      instead: async (record, error) => {
        const failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        const errors = [redactSecrets(`failed ${record.attributes.ApproximateReceiveCount} times, last with ${failure}`.slice(0, 500))];
        await ports().quarantine(redactSecrets(record.body), 'failed-with-secret', errors);
        metrics.addMetric('intake-quarantined', MetricUnit.Count, 1);
        logger.error('event with a password or code quarantined, redacted, after repeated failures', maskBhxhNumbers({ messageId: record.messageId, errors }));
      },
    },
  },
);
