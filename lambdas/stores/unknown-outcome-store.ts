/**
 * Messages whose hand-over to SNS has no known outcome (status `unknown`: the
 * request left, no HTTP answer came back), as operators see and end them. The
 * sender never resends one by itself; an operator, having looked at the SNS
 * delivery-status logs or asked the citizen, either releases it (queued again,
 * it will be sent) or confirms it (recorded as sent). Both are conditional on
 * the status still being `unknown` and record the operator's reason in the
 * message's history.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { historyLine, receiptDueDayOf } from '../domain/ledger.ts';
import { APPEND_HISTORY, applied, historyValues, type Db } from './dynamo.ts';
import { keysOf } from './ledger-queries.ts';
import { UNKNOWN_OUTCOME_INDEX } from './table-schema.ts';

const NAMES = { '#status': 'status' };

export class DynamoUnknownOutcomes {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
  ) {}

  /** Keys of the messages whose outcome became unknown on a Vietnam day and still is (eventually consistent). */
  keysOn(day: string): AsyncGenerator<string> {
    return keysOf(this.db, this.tableName, UNKNOWN_OUTCOME_INDEX, 'unknownDay = :day', { ':day': day });
  }

  /** Queued again, to be sent; false if it is no longer unknown. */
  release(key: string, at: Date, reason: string): Promise<boolean> {
    return this.end(key, `SET #status = :queued, updatedAt = :now, reason = :reason, ${APPEND_HISTORY} REMOVE unknownDay`, {
      ':queued': 'queued',
      ':reason': reason,
      ...historyValues(historyLine(at, `queued: released from unknown: ${reason}`)),
      ':now': at.toISOString(),
    });
  }

  /**
   * Recorded as sent. With the provider's message id (from the SNS
   * delivery-status log) its receipt can still be matched and the 72-hour
   * check applies; without one, no receipt will ever find it. `handedOverAt`
   * is when the sender gave it to SNS (when it became unknown).
   */
  confirm(key: string, at: Date, reason: string, handedOverAt: Date, providerMessageId?: string): Promise<boolean> {
    const withId = providerMessageId !== undefined;
    return this.end(
      key,
      `SET #status = :sent, sentAt = :sentAt, updatedAt = :now, reason = :reason, ${APPEND_HISTORY}${withId ? ', providerMessageId = :pid, receiptDueDay = :due' : ''} REMOVE unknownDay`,
      {
        ':sent': 'sent',
        ':sentAt': handedOverAt.toISOString(),
        ':reason': reason,
        ...historyValues(historyLine(at, `sent: confirmed from unknown: ${reason}`)),
        ':now': at.toISOString(),
        ...(withId ? { ':pid': providerMessageId, ':due': receiptDueDayOf(handedOverAt) } : {}),
      },
    );
  }

  private end(key: string, update: string, values: Record<string, unknown>): Promise<boolean> {
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: update,
          ConditionExpression: '#status = :unknown',
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: { ...values, ':unknown': 'unknown' },
        }),
      ),
    );
  }
}
