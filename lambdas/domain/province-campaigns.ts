/**
 * A province campaign's life (SPEC "Province campaigns", seed 001): its
 * statuses, its names (execution, message keys, files), when it may send, how
 * fast, and what it costs against its agency's monthly budget. No I/O.
 */
import { quietUntil, vietnamMonth, type QuietHours } from './vietnam-time.ts';

/**
 * validating → refused | awaiting-review → rejected | expired | over-budget | scheduled → sending → sent;
 * cancelled from any status that is not final.
 */
export type CampaignStatus = 'validating' | 'refused' | 'awaiting-review' | 'rejected' | 'expired' | 'over-budget' | 'scheduled' | 'sending' | 'sent' | 'cancelled';

export const FINAL_STATUSES: readonly CampaignStatus[] = ['refused', 'rejected', 'expired', 'over-budget', 'sent', 'cancelled'];
export const isFinal = (status: CampaignStatus) => FINAL_STATUSES.includes(status);

/** The message kind of every province campaign's SMS: its own pause, daily ceiling and counters, like every kind. */
export const PROVINCE_CAMPAIGN_KIND = 'province-campaign';

/** SPEC: a proposal unreviewed for 14 days expires. */
export const REVIEW_DAYS = 14;
export const REVIEW_TIMEOUT_SECONDS = REVIEW_DAYS * 86_400;

/**
 * Rows per page of the send. A page costs 9 history events (the Lambda task 5, the Choice 2, the pacing Wait 2): the
 * 2,000,000 rows SPEC allows are 2,000 pages, 18,000 events, within the 25,000 of one execution with room for
 * retries and the nights (test/local/province-campaign-history.test.ts).
 */
export const CAMPAIGN_PAGE_ROWS = 1_000;

/**
 * The share of the account's SMS parts per second a campaign paces itself to: the central kinds (payments, dossiers,
 * codes) never queue behind a province's list, and the sender's quota stays the one hard limit.
 */
export const CAMPAIGN_SHARE_OF_QUOTA = 0.5;

/** Recipients files and their reports, and the rows kept for the send: they hold phone numbers, so they expire. */
export const CAMPAIGN_FILES_RETENTION_DAYS = 90;

/** The campaign's execution: one per campaign, its id readable in the console. */
export const campaignExecutionName = (campaignId: string) => `campaign-${campaignId}`;

/** The ledger key of a row's message: the row number is the spreadsheet's, stable across re-runs. */
export const campaignMessageKey = (campaignId: string, row: number) => `campaign#${campaignId}#${row}`;

/** The campaign a ledger key belongs to, for the sender's cancellation check. */
export function campaignOfKey(key: string): string | undefined {
  if (!key.startsWith('campaign#')) return undefined;
  const end = key.lastIndexOf('#');
  return end > 'campaign#'.length ? key.slice('campaign#'.length, end) : undefined;
}

/** Where an agency puts its recipients files: its own prefix of the campaign files bucket. */
export const recipientsPrefix = (agency: string) => `recipients/${agency}/`;

export type RecipientsLocation = { ok: true; bucket: string; key: string } | { ok: false; problem: string };

/** `s3://<bucket>/recipients/<agency>/<file>`: only the stack's bucket, only the agency's own prefix. */
export function locateRecipients(uri: string, agency: string, bucket: string): RecipientsLocation {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) return { ok: false, problem: `recipients: must be an s3:// address (s3://${bucket}/${recipientsPrefix(agency)}<file>.csv)` };
  const [, givenBucket, key] = match as unknown as [string, string, string];
  if (givenBucket !== bucket) return { ok: false, problem: `recipients: must be in the campaign files bucket ${bucket}, not ${givenBucket}` };
  if (!key.startsWith(recipientsPrefix(agency)) || key.includes('..')) {
    return { ok: false, problem: `recipients: must be under the agency's own prefix ${recipientsPrefix(agency)}` };
  }
  return { ok: true, bucket, key };
}

/** The reports next to the recipients file: `<file>.refused.csv` and `<file>.outcomes.csv`. */
export function reportKeyOf(recipientsKey: string, report: 'refused' | 'outcomes'): string {
  return `${recipientsKey.replace(/\.csv$/i, '')}.${report}.csv`;
}

/** When the send may start: not before sendFrom, not before now, and never inside quiet hours (then at the window's start). */
export function sendStartOf(sendFrom: string, now: Date, quietHours: QuietHours): Date {
  const from = new Date(Math.max(Date.parse(sendFrom), now.getTime()));
  return quietUntil(from, quietHours) ?? from;
}

/** Seconds a wait of the state machine lasts until `at` (Step Functions wants at least 1). */
export const secondsUntil = (at: Date, now: Date) => Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));

/** How long to wait after queueing `parts` so that the campaign keeps to its share of the SMS quota. */
export function pacingSeconds(parts: number, smsPartsPerSecond: number): number {
  return Math.ceil(parts / Math.max(1, smsPartsPerSecond * CAMPAIGN_SHARE_OF_QUOTA));
}

/** The month an agency's budget counts a campaign in: the Vietnam month its send starts. */
export const budgetMonthOf = (sendStart: Date) => vietnamMonth(sendStart);

/** `bhxh:campaignMonthlyParts`: parts per agency and month, `default` for any agency not named. */
export type CampaignBudgets = Readonly<Record<string, number>> & { readonly default: number };

export const budgetOf = (budgets: CampaignBudgets, agency: string) => budgets[agency] ?? budgets.default;

export function parseBudgets(raw: string): CampaignBudgets {
  const value: unknown = JSON.parse(raw);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('must be a JSON object of agency → parts per month');
  for (const [agency, parts] of Object.entries(value)) {
    if (!Number.isInteger(parts) || (parts as number) < 0) throw new Error(`${agency} must be a whole number of parts ≥ 0, got ${JSON.stringify(parts)}`);
  }
  if (!('default' in value)) throw new Error('must name a "default" budget for agencies not listed');
  return value as CampaignBudgets;
}

/** What became of the rows of a campaign's send, as its pages count them (rows never reached are the report's `not-sent`). */
export interface SendTotals {
  /** Rows handed to the sender. */
  queued: number;
  /** Parts of those rows: what the campaign costs. */
  parts: number;
  /** Rows whose subject has no usable number in the contact projection. */
  skipped: number;
  /** Rows already in the ledger (a page retried). */
  duplicates: number;
}

export const NO_SEND_TOTALS: SendTotals = { queued: 0, parts: 0, skipped: 0, duplicates: 0 };

/** The status line published on the bus (CampaignStatusChanged): counts and parts, never a number or a text. */
export interface CampaignStatusDetail {
  campaignId: string;
  agency: string;
  status: CampaignStatus;
  /** Why, in a few words, for refusals, rejections and stops. */
  reason?: string;
  counts: { rows: number; accepted: number; refused: number; duplicate: number; queued?: number; skipped?: number; notSent?: number };
  parts: number;
  at: string;
}

/**
 * The estimate of one SMS part to a Vietnamese mobile, for a campaign's report: docs/prices.json (smsPerPartVietnam;
 * test/domain/province-campaigns.test.ts keeps the two equal). The real price of each message is in its delivery receipt.
 */
export const ESTIMATED_USD_PER_PART = 0.0473;
