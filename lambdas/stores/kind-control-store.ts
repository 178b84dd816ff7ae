/**
 * Safety limits per message kind in the send control table, so that an
 * operator changes them without a deploy: pause and resume, and a daily
 * ceiling on messages handed to the provider that pauses the kind when a
 * runaway upstream or campaign reaches it. Here every message costs one read
 * (the kind's item) and one counter update; the sender's BatchKindControls
 * reads once per batch and counts a block of admissions per write.
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
    const ceiling = this.ceilingOn(control, day);
    if (await this.countAdmissions(kind, day, 1, ceiling, at)) return { admitted: true };
    const reason = `daily ceiling of ${ceiling} messages reached on ${day}`;
    const justPaused = await this.pause(kind, reason, 'ceiling', at, true);
    return { admitted: false, pausedBy: 'ceiling', reason, ceilingJustReached: justPaused };
  }

  /** The ceiling of a kind on a Vietnam day; none on the day an operator resumed it after a ceiling pause. */
  protected ceilingOn(control: KindControl, day: string): number | undefined {
    return control.ceilingLiftedOn === day ? undefined : this.ceilingOf(control);
  }

  /** Counts `n` admissions of a kind on a day in one conditional write; false if they would pass the ceiling. */
  protected countAdmissions(kind: string, day: string, n: number, ceiling: number | undefined, at: Date): Promise<boolean> {
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: controlKeys.kindDay(kind, day),
          UpdateExpression: 'ADD #count :n SET expiresAt = :expires',
          ...(ceiling !== undefined ? { ConditionExpression: 'attribute_not_exists(#count) OR #count <= :room' } : {}),
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':n': n, ':expires': epochSeconds(at) + 40 * 86_400, ...(ceiling !== undefined ? { ':room': ceiling - n } : {}) },
        }),
      ),
    );
  }

  /** Takes back `n` counts of a day (never below zero). */
  protected uncount(kind: string, day: string, n: number): Promise<boolean> {
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: controlKeys.kindDay(kind, day),
          UpdateExpression: 'ADD #count :minus',
          ConditionExpression: '#count >= :n',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':minus': -n, ':n': n },
        }),
      ),
    );
  }

  /**
   * Takes back one count of the day a message was admitted on: the ceiling
   * counts messages handed to the provider, not attempts (a message throttled
   * four times is one message). Never below zero.
   */
  async refund(kind: string, admittedAt: Date): Promise<void> {
    await this.uncount(kind, vietnamDate(admittedAt), 1);
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
