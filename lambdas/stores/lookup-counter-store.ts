/**
 * 8079 look-ups per phone number and hour, in the control table. The counter
 * is named by an HMAC-SHA-256 of the number under a secret key (read once per
 * container): the control table holds no phone numbers, and, unlike a plain
 * hash, its names cannot be turned back into numbers by hashing every
 * Vietnamese mobile number (there are only some 10^9 of them).
 */
import { createHmac } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LookupCounter } from '../flows/ports.ts';
import type { Db } from './dynamo.ts';
import { controlKeys } from './table-schema.ts';

/** The counter's name for a number: 128 bits of HMAC-SHA-256(key, number), in hex. */
export function counterName(key: string, phone: string): string {
  return createHmac('sha256', key).update(phone).digest('hex').slice(0, 32);
}

export class DynamoLookupCounter implements LookupCounter {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
    /** The HMAC key; the caller fetches it once and caches it (functions/intake/compose.ts). */
    private readonly key: () => Promise<string>,
  ) {}

  async count(phone: string, at: Date): Promise<number> {
    const hour = Math.floor(at.getTime() / 3_600_000);
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: controlKeys.lookupRate(counterName(await this.key(), phone), hour),
        UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':expires': (hour + 2) * 3600 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.count ?? 1);
  }
}
