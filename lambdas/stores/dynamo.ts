/**
 * The two things every store does: a write that may meet its condition
 * unmet (an idempotency or ordering check, not an error), and an append to a
 * ledger-style history list.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type Db = DynamoDBDocumentClient;

/** Runs a conditional write: its result, or undefined if its condition (or a transaction's) was not met. */
export async function ifApplied<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException) return undefined;
    throw error;
  }
}

/** Runs a conditional write: true if it was applied, false if its condition was not met. */
export async function applied(write: Promise<unknown>): Promise<boolean> {
  return (await ifApplied(write)) !== undefined;
}

/** `history = list_append(...)`: appends lines to an item's history (values `:none` and `:history`). */
export const APPEND_HISTORY = 'history = list_append(if_not_exists(history, :none), :history)';
export const historyValues = (...lines: string[]) => ({ ':none': [], ':history': lines });
