/**
 * What the province campaign flows need from the world: the campaigns and
 * their rows, the recipients files, the ledger's statuses, the execution's
 * task tokens, the bus. Implemented on DynamoDB, S3, Step Functions and
 * EventBridge (stores/, aws/), and by the local run's emulators.
 */
import type { CampaignRecipient, RowCounts } from '../../domain/campaign-proposals/rows.ts';
import type { CampaignStatus, SendTotals } from '../../domain/province-campaigns.ts';
import type { TemplateId } from '../../domain/templates.ts';
import type { Clock, EventPublisher } from '../ports.ts';

/** A proposal as it arrived (CampaignProposed or ops propose). */
export interface CampaignProposal {
  campaignId: string;
  agency: string;
  title: string;
  purpose: string;
  template: string;
  recipients: string;
  sendFrom: string;
  sendUntil?: string;
  proposedBy: string;
}

/** The counts of the proposal's rows, after the contact look-ups (rows named by subject without a mobile are refused). */
export type RowSummary = RowCounts;

export interface CampaignRecord extends CampaignProposal {
  status: CampaignStatus;
  proposedAt: string;
  eventId: string;
  updatedAt: string;
  /** One line per change: `<ISO time> <status>[: why]`. */
  history: string[];
  /** Why the proposal was refused whole (an unreadable file, a copy of a central message…). */
  problems?: string[];
  copyOf?: { kind: TemplateId; score: number };
  counts?: RowSummary;
  /** The first refused rows (row, reason, column: never a value), for `ops campaign`; all of them are in the report. */
  refusedSample?: Array<{ row: number; reason: string; column?: string }>;
  refusedReport?: string;
  review?: { approved: boolean; reviewer: string; reason: string; at: string };
  /** Reviews that came when no review could change anything (a refused copy approved, a second review). */
  ignoredReviews?: number;
  cancellation?: { cancelledBy: string; reason: string; at: string };
  /** The token of the wait the execution is in (review or send window). */
  taskToken?: string;
  budget?: { month: string; parts: number };
  sendAt?: string;
  totals?: SendTotals;
  outcomesReport?: string;
  /** Messages by ledger status when the report was written. */
  outcomes?: Record<string, number>;
}

export interface StoredRow {
  row: number;
  recipient: CampaignRecipient;
  text: string;
  parts: number;
}

export interface ProvinceCampaignStore {
  /** Records a new proposal (status validating) and returns it; undefined if the campaign id is taken. */
  claim(proposal: CampaignProposal, eventId: string, at: Date): Promise<CampaignRecord | undefined>;
  get(campaignId: string): Promise<CampaignRecord | undefined>;
  /** Moves the campaign from one of `from` to `to` with these fields; undefined if it was in no status of `from`. */
  transition(campaignId: string, from: readonly CampaignStatus[], to: CampaignStatus, fields: Partial<CampaignRecord>, why: string, at: Date): Promise<CampaignRecord | undefined>;
  /** Stores the wait's token and returns the campaign as it is then (a review or cancellation may be there already). */
  storeToken(campaignId: string, taskToken: string, at: Date): Promise<CampaignRecord>;
  /** Records the review of a campaign waiting for one; undefined if it is not waiting or was reviewed already. */
  recordReview(campaignId: string, review: NonNullable<CampaignRecord['review']>, at: Date): Promise<CampaignRecord | undefined>;
  countIgnoredReview(campaignId: string, why: string, at: Date): Promise<void>;
  /** Writes the totals of the send so far (no status change). */
  saveTotals(campaignId: string, totals: SendTotals, at: Date): Promise<void>;
  list(): Promise<CampaignRecord[]>;
  /**
   * In one transaction: the campaign goes from awaiting-review to scheduled with these fields, and its parts are
   * added to its agency's month if they fit the budget. `over-budget` if they do not (nothing changed), `not-waiting`
   * if the campaign is no longer awaiting review (cancelled meanwhile, or a retried step that did it already).
   */
  approveWithinBudget(
    campaign: CampaignRecord,
    fields: Partial<CampaignRecord> & { budget: { month: string; parts: number } },
    budget: number,
    at: Date,
  ): Promise<CampaignRecord | 'over-budget' | 'not-waiting'>;
  releaseBudget(agency: string, month: string, parts: number): Promise<void>;
  budgetUsed(agency: string, month: string): Promise<number>;
}

export interface CampaignRowStore {
  /** Keeps the accepted rows for the send (they expire with the campaign's files). */
  putRows(campaignId: string, rows: readonly StoredRow[]): Promise<void>;
  /** Rows after `afterRow`, in row order. */
  page(campaignId: string, afterRow: number, limit: number): Promise<{ rows: StoredRow[]; more: boolean }>;
}

export interface CampaignFiles {
  /** The recipients CSV (UTF-8). */
  read(bucket: string, key: string): Promise<string>;
  write(bucket: string, key: string, csv: string): Promise<void>;
  /** The stack's campaign files bucket. */
  bucket: string;
}

export interface LedgerStatuses {
  /** The ledger status of each key that has one. */
  statusesOf(keys: readonly string[]): Promise<Map<string, { status: string; segments?: number }>>;
}

export interface CampaignNotifyPorts extends Clock {
  campaigns: ProvinceCampaignStore;
  events: EventPublisher;
}
