/**
 * One Powertools logger and one metrics emitter per Lambda process. Log lines
 * carry keys, kinds, statuses and masked numbers, never a phone number, a name,
 * a message text or a code in clear.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const logger = new Logger();
// Metrics' own warnings (an invocation that added none) go through the logger, at its level.
export const metrics = new Metrics({ logger });
