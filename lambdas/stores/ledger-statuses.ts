/**
 * The ledger's status of many messages at once, for a campaign's report:
 * BatchGetItem, 100 keys a call (DynamoDB's limit), only key, status and parts.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerStatuses } from '../flows/province-campaigns/ports.ts';
import type { Db } from './dynamo.ts';

/** BatchGetItem quota: 100 items per call. */
const BATCH = 100;

export class DynamoLedgerStatuses implements LedgerStatuses {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
  ) {}

  async statusesOf(keys: readonly string[]): Promise<Map<string, { status: string; segments?: number }>> {
    const found = new Map<string, { status: string; segments?: number }>();
    for (let i = 0; i < keys.length; i += BATCH) {
      let pending: Array<Record<string, unknown>> = keys.slice(i, i + BATCH).map((key) => ({ key }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 10) throw new Error(`DynamoDB kept ${pending.length} ledger keys unprocessed after ${attempt} tries`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        const result = await this.db.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: pending,
                ProjectionExpression: '#key, #status, #segments',
                ExpressionAttributeNames: { '#key': 'key', '#status': 'status', '#segments': 'segments' },
              },
            },
          }),
        );
        for (const item of result.Responses?.[this.tableName] ?? [])
          found.set(String(item.key), { status: String(item.status), ...(item.segments ? { segments: Number(item.segments) } : {}) });
        pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Array<Record<string, unknown>>;
      }
    }
    return found;
  }
}
