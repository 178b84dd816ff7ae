/**
 * The SMS quota is counted in message parts per second (SPEC rule 9), shared
 * by every concurrent sender. Each second is one item of the control table
 * whose counter may only grow up to the cap; no burst above the quota.
 *
 * A sender does not write that item once per message: it leases a block of
 * the second's parts (a hundredth of the cap, or what the message needs if
 * more) with one conditional write and hands them out to its messages from
 * memory. DynamoDB takes about 1,000 writes a second on one partition; with
 * blocks, the item of a second is written about 100 times at any cap, plus at
 * most two writes and a read per sender when the second fills up. Parts a
 * sender leased and did not use before the second ended are lost to that
 * second (at most a block per sender): the price of the bound.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SmsQuota } from '../flows/ports.ts';
import { nowMs } from '../runtime/clock.ts';
import { applied, type Db } from './dynamo.ts';
import { controlKeys } from './table-schema.ts';

export interface QuotaOptions {
  partsPerSecond: number;
  /** Whose seconds: the SMS quota's (parts, default) or SES's sending rate (e-mails). */
  window?: 'sms' | 'email';
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Leases per second a sender aims at: a block is the cap divided by this, so the item of a second sees about this many writes. */
export const LEASES_PER_SECOND = 100;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** This sender's share of one second: parts leased and not yet handed out, and whether the second has none left to lease. */
interface Lease {
  second: number;
  left: number;
  full: boolean;
}

export class DynamoSmsQuota implements SmsQuota {
  private readonly cap: number;
  private readonly window: 'sms' | 'email';
  private readonly block: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private lease: Lease = { second: -1, left: 0, full: false };
  /** The lease write in flight: concurrent messages of this sender wait for it instead of writing too. */
  private leasing: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly tableName: string,
    options: QuotaOptions,
  ) {
    if (!Number.isInteger(options.partsPerSecond) || options.partsPerSecond < 1) {
      throw new Error(`partsPerSecond must be a whole number ≥ 1, got ${options.partsPerSecond}`);
    }
    this.cap = options.partsPerSecond;
    this.window = options.window ?? 'sms';
    this.block = Math.ceil(this.cap / LEASES_PER_SECOND);
    this.now = options.now ?? nowMs;
    this.sleep = options.sleep ?? defaultSleep;
  }

  async acquire(parts: number, deadlineMs: number): Promise<boolean> {
    for (;;) {
      const second = Math.floor(this.now() / 1000);
      if (this.leasing) {
        await this.leasing;
        continue;
      }
      if (this.lease.second !== second) this.lease = { second, left: 0, full: false };
      const lease = this.lease;
      if (parts > this.cap) {
        // A message longer than the whole quota gets a second of its own.
        if (!lease.full && lease.left === 0 && (await this.write(second, parts, 'attribute_not_exists(used)'))) return true;
        lease.full = true;
      } else if (lease.left >= parts) {
        lease.left -= parts;
        return true;
      } else if (!lease.full) {
        this.leasing = this.extend(lease, parts - lease.left).finally(() => {
          this.leasing = undefined;
        });
        continue;
      }
      // A little jitter so that waiting senders do not all hit the item at the same instant.
      const wakeAt = (second + 1) * 1000 + Math.floor(Math.random() * 25);
      if (wakeAt >= deadlineMs) return false;
      await this.sleep(Math.max(0, wakeAt - this.now()));
    }
  }

  /** Leases at least `need` more parts of the lease's second, or marks the second full. */
  private async extend(lease: Lease, need: number): Promise<void> {
    const size = Math.min(this.cap, Math.max(need, this.block));
    if (await this.write(lease.second, size, 'attribute_not_exists(used) OR used <= :max', this.cap - size)) {
      lease.left += size;
      return;
    }
    // Less than a block left in this second: take the rest if it covers the message.
    const rest = this.cap - (await this.used(lease.second));
    if (rest >= need && (await this.write(lease.second, rest, 'attribute_not_exists(used) OR used <= :max', this.cap - rest))) {
      lease.left += rest;
      return;
    }
    lease.full = true;
  }

  private async used(second: number): Promise<number> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: controlKeys.rateWindow(second, this.window), ConsistentRead: true }));
    return Number(result.Item?.used ?? 0);
  }

  private write(second: number, parts: number, condition: string, max?: number): Promise<boolean> {
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: controlKeys.rateWindow(second, this.window),
          UpdateExpression: 'ADD used :parts SET expiresAt = :expires',
          ConditionExpression: condition,
          ExpressionAttributeValues: { ':parts': parts, ':expires': second + 3600, ...(max === undefined ? {} : { ':max': max }) },
        }),
      ),
    );
  }
}
