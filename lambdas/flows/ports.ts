/**
 * The ports the flows are written against: what a flow needs from storage,
 * queues, the bus, schedules and the SMS provider, in the domain's words.
 * `stores/` implements the storage ports on DynamoDB, `aws/` the others; tests
 * and the local run plug in the same implementations against DynamoDB Local.
 */
import type { Contact } from '../domain/contacts.ts';
import type { DossierItem, Resolution } from '../domain/dossiers.ts';
import type { DueItem, DueKind } from '../domain/due-items.ts';
import type { Admission } from '../domain/kind-controls.ts';
import type { LedgerItem, MessageContent, NewLedgerItem, ReceiptUpdate, RecordOutcome, Settlement } from '../domain/ledger.ts';
import type { CardItem, HistoryItem, Period } from '../domain/read-models.ts';
import type { Receipt } from '../domain/receipts.ts';
import type { Confirmation } from '../domain/form-01xn.ts';
import type { ScheduledEvent } from '../domain/schedules.ts';
import type { RegistrationItem } from '../domain/registrations.ts';

export interface Clock {
  now(): Date;
}

export interface LedgerStore {
  /** Records a new message, or returns the item already recorded under the same key (and counts the duplicate). */
  record(message: NewLedgerItem, at: Date): Promise<RecordOutcome>;
  get(key: string): Promise<LedgerItem | undefined>;
  /** The text and number of a message, or undefined once the retention period has passed (even before TTL deletes it). */
  content(key: string, at: Date): Promise<MessageContent | undefined>;
  /** Takes the message for sending: one sender at a time; a lease that ran out can be taken over. Undefined when not waiting to be sent. */
  claim(key: string, token: string, at: Date, leaseSeconds: number): Promise<LedgerItem | undefined>;
  /** Ends a claim; only the claim holder can. */
  settle(key: string, token: string, at: Date, outcome: Settlement): Promise<boolean>;
  /** Gives a claimed message back to the queue after a retryable failure. */
  release(key: string, token: string, at: Date, reason: string): Promise<boolean>;
  /** Parks a claimed message while its kind is paused, in one transaction that checks the kind is still paused. */
  holdWhilePaused(key: string, token: string, at: Date, kind: string, reason: string): Promise<boolean>;
  /** Keys of the messages waiting while `kind` is paused, oldest first (eventually consistent). */
  pausedKeys(kind: string): AsyncGenerator<string>;
  /** A paused message becomes queued again; false if it was not paused. */
  unpause(key: string, at: Date): Promise<boolean>;
  /** Keys of messages sent without a receipt whose 72-hour wait ends on `day` and ended before `at`. */
  awaitingReceipt(day: string, at: Date): AsyncGenerator<string>;
  /** Sent 72 hours ago and no receipt since: a temporary failure. */
  noReceipt(key: string, at: Date): Promise<boolean>;
  /** Messages recorded on a Vietnam day to numbers ending in these three digits. */
  keysByRecipientTail(tail: string): Promise<string[]>;
  /** Notes on the original that an operator resent it, under which key and why. */
  noteResend(key: string, resendKey: string, reason: string, at: Date): Promise<void>;
  /** The ledger key of a message sent under this provider id. */
  keyOfProviderMessage(providerMessageId: string): Promise<string | undefined>;
  /** Applies a delivery receipt; false when it changes nothing (a repeat, or too late). */
  applyReceipt(key: string, receipt: ReceiptUpdate): Promise<boolean>;
}

export interface ContactStore {
  /** Stores the contact unless a newer version is already there; false for a stale update. */
  upsert(contact: Contact): Promise<boolean>;
  get(subject: string): Promise<Contact | undefined>;
}

export interface DossierStore {
  get(dossierNo: string): Promise<DossierItem | undefined>;
  /** Claims the dossier for a new lifecycle; false if it was received before. */
  claimForLifecycle(d: Omit<DossierItem, 'status' | 'updatedAt'>, at: Date): Promise<boolean>;
  /** Keeps a resolution for a dossier not yet received; false if the dossier exists meanwhile. */
  keepOrphanResolution(dossierNo: string, resolution: Resolution, at: Date): Promise<boolean>;
  /**
   * Parks a resolution for the execution's next wait, if the dossier still holds `seenToken` (none yet, or one that
   * timed out) and waits; false if a new token was stored, a resolution parked, or the dossier resolved meanwhile.
   */
  parkResolution(dossierNo: string, resolution: Resolution, at: Date, seenToken?: string): Promise<boolean>;
  /** Stores the waiting execution's token; false if a resolution was parked meanwhile. */
  storeTaskToken(dossierNo: string, taskToken: string, at: Date): Promise<boolean>;
  setReceived(dossierNo: string, valid: boolean, at: Date): Promise<void>;
  /** Marks the dossier overdue, once; true the first time. */
  markOverdue(dossierNo: string, at: Date): Promise<boolean>;
  setResolved(dossierNo: string, resolution: Resolution, at: Date): Promise<void>;
  countIgnoredResolution(dossierNo: string, at: Date): Promise<void>;
}

