/**
 * The due-date index: facts that lead to a later message (a card's end date,
 * a paid-through month, a statement waiting for the 1st, a message waiting for
 * the end of quiet hours) are stored under their subject. While an item is
 * pending (not yet turned into a message) it is in a sparse index under
 * `kind#shard`, sorted by `dueDate#<random order>`: a run Queries everything
 * of its kind due up to its date and not yet sent, so a fact stored after its
 * day's run (a late confirmation, a deferral written at 06:59:59) is taken by
 * the next run or sweep instead of never. The cost of a run grows with what is
 * pending, not with the number of cards in the country. A newer fact for the
 * same subject replaces the pending item.
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
  payload: Record<string, unknown>;
  eventId: string;
  asOf: string;
  expiresAt: number;
  /** `kind#shard` while pending; removed once the item became a message (or failed, with `outcome`). */
  pendingKey?: string;
  /**
   * `dueDate#<random>` while pending: the index's sort key and the run's cursor. Random, not derived from
   * the subject, so the cursor in the execution history names nobody (a hash of a 10-digit BHXH number
   * could be reversed by trying them all).
   */
  dueOrder?: string;
  /** What the run did with it: `queued`, `duplicate`, `failed: <reason>`... */
  outcome?: string;
}

export function shardOf(pk: string): number {
  return createHash('sha256').update(pk).digest().readUInt32BE(0) % DUE_SHARDS;
}

export const pendingKeyOf = (kind: DueKind, shard: number) => `${kind}#${shard}`;

/** The order of a pending item: its date first, so `dueOrder <= through` is "due by then". */
export const dueOrderOf = (dueDate: string, random: string) => `${dueDate}#${random}`;

/** The sort-key range of what is due up to `through` (inclusive) after a cursor (exclusive): `BETWEEN from AND to`. */
export function pendingRange(through: string, after?: string): { from: string; to: string } {
  // Orders are `YYYY-MM-DD#<uuid>`: `after` + '!' (the smallest printable) sorts after `after` and before its next
  // order; `through` + '#~' after every order of that date ('~' sorts after hex digits and '-').
  return { from: after ? `${after}!` : '0000-00-00', to: `${through}#~` };
}

/** Kept a while after its day for operators and re-runs, then DynamoDB deletes it (epoch seconds). */
export function dueItemExpiry(dueDate: string): number {
  return Math.floor(new Date(`${dueDate}T00:00:00Z`).getTime() / 1000) + 60 * 86_400;
}

/** What a shard's run did so far; carried from page to page and part to part, shown in the execution's output. */
export interface CampaignTotals {
  read: number;
  queued: number;
  deferred: number;
  duplicates: number;
  skipped: number;
  failed: number;
}

export const NO_TOTALS: CampaignTotals = { read: 0, queued: 0, deferred: 0, duplicates: 0, skipped: 0, failed: 0 };
