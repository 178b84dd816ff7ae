/**
 * Safety limits per message kind in the send control table, so that an
 * operator changes them without a deploy: pause and resume, and a daily
 * ceiling on messages handed to the provider that pauses the kind when a
 * runaway upstream or campaign reaches it. Every message costs one read (the
 * kind's item) and one counter update.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ceilingOf, type Admission, type Ceilings, type KindControl } from '../domain/kind-controls.ts';
import { vietnamDate } from '../domain/vietnam-time.ts';
import type { KindControlStore } from '../flows/ports.ts';
import { epochSeconds } from '../runtime/clock.ts';
import { applied, type Db } from './dynamo.ts';
import { controlKeys } from './table-schema.ts';

export class DynamoKindControlStore implements KindControlStore {
  constructor(
    private readonly db: Db,
    readonly tableName: string,
    private readonly ceilings: Ceilings = {},
  ) {}

  async get(kind: string, consistent = false): Promise<KindControl> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: controlKeys.kind(kind), ConsistentRead: consistent }));
    const item = result.Item ?? {};
    return {
      kind,
      paused: item.paused === true,
      ...(item.pausedReason ? { pausedReason: item.pausedReason as string } : {}),
      ...(item.pausedBy ? { pausedBy: item.pausedBy as string } : {}),
      ...(item.pausedAt ? { pausedAt: item.pausedAt as string } : {}),
      ...(item.ceiling !== undefined ? { ceiling: Number(item.ceiling) } : {}),
      ...(item.ceilingLiftedOn ? { ceilingLiftedOn: item.ceilingLiftedOn as string } : {}),
    };
  }

  ceilingOf(control: KindControl): number | undefined {
    return ceilingOf(control, this.ceilings);
  }

  /** How many messages of `kind` were admitted on a Vietnam day. */
  async countOn(kind: string, day: string): Promise<number> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: controlKeys.kindDay(kind, day), ConsistentRead: true }));
    return Number(result.Item?.count ?? 0);
  }

  /**
   * Whether one more message of `kind` may go to the provider now. Counts it
   * against the day's ceiling; at the ceiling, pauses the kind
   * (`ceilingJustReached` is true for the one call that paused it).
   */
  async admit(kind: string, at: Date): Promise<Admission> {
    const control = await this.get(kind);
    if (control.paused)
      return { admitted: false, pausedBy: control.pausedBy === 'ceiling' ? 'ceiling' : 'operator', reason: control.pausedReason ?? 'paused', ceilingJustReached: false };
    const day = vietnamDate(at);
    const ceiling = control.ceilingLiftedOn === day ? undefined : this.ceilingOf(control);
    const counted = await applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: controlKeys.kindDay(kind, day),
          UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
          ...(ceiling !== undefined ? { ConditionExpression: 'attribute_not_exists(#count) OR #count < :ceiling' } : {}),
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':expires': epochSeconds(at) + 40 * 86_400, ...(ceiling !== undefined ? { ':ceiling': ceiling } : {}) },
        }),
      ),
    );
    if (counted) return { admitted: true };
    const reason = `daily ceiling of ${ceiling} messages reached on ${day}`;
    const justPaused = await this.pause(kind, reason, 'ceiling', at, true);
    return { admitted: false, pausedBy: 'ceiling', reason, ceilingJustReached: justPaused };
  }

  /** Pauses a kind; returns false if it was paused already (the first reason stays). */
  pause(kind: string, reason: string, by: string, at: Date, onlyIfRunning = false): Promise<boolean> {
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: controlKeys.kind(kind),
          UpdateExpression: 'SET paused = :yes, pausedReason = :reason, pausedBy = :by, pausedAt = :at',
          ...(onlyIfRunning ? { ConditionExpression: 'attribute_not_exists(paused) OR paused = :no' } : {}),
          ExpressionAttributeValues: { ':yes': true, ':reason': reason, ':by': by, ':at': at.toISOString(), ...(onlyIfRunning ? { ':no': false } : {}) },
        }),
      ),
    );
  }

  /** Resumes a kind. After a ceiling pause, the ceiling is lifted for the rest of the day: the operator has looked. */
  async resume(kind: string, by: string, at: Date): Promise<KindControl> {
    const before = await this.get(kind, true);
    const lift = before.pausedBy === 'ceiling';
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: controlKeys.kind(kind),
        UpdateExpression: `SET paused = :no, resumedBy = :by, resumedAt = :at${lift ? ', ceilingLiftedOn = :day' : ''} REMOVE pausedReason, pausedBy, pausedAt`,
        ExpressionAttributeValues: { ':no': false, ':by': by, ':at': at.toISOString(), ...(lift ? { ':day': vietnamDate(at) } : {}) },
      }),
    );
    return before;
  }

  /** Sets (or, with undefined, removes) a kind's own daily ceiling. */
  async setCeiling(kind: string, ceiling: number | undefined): Promise<void> {
    if (ceiling !== undefined && (!Number.isInteger(ceiling) || ceiling < 1)) throw new Error(`a daily ceiling must be a whole number ≥ 1, got ${ceiling}`);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: controlKeys.kind(kind),
        UpdateExpression: ceiling === undefined ? 'REMOVE ceiling' : 'SET ceiling = :ceiling',
        ...(ceiling === undefined ? {} : { ExpressionAttributeValues: { ':ceiling': ceiling } }),
      }),
    );
  }
}
