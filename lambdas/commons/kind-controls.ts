/**
 * Safety limits per message kind, held in the send control table so that an
 * operator changes them without a deploy: a kind can be paused (its messages
 * wait in the ledger as `paused`, they are not dropped) and resumed (they are
 * queued again); and each kind has a daily ceiling on messages handed to the
 * provider, which pauses the kind when a runaway upstream or campaign
 * reaches it. Every message costs one read (the kind's item) and one counter
 * update.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from './clock.ts';
import { vietnamDate } from './vietnam-time.ts';

export interface KindControl {
  kind: string;
  paused: boolean;
  pausedReason?: string;
  pausedBy?: string;
  pausedAt?: string;
  /** Overrides the configured ceiling for this kind. */
  ceiling?: number;
  /** A Vietnam day on which an operator resumed the kind after its ceiling: the ceiling does not apply again that day. */
  ceilingLiftedOn?: string;
}

/** `{"default": 1000000, "UnitMonthlyStatement": 600000}`: messages per kind per Vietnam day. */
export type Ceilings = Readonly<Record<string, number>>;

export function parseCeilings(json: string | undefined): Ceilings {
  const parsed: unknown = JSON.parse(json && json.trim() !== '' ? json : '{}');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('daily ceilings must be a JSON object of kind → whole number');
  for (const [kind, value] of Object.entries(parsed)) {
    if (!Number.isInteger(value) || (value as number) < 1) throw new Error(`daily ceiling of ${kind} must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
  }
  return parsed as Ceilings;
}

export type Admission = { admitted: true } | { admitted: false; pausedBy: 'operator' | 'ceiling'; reason: string; ceilingJustReached: boolean };

const controlKey = (kind: string) => ({ pk: `kind#${kind}` });
const counterKey = (kind: string, day: string) => ({ pk: `kind-day#${kind}#${day}` });

export class KindControls {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly ceilings: Ceilings = {},
  ) {}

  /** The control item's key, for a transaction that must see the kind still paused. */
  keyOf(kind: string): Record<string, string> {
    return controlKey(kind);
  }

  async get(kind: string, consistent = false): Promise<KindControl> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: controlKey(kind), ConsistentRead: consistent }));
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
    return control.ceiling ?? this.ceilings[control.kind] ?? this.ceilings.default;
  }

  /** How many messages of `kind` were admitted on a Vietnam day. */
  async countOn(kind: string, day: string): Promise<number> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: counterKey(kind, day), ConsistentRead: true }));
    return Number(result.Item?.count ?? 0);
  }

  /**
   * Whether one more message of `kind` may go to the provider now. Counts it
   * against the day's ceiling; at the ceiling, pauses the kind
   * (`ceilingJustReached` is true for the one call that paused it).
   */
  async admit(kind: string, at: Date): Promise<Admission> {
    const control = await this.get(kind);
    if (control.paused) return { admitted: false, pausedBy: control.pausedBy === 'ceiling' ? 'ceiling' : 'operator', reason: control.pausedReason ?? 'paused', ceilingJustReached: false };
    const day = vietnamDate(at);
    const ceiling = control.ceilingLiftedOn === day ? undefined : this.ceilingOf(control);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: counterKey(kind, day),
          UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
          ...(ceiling !== undefined ? { ConditionExpression: 'attribute_not_exists(#count) OR #count < :ceiling' } : {}),
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':expires': epochSeconds(at) + 40 * 86_400, ...(ceiling !== undefined ? { ':ceiling': ceiling } : {}) },
        }),
      );
      return { admitted: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const reason = `daily ceiling of ${ceiling} messages reached on ${day}`;
    const justPaused = await this.pause(kind, reason, 'ceiling', at, true);
    return { admitted: false, pausedBy: 'ceiling', reason, ceilingJustReached: justPaused };
  }

  /** Pauses a kind; returns false if it was paused already (the first reason stays). */
  async pause(kind: string, reason: string, by: string, at: Date, onlyIfRunning = false): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: controlKey(kind),
          UpdateExpression: 'SET paused = :yes, pausedReason = :reason, pausedBy = :by, pausedAt = :at',
          ...(onlyIfRunning ? { ConditionExpression: 'attribute_not_exists(paused) OR paused = :no' } : {}),
          ExpressionAttributeValues: { ':yes': true, ':reason': reason, ':by': by, ':at': at.toISOString(), ...(onlyIfRunning ? { ':no': false } : {}) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Resumes a kind. After a ceiling pause, the ceiling is lifted for the rest of the day: the operator has looked. */
  async resume(kind: string, by: string, at: Date): Promise<KindControl> {
    const before = await this.get(kind, true);
    const lift = before.pausedBy === 'ceiling';
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: controlKey(kind),
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
        Key: controlKey(kind),
        UpdateExpression: ceiling === undefined ? 'REMOVE ceiling' : 'SET ceiling = :ceiling',
        ...(ceiling === undefined ? {} : { ExpressionAttributeValues: { ':ceiling': ceiling } }),
      }),
    );
  }
}
