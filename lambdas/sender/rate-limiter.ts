/**
 * The SMS quota is counted in message parts per second (SPEC rule 9), shared
 * by every concurrent sender. Each second is one DynamoDB item whose counter
 * may only grow up to the cap: a sender that cannot fit its parts in this
 * second waits for the next one. One conditional write per message, no
 * coordination between senders, and no burst above the quota.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { nowMs } from '../commons/clock.ts';

export interface RateLimiterOptions {
  partsPerSecond: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class PartsRateLimiter {
  private readonly cap: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: RateLimiterOptions,
  ) {
    if (!Number.isInteger(options.partsPerSecond) || options.partsPerSecond < 1) {
      throw new Error(`partsPerSecond must be a whole number ≥ 1, got ${options.partsPerSecond}`);
    }
    this.cap = options.partsPerSecond;
    this.now = options.now ?? nowMs;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /**
   * Reserves `parts` slots in the earliest second that has room, waiting as
   * needed. Returns false if no room was found before `deadlineMs`, so the
   * caller can give the message back instead of running out of time.
   */
  async acquire(parts: number, deadlineMs: number): Promise<boolean> {
    for (;;) {
      const at = this.now();
      const second = Math.floor(at / 1000);
      if (await this.tryWindow(second, parts)) return true;
      const nextSecond = (second + 1) * 1000;
      // A little jitter so that waiting senders do not all hit the item at the same instant.
      const wakeAt = nextSecond + Math.floor(Math.random() * 25);
      if (wakeAt >= deadlineMs) return false;
      await this.sleep(wakeAt - at);
    }
  }

  private async tryWindow(second: number, parts: number): Promise<boolean> {
    // A message longer than the whole quota gets a second of its own.
    const fits = parts > this.cap ? 'attribute_not_exists(used)' : 'attribute_not_exists(used) OR used <= :max';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `sms-rate#${second}` },
          UpdateExpression: 'ADD used :parts SET expiresAt = :expires',
          ConditionExpression: fits,
          ExpressionAttributeValues: {
            ':parts': parts,
            ':expires': second + 3600,
            ...(parts > this.cap ? {} : { ':max': this.cap - parts }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
