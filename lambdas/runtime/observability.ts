/**
 * One Powertools logger and one metrics emitter per Lambda process. Log lines
 * carry keys, kinds, statuses and masked numbers, never a phone number, a name,
 * a message text or a code in clear.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Powertools' logger that never logs an invocation's event: POWERTOOLS_LOGGER_LOG_EVENT=true (a debugging habit, one
 * console edit away) would otherwise print every message body, passwords and codes included, to CloudWatch Logs.
 */
class EventlessLogger extends Logger {
  override shouldLogEvent(_overwriteValue?: boolean): boolean {
    return false;
  }

  override logEventIfEnabled(_event: unknown, _overwriteValue?: boolean): void {
    // never: see the class comment
  }
}

export const logger: Logger = new EventlessLogger();
// Metrics' own warnings (an invocation that added none) go through the logger, at its level.
export const metrics = new Metrics({ logger });
