/**
 * The e-registration lifecycle's steps, invoked by its state machine. The
 * input is checked at the edge (a registration number, never the citizen's
 * data, which the steps read from the registrations table); the work is in
 * flows/registrations/steps.ts.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
// The mini build: these are our own state machine's inputs, a few fields, and mini is a fraction of the size.
import * as z from 'zod/mini';
import { dynamo } from '../../aws/clients.ts';
import { readEnvironment, REGISTRATION_STEP_ENVIRONMENT } from '../../aws/environment.ts';
import { completeTask } from '../../aws/executions.ts';
import { messagingPorts } from '../../compose/messaging.ts';
import { maskBhxhNumbers } from '../../domain/redact.ts';
import { awaitReview, recordDeletion, recordSubmission, remind, type RegistrationStepPorts } from '../../flows/registrations/steps.ts';
import { perContainer } from '../../runtime/container.ts';
import { logger, metrics } from '../../runtime/observability.ts';
import { directHandler } from '../../runtime/step-handler.ts';
import { DynamoRegistrationStore } from '../../stores/registration-store.ts';

const stepInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('received'), registrationId: z.string() }),
  z.object({ action: z.literal('await-review'), registrationId: z.string(), taskToken: z.string(), timeoutSeconds: z.number() }),
  z.object({ action: z.literal('remind'), registrationId: z.string() }),
  z.object({ action: z.literal('deleted'), registrationId: z.string() }),
]);

const ports = perContainer((): RegistrationStepPorts => {
  const env = readEnvironment(REGISTRATION_STEP_ENVIRONMENT);
  return {
    ...messagingPorts(env),
    registrations: new DynamoRegistrationStore(dynamo(), env.REGISTRATIONS_TABLE_NAME),
    answerOwnWait: completeTask,
  };
});

async function runStep(input: z.infer<typeof stepInput>): Promise<unknown> {
  switch (input.action) {
    case 'received':
      return recordSubmission(input.registrationId, ports());
    case 'await-review':
      return { state: await awaitReview(input.registrationId, input.taskToken, ports()) };
    case 'remind':
      return remind(input.registrationId, ports());
    case 'deleted':
      return recordDeletion(input.registrationId, ports());
  }
}

export const handler = directHandler(async (event: unknown) => {
  const input = stepInput.parse(event);
  const result = await runStep(input);
  metrics.addMetric(`registration-step-${input.action}`, MetricUnit.Count, 1);
  logger.info('registration step done', maskBhxhNumbers({ action: input.action, result: result as Record<string, unknown> }));
  return result;
});
