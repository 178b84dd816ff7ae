/**
 * The dossier lifecycle's steps, invoked by its state machine. The input is
 * checked at the edge (a dossier number, never the dossier's personal data,
 * which the steps read from the dossiers table); the work is in
 * flows/dossiers/steps.ts.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
// The mini build: these are our own state machine's inputs, a few fields, and mini is a fraction of the size.
import * as z from 'zod/mini';
import { maskBhxhNumbers } from '../../domain/redact.ts';
import { dynamo } from '../../aws/clients.ts';
import { DOSSIER_STEP_ENVIRONMENT, readEnvironment } from '../../aws/environment.ts';
import { BusEventPublisher } from '../../aws/event-publisher.ts';
import { completeTask } from '../../aws/executions.ts';
import { messagingPorts } from '../../compose/messaging.ts';
import { awaitResult, checkOverdue, recordReceipt, recordResolution, type DossierStepPorts } from '../../flows/dossiers/steps.ts';
import { perContainer } from '../../runtime/container.ts';
import { logger, metrics } from '../../runtime/observability.ts';
import { directHandler } from '../../runtime/step-handler.ts';
import { DynamoDossierStore } from '../../stores/dossier-store.ts';

const resolution = z.object({ resolvedAt: z.string(), eventId: z.string() });
const stepInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('received'), dossierNo: z.string() }),
  z.object({ action: z.literal('await-result'), dossierNo: z.string(), taskToken: z.string(), timeoutSeconds: z.number() }),
  z.object({ action: z.literal('overdue-check'), dossierNo: z.string() }),
  z.object({ action: z.literal('resolved'), dossierNo: z.string(), resolution }),
]);

const ports = perContainer((): DossierStepPorts => {
  const env = readEnvironment(DOSSIER_STEP_ENVIRONMENT);
  return {
    ...messagingPorts(env),
    dossiers: new DynamoDossierStore(dynamo(), env.DOSSIERS_TABLE_NAME, env.DOSSIER_RETENTION_DAYS),
    events: new BusEventPublisher(env.EVENT_BUS_NAME),
    resumeExecution: completeTask,
    apologiseWhenOverdue: env.DOSSIER_OVERDUE_APOLOGY,
  };
});

async function runStep(input: z.infer<typeof stepInput>): Promise<unknown> {
  switch (input.action) {
    case 'received':
      return recordReceipt(input.dossierNo, ports());
    case 'await-result':
      return { state: await awaitResult(input.dossierNo, input.taskToken, ports()) };
    case 'overdue-check': {
      const result = await checkOverdue(input.dossierNo, ports());
      if (result.newlyOverdue) metrics.addMetric('dossier-overdue', MetricUnit.Count, 1);
      return result;
    }
    case 'resolved':
      return recordResolution(input.dossierNo, input.resolution, ports());
  }
}

export const handler = directHandler(async (event: unknown) => {
  const input = stepInput.parse(event);
  const result = await runStep(input);
  metrics.addMetric(`dossier-step-${input.action}`, MetricUnit.Count, 1);
  logger.info('dossier step done', maskBhxhNumbers({ action: input.action, result: result as Record<string, unknown> }));
  return result;
});
