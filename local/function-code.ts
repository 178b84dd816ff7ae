/**
 * Everything the local run (and the cost script) takes from the function
 * code in lambdas/, in one place: the clock the handlers read, the SMS gateway
 * seam, the handlers' Powertools logger, and what the CLI prints with.
 *
 * The handlers themselves are not imported here: the Lambda emulator imports
 * each one by the entry the template names (see emulators/lambda.ts).
 */
import type { Logger } from '@aws-lambda-powertools/logger';

export { setClock, now } from '../lambdas/runtime/clock.ts';
export type { EmailToSend, SmsGateway, SmsToSend } from '../lambdas/flows/ports.ts';
export { maskPhone } from '../lambdas/domain/phone.ts';
export { maskEmail } from '../lambdas/domain/emails.ts';
export type { LedgerItem } from '../lambdas/domain/ledger.ts';
export { EVENT_BUS_NAME } from '../lambdas/domain/catalogue.ts';
export { CONTRACT_OF_ENTRY, environmentProblems } from '../lambdas/aws/environment.ts';

/**
 * The handlers' logger, one per process as in a Lambda container. Imported on
 * demand only: the logger reads POWERTOOLS_LOG_LEVEL when it is built, which
 * must happen after the Lambda emulator has set the functions' environment.
 */
export async function handlersLogger(): Promise<Logger> {
  return (await import('../lambdas/runtime/observability.ts')).logger;
}
