/**
 * Table keys, index names and item keys of the DynamoDB stores: what `lib/`
 * builds the tables with and what the stores read and write. Imports no SDK,
 * so the CDK app can use it without loading a client.
 */

/** Ledger indexes. */
export const PROVIDER_MESSAGE_INDEX = 'byProviderMessageId';
/** Sparse: messages waiting while their kind is paused (pk pausedKind, sk createdAt). */
export const PAUSED_INDEX = 'byPausedKind';
/** Sparse: sent messages still waiting for a receipt (pk receiptDueDay, sk sentAt). */
export const RECEIPT_DUE_INDEX = 'byReceiptDueDay';
/** Messages by the masked number's last digits and the Vietnam day (pk recipientTail, sk createdAt). */
export const RECIPIENT_TAIL_INDEX = 'byRecipientTail';
/** Sparse: messages whose hand-over has no known outcome, for an operator to release or confirm (pk unknownDay, sk updatedAt). */
export const UNKNOWN_OUTCOME_INDEX = 'byUnknownDay';
/** The ledger item holding a message's text and number (short retention), beside its metadata item. */
export const CONTENT_PREFIX = 'content#';

/** Sparse due-items index: `kind#shard` → the items not yet sent, by `dueDate#<random>`. */
export const PENDING_DUE_INDEX = 'byPendingDue';

/** Items of the send control table (partition key `pk`). */
export const controlKeys = {
  /** A kind's pause and ceiling override. */
  kind: (kind: string) => ({ pk: `kind#${kind}` }),
  /** Messages of a kind admitted on a Vietnam day. */
  kindDay: (kind: string, day: string) => ({ pk: `kind-day#${kind}#${day}` }),
  /** Parts used in one second of the SMS quota. */
  rateWindow: (second: number, window: 'sms' | 'email' = 'sms') => ({ pk: `${window}-rate#${second}` }),
  /** A delivery receipt that arrived before its message was recorded as sent. */
  parkedReceipt: (providerMessageId: string) => ({ pk: `receipt#${providerMessageId}` }),
  /** 8079 look-ups of one (hashed) phone number in one hour. */
  lookupRate: (phoneHash: string, hour: number) => ({ pk: `lookup-rate#${phoneHash}#${hour}` }),
} as const;
