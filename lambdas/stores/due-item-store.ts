/**
 * The due-date index on DynamoDB: one item per subject; while pending, a
 * sparse index finds it under `kind#shard`, in `dueDate#<random>` order.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DUE_SHARDS, dueItemExpiry, dueOrderOf, pendingKeyOf, pendingRange, shardOf, type DueItem, type DueKind } from '../domain/due-items.ts';
import type { DueItemPage, DueItemStore, NewDueItem } from '../flows/ports.ts';
import { applied, type Db } from './dynamo.ts';
import { PENDING_DUE_INDEX } from './table-schema.ts';

export class DynamoDueItemStore implements DueItemStore {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
  ) {}

  put(item: NewDueItem): Promise<boolean> {
    const full: DueItem = {
      ...item,
      pendingKey: pendingKeyOf(item.kind, shardOf(item.pk)),
      dueOrder: dueOrderOf(item.dueDate, randomUUID()),
      expiresAt: dueItemExpiry(item.dueDate),
    };
    return applied(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: full,
          ConditionExpression: 'attribute_not_exists(pk) OR asOf <= :asOf',
          ExpressionAttributeValues: { ':asOf': item.asOf },
        }),
      ),
    );
  }

  async remove(pk: string, asOf: string): Promise<void> {
    await applied(this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk }, ConditionExpression: 'asOf <= :asOf', ExpressionAttributeValues: { ':asOf': asOf } })));
  }

  async pending(kind: DueKind, through: string, shard: number, after: string | undefined, limit: number): Promise<DueItemPage> {
    const range = pendingRange(through, after);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PENDING_DUE_INDEX,
        KeyConditionExpression: 'pendingKey = :k AND dueOrder BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':k': pendingKeyOf(kind, shard), ':from': range.from, ':to': range.to },
        Limit: limit,
      }),
    );
    const items = (result.Items ?? []) as DueItem[];
    const last = items.at(-1)?.dueOrder;
    return { items, ...(result.LastEvaluatedKey && last ? { after: last } : {}), read: result.ScannedCount ?? result.Count ?? 0 };
  }

  async anyPending(kind: DueKind, through: string): Promise<boolean> {
    const shards = Array.from({ length: DUE_SHARDS }, (_, shard) => this.pending(kind, through, shard, undefined, 1));
    return (await Promise.all(shards)).some((page) => page.items.length > 0);
  }

  async settle(item: DueItem, outcome: string): Promise<void> {
    // Only the version that was read: a newer fact stored meanwhile (a new order) stays pending for the next run.
    await applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: item.pk },
          UpdateExpression: 'REMOVE pendingKey, dueOrder SET outcome = :outcome',
          ConditionExpression: 'dueOrder = :order',
          ExpressionAttributeValues: { ':order': item.dueOrder, ':outcome': outcome.slice(0, 200) },
        }),
      ),
    );
  }
}
