/**
 * Province campaigns on DynamoDB: one item per campaign (pk `campaignId`),
 * and one per agency and month for the budget (pk `budget#<agency>#<month>`,
 * `parts` reserved). Every change of status is a conditional write from the
 * statuses it may leave, so a cancellation and a review, or two reviews, never
 * both win; the wait's token and a review meet only in writes that return the
 * item, so whichever lands second sees the other. The token stays on the
 * item after a change of status (a dead token is refused by Step Functions,
 * harmlessly), so a cancellation always finds the last wait to answer.
 */
import { GetCommand, PutCommand, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { historyLine } from '../domain/ledger.ts';
import type { CampaignStatus, SendTotals } from '../domain/province-campaigns.ts';
import type { CampaignProposal, CampaignRecord, ProvinceCampaignStore } from '../flows/province-campaigns/ports.ts';
import { APPEND_HISTORY, applied, historyValues, ifApplied, type Db } from './dynamo.ts';

const budgetKey = (agency: string, month: string) => ({ campaignId: `budget#${agency}#${month}` });

export class DynamoProvinceCampaignStore implements ProvinceCampaignStore {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
  ) {}

  async claim(proposal: CampaignProposal, eventId: string, at: Date): Promise<CampaignRecord | undefined> {
    const now = at.toISOString();
    const item: CampaignRecord = { ...proposal, status: 'validating', proposedAt: now, eventId, updatedAt: now, history: [historyLine(at, 'validating: proposed')] };
    const stored = await applied(this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(campaignId)' })));
    return stored ? item : undefined;
  }

  async get(campaignId: string): Promise<CampaignRecord | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { campaignId }, ConsistentRead: true }));
    return result.Item && 'status' in result.Item ? (result.Item as CampaignRecord) : undefined;
  }

  async transition(campaignId: string, from: readonly CampaignStatus[], to: CampaignStatus, fields: Partial<CampaignRecord>, why: string, at: Date) {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':to': to, ':now': at.toISOString(), ...historyValues(historyLine(at, why ? `${to}: ${why}` : to)) };
    const sets = ['#status = :to', 'updatedAt = :now', APPEND_HISTORY];
    Object.entries(fields).forEach(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = :f${i}`);
    });
    from.forEach((status, i) => {
      values[`:from${i}`] = status;
    });
    const result = await ifApplied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { campaignId },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return result?.Attributes as CampaignRecord | undefined;
  }

  async storeToken(campaignId: string, taskToken: string, at: Date): Promise<CampaignRecord> {
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { campaignId },
        UpdateExpression: 'SET taskToken = :token, updatedAt = :now',
        ConditionExpression: 'attribute_exists(campaignId)',
        ExpressionAttributeValues: { ':token': taskToken, ':now': at.toISOString() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return result.Attributes as CampaignRecord;
  }

  async recordReview(campaignId: string, review: NonNullable<CampaignRecord['review']>, at: Date) {
    const result = await ifApplied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { campaignId },
          UpdateExpression: `SET review = :review, updatedAt = :now, ${APPEND_HISTORY}`,
          ConditionExpression: 'attribute_not_exists(review) AND #status IN (:validating, :awaiting)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':review': review,
            ':now': at.toISOString(),
            ':validating': 'validating',
            ':awaiting': 'awaiting-review',
            ...historyValues(historyLine(at, `reviewed: ${review.approved ? 'approved' : 'rejected'}`)),
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return result?.Attributes as CampaignRecord | undefined;
  }

  async countIgnoredReview(campaignId: string, why: string, at: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { campaignId },
        UpdateExpression: `ADD ignoredReviews :one SET updatedAt = :now, ${APPEND_HISTORY}`,
        ConditionExpression: 'attribute_exists(campaignId)',
        ExpressionAttributeValues: { ':one': 1, ':now': at.toISOString(), ...historyValues(historyLine(at, `review ignored: ${why}`)) },
      }),
    );
  }

  async saveTotals(campaignId: string, totals: SendTotals, at: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { campaignId },
        UpdateExpression: 'SET totals = :totals, updatedAt = :now',
        ExpressionAttributeValues: { ':totals': totals, ':now': at.toISOString() },
      }),
    );
  }

  async list(): Promise<CampaignRecord[]> {
    // Operators' listing: a few campaigns a month per province; a Scan of a small table.
    const campaigns: CampaignRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({ TableName: this.tableName, FilterExpression: 'attribute_exists(#status)', ExpressionAttributeNames: { '#status': 'status' }, ExclusiveStartKey: start }),
      );
      campaigns.push(...((page.Items ?? []) as CampaignRecord[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return campaigns.sort((a, b) => a.proposedAt.localeCompare(b.proposedAt));
  }

  async approveWithinBudget(campaign: CampaignRecord, fields: Partial<CampaignRecord> & { budget: { month: string; parts: number } }, budget: number, at: Date) {
    const { month, parts } = fields.budget;
    if (parts > budget) return 'over-budget' as const;
    const line = historyLine(at, `scheduled: approved, ${parts} parts of ${campaign.agency}'s ${month} budget`);
    const done = await applied(
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: { campaignId: campaign.campaignId },
                UpdateExpression: `SET #status = :scheduled, budget = :budget, sendAt = :sendAt, updatedAt = :now, ${APPEND_HISTORY}`,
                ConditionExpression: '#status = :awaiting',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':scheduled': 'scheduled',
                  ':awaiting': 'awaiting-review',
                  ':budget': fields.budget,
                  ':sendAt': fields.sendAt,
                  ':now': at.toISOString(),
                  ...historyValues(line),
                },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: budgetKey(campaign.agency, month),
                UpdateExpression: 'ADD parts :parts',
                ConditionExpression: 'attribute_not_exists(parts) OR parts <= :room',
                ExpressionAttributeValues: { ':parts': parts, ':room': budget - parts },
              },
            },
          ],
        }),
      ),
    );
    if (done) return (await this.get(campaign.campaignId)) as CampaignRecord;
    const now = await this.get(campaign.campaignId);
    return now?.status === 'awaiting-review' ? ('over-budget' as const) : ('not-waiting' as const);
  }

  async releaseBudget(agency: string, month: string, parts: number): Promise<void> {
    if (parts <= 0) return;
    await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: budgetKey(agency, month), UpdateExpression: 'ADD parts :minus', ExpressionAttributeValues: { ':minus': -parts } }),
    );
  }

  async budgetUsed(agency: string, month: string): Promise<number> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: budgetKey(agency, month), ConsistentRead: true }));
    return Number(result.Item?.parts ?? 0);
  }
}
