/**
 * The sender's question for a province campaign's message: may it still go?
 * Read once per campaign per batch (an invocation), not once per message: a
 * batch of 10 rows of one campaign costs one GetItem.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CampaignStatus } from '../domain/province-campaigns.ts';
import type { Db } from './dynamo.ts';

/** Statuses in which a campaign's queued messages are no longer sent. */
const STOPPED: ReadonlySet<CampaignStatus> = new Set(['cancelled', 'over-budget']);

export class BatchCampaignStops {
  private readonly seen = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly db: Db,
    private readonly tableName: string,
  ) {}

  stop(campaignId: string): Promise<string | undefined> {
    let answer = this.seen.get(campaignId);
    if (!answer) {
      answer = this.read(campaignId);
      this.seen.set(campaignId, answer);
    }
    return answer;
  }

  private async read(campaignId: string): Promise<string | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { campaignId }, ProjectionExpression: '#status', ExpressionAttributeNames: { '#status': 'status' }, ConsistentRead: true }),
    );
    const status = result.Item?.status as CampaignStatus | undefined;
    return status && STOPPED.has(status) ? `campaign ${status}: nothing more is sent` : undefined;
  }
}
