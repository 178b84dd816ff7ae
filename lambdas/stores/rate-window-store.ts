/**
 * The SMS quota is counted in message parts per second (SPEC rule 9), shared
 * by every concurrent sender. Each second is one item of the control table
 * whose counter may only grow up to the cap: a sender that cannot fit its
 * parts in this second waits for the next one. One conditional write per
 * message, no coordination between senders, and no burst above the quota.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SmsQuota } from '../flows/ports.ts';
import { nowMs } from '../runtime/clock.ts';
import { applied, type Db } from './dynamo.ts';
import { controlKeys } from './table-schema.ts';

export interface QuotaOptions {
  partsPerSecond: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class DynamoSmsQuota implements SmsQuota {
  private readonly cap: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly db: Db,
    private readonly tableName: string,
    options: QuotaOptions,
  ) {
    if (!Number.isInteger(options.partsPerSecond) || options.partsPerSecond < 1) {
      throw new Error(`partsPerSecond must be a whole number ≥ 1, got ${options.partsPerSecond}`);
    }
    this.cap = options.partsPerSecond;
    this.now = options.now ?? nowMs;
    this.sleep = options.sleep ?? defaultSleep;
  }

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

  private tryWindow(second: number, parts: number): Promise<boolean> {
    // A message longer than the whole quota gets a second of its own.
    const fits = parts > this.cap ? 'attribute_not_exists(used)' : 'attribute_not_exists(used) OR used <= :max';
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: controlKeys.rateWindow(second),
          UpdateExpression: 'ADD used :parts SET expiresAt = :expires',
          ConditionExpression: fits,
          ExpressionAttributeValues: { ':parts': parts, ':expires': second + 3600, ...(parts > this.cap ? {} : { ':max': this.cap - parts }) },
        }),
      ),
    );
  }
}
