/**
 * The dossier lifecycle's steps, invoked by its state machine. The input is
 * checked at the edge; the work is in steps.ts.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
// The mini build: these are our own state machine's inputs, a few fields, and mini is a fraction of the size.
import * as z from 'zod/mini';
import { dynamo, env, eventBridge, sfn } from '../commons/aws-clients.ts';
import { NOTIFY_SOURCE, NotifyDetailType } from '../commons/catalogue.ts';
import { outboundDeps } from '../commons/deps.ts';
import { Dossiers } from '../commons/dossiers.ts';
import { logger, metrics } from '../commons/observability.ts';
import { awaitResult, checkOverdue, recordReceipt, recordResolution, type DossierStepDeps } from './steps.ts';

const resolution = z.object({ resolvedAt: z.string(), eventId: z.string() });
const stepInput = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('received'),
    dossier: z.object({
      dossierNo: z.string(),
      subjectType: z.enum(['person', 'unit', 'facility', 'collector']),
      subjectId: z.string(),
      valid: z.boolean(),
      expectedResultDate: z.optional(z.string()),
      rejectReason: z.optional(z.string()),
      phone: z.nullish(z.string()),
      eventId: z.string(),
    }),
  }),
  z.object({ action: z.literal('await-result'), dossierNo: z.string(), taskToken: z.string(), timeoutSeconds: z.number() }),
  z.object({ action: z.literal('overdue-check'), dossierNo: z.string() }),
  z.object({ action: z.literal('resolved'), dossierNo: z.string(), resolution }),
]);

function deps(): DossierStepDeps {
  return {
    ...outboundDeps(),
    dossiers: new Dossiers(dynamo(), env('DOSSIERS_TABLE_NAME')),
    apologiseWhenOverdue: process.env.DOSSIER_OVERDUE_APOLOGY === 'true',
    async resumeExecution(taskToken, result) {
      await sfn().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(result) }));
    },
    async announceOverdue(dossier) {
      await eventBridge().send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: env('EVENT_BUS_NAME'),
              Source: NOTIFY_SOURCE,
              DetailType: NotifyDetailType.DossierOverdue,
              Detail: JSON.stringify({ dossierNo: dossier.dossierNo, expectedResultDate: dossier.expectedResultDate, overdueSince: dossier.overdueSince }),
            },
          ],
        }),
      );
      metrics.addMetric('dossier-overdue', MetricUnit.Count, 1);
    },
  };
}

export async function runStep(event: unknown): Promise<unknown> {
  const input = stepInput.parse(event);
  const d = deps();
  switch (input.action) {
    case 'received':
      return recordReceipt(input.dossier, d);
    case 'await-result':
      return { state: await awaitResult(input.dossierNo, input.taskToken, d) };
    case 'overdue-check':
      return checkOverdue(input.dossierNo, d);
    case 'resolved':
      return recordResolution(input.dossierNo, input.resolution, d);
  }
}

export const handler = middy(async (event: unknown) => {
  const result = await runStep(event);
  metrics.addMetric(`dossier-step-${(event as { action?: string }).action}`, MetricUnit.Count, 1);
  logger.info('dossier step done', { action: (event as { action?: string }).action, result: result as Record<string, unknown> });
  return result;
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