/** E-registrations (lambdas/stores/registration-store.ts): the review and the waiting execution's token meet only in conditional writes. */
export interface RegistrationStore {
  get(registrationId: string): Promise<RegistrationItem | undefined>;
  /** Claims the registration for a new lifecycle; false if it was submitted (or reviewed) before. */
  claimForLifecycle(r: Omit<RegistrationItem, 'status' | 'updatedAt' | 'expiresAt'>, at: Date): Promise<boolean>;
  /**
   * Records the review, if the registration still waits for one (or was never seen: a later submission then starts
   * nothing). `previous` is the item as it was (its task token), undefined if it was never seen; false if reviewed or deleted already.
   */
  recordReview(registrationId: string, review: { reviewedAt: string; eventId: string }, at: Date): Promise<{ previous?: RegistrationItem } | false>;
  /** Stores the waiting execution's token; false if the review came meanwhile (the caller answers it at once). */
  storeTaskToken(registrationId: string, taskToken: string, at: Date): Promise<boolean>;
  /** Moves the lifecycle on (STEP_FROM); false if the review came first. */
  advance(registrationId: string, to: 'waiting' | 'reminded' | 'deleted', at: Date): Promise<boolean>;
}

export interface DueItemPage {
  items: DueItem[];
  /** The last item's order when there may be more: the next page starts after it. Names nobody. */
  after?: string;
  /** Items DynamoDB read for the page: the Query's cost. */
  read: number;
}

export type NewDueItem = Omit<DueItem, 'expiresAt' | 'pendingKey' | 'dueOrder' | 'outcome'>;

export interface DueItemStore {
  /** Stores (or replaces) the pending item of a subject, unless a newer fact is already there. */
  put(item: NewDueItem): Promise<boolean>;
  remove(pk: string, asOf: string): Promise<void>;
  /** One page of one shard of what is pending for a kind and due by `through` (a Vietnam date), after the order `after`. */
  pending(kind: DueKind, through: string, shard: number, after: string | undefined, limit: number): Promise<DueItemPage>;
  /** Whether anything of a kind is pending and due by `through` (one item read per shard at most). */
  anyPending(kind: DueKind, through: string): Promise<boolean>;
  /** Takes a handled item out of the pending index with what became of it, unless a newer fact replaced it meanwhile. */
  settle(item: DueItem, outcome: string): Promise<void>;
}

export interface ReadModelStore {
  putHistory(personId: string, periods: Period[], asOf: string): Promise<boolean>;
  putCard(card: Omit<CardItem, 'pk'>): Promise<boolean>;
  history(personId: string): Promise<HistoryItem | undefined>;
  card(cardNo: string): Promise<CardItem | undefined>;
}

export interface CollectionStore {
  put(confirmation: Confirmation): Promise<void>;
  /** Every confirmation of a collector on a Vietnam day. */
  day(collectorCode: string, date: string): Promise<Confirmation[]>;
  /** Marks confirmations as reported in a form (its ledger key); one already marked keeps its form. */
  markReported(collectorCode: string, date: string, confirmationCodes: string[], form: string): Promise<void>;
}

export interface KindControlStore {
  /** Whether one more message of `kind` may go to the provider now; counts it against the day's ceiling. */
  admit(kind: string, at: Date): Promise<Admission>;
  /** Takes back the count of a message admitted at `admittedAt` that the provider did not take (throttled, refused, no quota). */
  refund(kind: string, admittedAt: Date): Promise<void>;
}

export interface SmsQuota {
  /** Reserves `parts` in the earliest second with room; false if none before `deadlineMs`. */
  acquire(parts: number, deadlineMs: number): Promise<boolean>;
}

export interface ParkedReceiptStore {
  park(receipt: Receipt): Promise<void>;
  /** Removes and returns the parked receipt of a message, if any. */
  take(providerMessageId: string): Promise<Receipt | undefined>;
}

export interface LookupCounter {
  /** Counts one look-up from this phone in the current hour; returns the count so far. */
  count(phone: string, at: Date): Promise<number>;
}

/** What travels on the send queues: the ledger key, and a secret that must never be stored. */
export interface QueuedMessage {
  key: string;
  kind: string;
  segments: number;
  /** Absent: an SMS. */
  channel?: 'email';
  urgent?: boolean;
  secret?: string;
}

export interface SendQueue {
  /** Hands a recorded message to the sender (the urgent queue when `urgent`). */
  enqueue(message: QueuedMessage): Promise<void>;
}

export interface EventPublisher {
  /** Publishes one of this system's own events on the bus. */
  publish(detailType: string, detail: Record<string, unknown>): Promise<void>;
}

export interface Schedules {
  /** Creates or replaces the one-time schedule `name`. */
  scheduleOnce(name: string, at: Date, event: ScheduledEvent): Promise<void>;
}

export interface SmsToSend {
  to: string;
  text: string;
  key: string;
  kind: string;
  segments: number;
}

export interface EmailToSend {
  to: string;
  subject: string;
  text: string;
  attachments: { name: string; content: Uint8Array }[];
  key: string;
  kind: string;
}

/** The e-mail provider: SES in AWS, the outbox in a local run. */
export interface EmailGateway {
  sendEmail(email: EmailToSend): Promise<{ messageId: string }>;
}

/** Addresses that bounced hard or complained (SPEC rule 12): nothing more is sent to them. */
export interface EmailSuppressions {
  isSuppressed(address: string): Promise<boolean>;
  suppress(address: string, reason: string, at: Date): Promise<void>;
}

/** The files e-mails carry (form 01-XN), read by the sender when the e-mail leaves. */
export interface AttachmentStore {
  read(key: string): Promise<Uint8Array>;
}

/** The SMS provider: SNS in AWS, the outbox in a local run. */
export interface SmsGateway {
  publish(sms: SmsToSend): Promise<{ messageId: string }>;
}

export interface ReportStore {
  /** Stores a CSV report; returns where. */
  save(key: string, csv: string): Promise<{ bucket: string; key: string }>;
}
