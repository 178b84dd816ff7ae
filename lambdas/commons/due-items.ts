/**
 * The due-date index: facts that lead to a later message (a card's end date,
 * a paid-through month, a statement waiting for the 1st, a message waiting for
 * the end of quiet hours) are stored under their subject and indexed by
 * `kind#date#shard`. A day's run Queries its own partitions, so its cost grows
 * with the messages due that day, not with the number of cards in the country.
 * A newer fact for the same subject replaces the pending item.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Partitions per kind and day: spreads a 500,000-item day over several partitions and lets shards run in parallel. */
export const DUE_SHARDS = 8;
export const DUE_INDEX = 'byDueDate';

export type DueKind = 'health-card-expiring' | 'voluntary-term-ending' | 'password-change-due' | 'collector-summary' | 'unit-monthly-statement' | 'facility-claims-summary' | 'quiet-hours-release';

export interface DueItem {
  pk: string;
  kind: DueKind;
  dueDate: string;
  dueKey: string;
  payload: Record<string, unknown>;
  eventId: string;
  asOf: string;
  expiresAt: number;
}

export function shardOf(pk: string): number {
  return createHash('sha256').update(pk).digest().readUInt32BE(0) % DUE_SHARDS;
}

export const dueKeyOf = (kind: DueKind, date: string, shard: number) => `${kind}#${date}#${shard}`;

export class DueItems {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores (or replaces) the pending item of a subject, unless a newer fact is already there. */
  async put(item: Omit<DueItem, 'dueKey' | 'expiresAt'>): Promise<boolean> {
    const full: DueItem = {
      ...item,
      dueKey: dueKeyOf(item.kind, item.dueDate, shardOf(item.pk)),
      // Kept a while after its day for operators and re-runs, then DynamoDB deletes it.
      expiresAt: Math.floor(new Date(`${item.dueDate}T00:00:00Z`).getTime() / 1000) + 60 * 86_400,
    };
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: full, ConditionExpression: 'attribute_not_exists(pk) OR asOf <= :asOf', ExpressionAttributeValues: { ':asOf': item.asOf } }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async remove(pk: string, asOf: string): Promise<void> {
    try {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk }, ConditionExpression: 'asOf <= :asOf', ExpressionAttributeValues: { ':asOf': asOf } }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** One page of a day's items for one shard. `read` is what DynamoDB returned (the Query's cost). */
  async page(kind: DueKind, date: string, shard: number, cursor: Record<string, unknown> | undefined, limit: number) {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: DUE_INDEX,
        KeyConditionExpression: 'dueKey = :k',
        ExpressionAttributeValues: { ':k': dueKeyOf(kind, date, shard) },
        ExclusiveStartKey: cursor,
        Limit: limit,
      }),
    );
    return { items: (result.Items ?? []) as DueItem[], cursor: result.LastEvaluatedKey, read: result.ScannedCount ?? result.Count ?? 0 };
  }
}
