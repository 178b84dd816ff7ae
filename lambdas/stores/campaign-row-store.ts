/**
 * The accepted rows of a province campaign, kept for its send: pk
 * `campaignId`, sk `row` (the spreadsheet's row number), the recipient, the
 * text as sent and its parts. They hold phone numbers: each expires with the
 * campaign's files (TTL `expiresAt`).
 */
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { inParallel } from '../domain/in-parallel.ts';
import { CAMPAIGN_FILES_RETENTION_DAYS } from '../domain/province-campaigns.ts';
import type { CampaignRowStore, StoredRow } from '../flows/province-campaigns/ports.ts';
import type { Clock } from '../flows/ports.ts';
import type { Db } from './dynamo.ts';

/** BatchWriteItem's limit (DynamoDB quota: 25 items per call). */
const BATCH = 25;
/** Batches in flight: 100,000 rows are 4,000 batches (npm run bench: provinceCampaign.validationMs). */
const IN_FLIGHT = 8;

export class DynamoCampaignRowStore implements CampaignRowStore {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async putRows(campaignId: string, rows: readonly StoredRow[]): Promise<void> {
    const expiresAt = Math.floor(this.clock.now().getTime() / 1000) + CAMPAIGN_FILES_RETENTION_DAYS * 86_400;
    const batches: StoredRow[][] = [];
    for (let i = 0; i < rows.length; i += BATCH) batches.push(rows.slice(i, i + BATCH));
    await inParallel(batches, IN_FLIGHT, (batch) => this.write(batch.map((r) => ({ PutRequest: { Item: { campaignId, ...r, expiresAt } } }))));
  }

  /** One BatchWriteItem, its unprocessed items written again (with a short pause) until none is left. */
  private async write(requests: Array<Record<string, unknown>>): Promise<void> {
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      if (attempt > 10) throw new Error(`DynamoDB kept ${pending.length} campaign rows unprocessed after ${attempt} tries`);
      const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }));
      pending = (result.UnprocessedItems?.[this.tableName] ?? []) as Array<Record<string, unknown>>;
    }
  }

  async page(campaignId: string, afterRow: number, limit: number): Promise<{ rows: StoredRow[]; more: boolean }> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'campaignId = :id AND #row > :after',
        ExpressionAttributeNames: { '#row': 'row' },
        ExpressionAttributeValues: { ':id': campaignId, ':after': afterRow },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    const rows = (result.Items ?? []).map(({ row, recipient, text, parts }) => ({ row, recipient, text, parts }) as StoredRow);
    return { rows, more: result.LastEvaluatedKey !== undefined };
  }
}
