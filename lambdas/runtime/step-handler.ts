/**
 * The wiring of a function invoked directly (a state machine's Task, a
 * CloudWatch Logs subscription): the logger context and the metrics flush,
 * like the queue-fed handlers' batch wiring.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { logger, metrics } from './observability.ts';

export function directHandler<E, R>(handle: (event: E) => Promise<R>) {
  // Never the event (a step's input names people), whatever POWERTOOLS_LOGGER_LOG_EVENT says.
  return middy(handle)
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(logMetrics(metrics));
}
