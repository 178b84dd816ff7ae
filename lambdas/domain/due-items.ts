/**
 * The due-date index: facts that lead to a later message (a card's end date,
 * a paid-through month, a statement waiting for the 1st, a message waiting for
 * the end of quiet hours) are stored under their subject and indexed by
 * `kind#date#shard`. A day's run Queries its own partitions, so its cost grows
 * with the messages due that day, not with the number of cards in the country.
 * A newer fact for the same subject replaces the pending item.
 */
import { createHash } from 'node:crypto';

/** Partitions per kind and day: spreads a 500,000-item day over several partitions and lets shards run in parallel. */
export const DUE_SHARDS = 8;

/** Every kind of due item: one campaign run per kind and day. */
export const DUE_KINDS = [
  'health-card-expiring',
  'voluntary-term-ending',
  'password-change-due',
  'collector-summary',
  'unit-monthly-statement',
  'facility-claims-summary',
  'quiet-hours-release',
] as const;
export type DueKind = (typeof DUE_KINDS)[number];

export interface DueItem {
  pk: string;
  kind: DueKind;
  dueDate: string;
  dueKey: string;
  payload: Record<string, unknown>;
  eventId: string;
  asOf: string;
  expiresAt: number;
}

export function shardOf(pk: string): number {
  return createHash('sha256').update(pk).digest().readUInt32BE(0) % DUE_SHARDS;
}

export const dueKeyOf = (kind: DueKind, date: string, shard: number) => `${kind}#${date}#${shard}`;

/** Kept a while after its day for operators and re-runs, then DynamoDB deletes it (epoch seconds). */
export function dueItemExpiry(dueDate: string): number {
  return Math.floor(new Date(`${dueDate}T00:00:00Z`).getTime() / 1000) + 60 * 86_400;
}
