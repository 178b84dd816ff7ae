/**
 * Intake: events from the bus (through the intake queues) are validated,
 * quarantined or turned into contact updates, ledger entries and queued
 * messages.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { INTAKE_ENVIRONMENT, readEnvironment } from '../../aws/environment.ts';
import { carriesSecret, maskBhxhNumbers, maskPhonesIn, redactSecrets } from '../../domain/redact.ts';
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

/**
 * Any other event that keeps failing (a poison event, an outage) would reach the quarantine by the redrive policy,
 * as it came, with no reason. Its fourth failure ends it instead: the intake quarantines it, untouched, with the
 * last error as its reason, and deletes it. One receive short of maxReceiveCount (5): a fourth try that times out
 * still has a fifth, which quarantines it the same way.
 */
export const INTAKE_LAST_ATTEMPT = 4;

/** An error as a log line or a quarantine reason: secrets redacted, phone and BHXH numbers masked, bounded. */
export function describeIntakeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;
  return maskBhxhNumbers(maskPhonesIn(redactSecrets(text.slice(0, 1_000)))).slice(0, 500);
}

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
    describeError: describeIntakeFailure,
    lastTry: {
      lastAttempt: (record) => (carriesSecret(record.body) ? SECRET_EVENT_ATTEMPTS : INTAKE_LAST_ATTEMPT),
      instead: async (record, error) => {
        const secret = carriesSecret(record.body);
        const errors = [`failed ${record.attributes.ApproximateReceiveCount} times, last with ${describeIntakeFailure(error)}`];
        // Without a secret, redactSecrets returns the body as it came: a redrive replays it untouched.
        await ports().quarantine(redactSecrets(record.body), secret ? 'failed-with-secret' : 'failed-repeatedly', errors);
        metrics.addMetric('intake-quarantined', MetricUnit.Count, 1);
        logger.error(secret ? 'event with a password or code quarantined, redacted, after repeated failures' : 'event quarantined after repeated failures', {
          messageId: record.messageId,
          errors,
        });
      },
    },
  },
);
