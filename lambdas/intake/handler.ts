/**
 * Intake: events from the bus (through the intake queue) are validated,
 * quarantined or turned into ledger entries and queued messages.
 */
import { createHash } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ReadModels } from '../commons/read-models.ts';
import { DueItems } from '../commons/due-items.ts';
import { Collections } from '../campaigns/collections.ts';
import { SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { dynamo, env, eventBridge, sfn, sqs } from '../commons/aws-clients.ts';
import { Dossiers } from '../commons/dossiers.ts';
import { sqsBatchHandler } from '../commons/batch.ts';
import { now } from '../commons/clock.ts';
import { outboundDeps, schedulerSchedules } from '../commons/deps.ts';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENT_BUS_NAME, NOTIFY_SOURCE, NotifyDetailType } from '../commons/catalogue.ts';
import { logger, metrics } from '../commons/observability.ts';
import { handleEventBody, type IntakeDeps } from './intake.ts';

// SQS message attributes are capped; the full event body is kept anyway.
const MAX_ERRORS_CHARS = 8_000;

/** StartExecution under a name that identifies the work: if that execution exists, the work is started, which is all we want. */
async function startOnce(stateMachineArn: string, name: string, input: unknown): Promise<void> {
  try {
    await sfn().send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
  }
}

function deps(): IntakeDeps {
  return {
    ...outboundDeps(),
    schedules: schedulerSchedules(),
    dueItems: new DueItems(dynamo(), env('DUE_ITEMS_TABLE_NAME')),
    collections: new Collections(dynamo(), env('COLLECTIONS_TABLE_NAME')),
    // Today's run of this kind may exist already (a second tick, or an operator's start).
    startCampaign: (name, input) => startOnce(env('CAMPAIGN_STATE_MACHINE_ARN'), name, input),
    readModels: new ReadModels(dynamo(), env('LOOKUPS_TABLE_NAME')),
    rateLimitPerHour: Number(env('LOOKUP_RATE_LIMIT_PER_HOUR')),
    async countLookup(phone, at) {
      // The counter is keyed by a hash of the number: the control table holds no phone numbers.
      const hour = Math.floor(at.getTime() / 3_600_000);
      const result = await dynamo().send(
        new UpdateCommand({
          TableName: env('CONTROL_TABLE_NAME'),
          Key: { pk: `lookup-rate#${createHash('sha256').update(phone).digest('hex').slice(0, 20)}#${hour}` },
          UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':expires': (hour + 2) * 3600 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.count ?? 1);
    },
    async requestPasswordReset(personId, phone) {
      await eventBridge().send(
        new PutEventsCommand({
          Entries: [{ EventBusName: EVENT_BUS_NAME, Source: NOTIFY_SOURCE, DetailType: NotifyDetailType.PasswordResetRequested, Detail: JSON.stringify({ personId, phone }) }],
        }),
      );
    },
    orphanReportAfterMs: Number(env('ORPHAN_RESOLUTION_REPORT_HOURS')) * 3600_000,
    async reportUnmatchedResolution(dossierNo, since) {
      logger.warn('dossier resolution without its dossier', { dossierNo, since });
      metrics.addMetric('dossier-resolution-unmatched', MetricUnit.Count, 1);
      await eventBridge().send(
        new PutEventsCommand({
          Entries: [{ EventBusName: EVENT_BUS_NAME, Source: NOTIFY_SOURCE, DetailType: NotifyDetailType.DossierResolutionUnmatched, Detail: JSON.stringify({ dossierNo, since }) }],
        }),
      );
    },
    dossiers: new Dossiers(dynamo(), env('DOSSIERS_TABLE_NAME')),
    // The dossier's lifecycle may exist already (a redelivered DossierReceived).
    startLifecycle: (name, input) => startOnce(env('DOSSIER_STATE_MACHINE_ARN'), name, input),
    async resumeExecution(taskToken, resolution) {
      try {
        await sfn().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(resolution) }));
        return true;
      } catch (error) {
        if (['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'].includes((error as Error).name)) return false;
        throw error;
      }
    },
    async quarantine(body, reason, errors) {
      await sqs().send(
        new SendMessageCommand({
          QueueUrl: env('QUARANTINE_QUEUE_URL'),
          // The untouched event, so that a redrive to the intake queue replays it as it came.
          MessageBody: body,
          MessageAttributes: {
            reason: { DataType: 'String', StringValue: reason },
            errors: { DataType: 'String', StringValue: JSON.stringify(errors).slice(0, MAX_ERRORS_CHARS) },
            quarantinedAt: { DataType: 'String', StringValue: now().toISOString() },
          },
        }),
      );
    },
  };
}

export async function processRecord(record: SQSRecord): Promise<void> {
  const result = await handleEventBody(record.body, deps());
  metrics.addMetric(`intake-${result.outcome}`, MetricUnit.Count, 1);
  // Keys, kinds and reasons only: no names, numbers or texts in logs.
  if (result.outcome === 'quarantined') {
    logger.warn('event quarantined', { messageId: record.messageId, reason: result.reason, errors: result.errors });
  } else {
    logger.info('event handled', { messageId: record.messageId, ...result });
  }
}

export const handler = sqsBatchHandler(processRecord);
