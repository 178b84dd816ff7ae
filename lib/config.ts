/**
 * Deployment settings, read from CDK context (cdk.json or `-c key=value`),
 * validated once so a typo fails the synth with a clear message instead of
 * reaching production.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { parseBudgets, type CampaignBudgets } from '../lambdas/domain/province-campaigns.ts';
import { parseBrandedKinds } from '../lambdas/domain/branding.ts';
import { brandedKindProblems } from '../lambdas/domain/carrier-register.ts';
import type { TemplateId } from '../lambdas/domain/templates.ts';

export interface NotifyConfig {
  /** The account's SMS quota for the sender ID, in message parts per second (SPEC rule 9). */
  smsPartsPerSecond: number;
  senderId: string;
  ledgerRetentionDays: number;
  /** Days the message text and phone number are kept; the status metadata stays for ledgerRetentionDays. */
  messageTextRetentionDays: number;
  /**
   * Days a dossier (its applicant, phone, due date, reason) is kept after its last change (TTL). At least
   * DOSSIER_LIFETIME_DAYS: the item is the waiting execution's state, and an execution may wait a year.
   */
  dossierRetentionDays: number;
  /** Days a collection confirmation (name, BHXH number, amount) is kept after its payment, for form 01-XN (TTL). */
  collectionRetentionDays: number;
  /** Messages per kind per Vietnam day before the kind pauses itself (`default` for every kind not named). */
  dailyCeilings: Record<string, number>;
  quietHoursStart: string;
  quietHoursEnd: string;
  logRetention: RetentionDays;
  alarmEmail?: string;
  /** Hours a DossierResolved may wait for its DossierReceived before operators are told. */
  orphanResolutionReportHours: number;
  /** Percentage of successful SMS deliveries SNS logs (failures are always logged). */
  deliveryStatusSuccessSamplingRate: number;
  /** Alarm when the hourly share of delivered receipts falls below this (0..1). */
  deliveryRateAlarmThreshold: number;
  /** Monthly SMS budget (USD): an alarm at 80 %. */
  monthlySmsBudgetUsd?: number;
  /** 8079 look-ups per phone number per hour; the limit itself is answered once. */
  lookupRateLimitPerHour: number;
  /** The longest a one-time code may live, minutes (SPEC rule 10: at most 15). */
  otpMaxLifetimeMinutes: number;
  /** Send the citizen an apology when a dossier passes its promised date (SPEC: off by default). */
  dossierOverdueApology: boolean;
  /** Province campaigns: SMS parts per agency per month (`default` for any agency not named), checked at approval and while sending. */
  campaignMonthlyParts: CampaignBudgets;
  /** Kinds whose SMS carries the brand (`BHXHVN: `), as carriers ask since August 2024; none by default (the seeds' wording). */
  brandedKinds: TemplateId[];
  /** The domain e-mails come from (an SES identity, DKIM-signed): its DNS records are stack outputs. */
  emailDomain: string;
  /** SES's sending rate for the account, e-mails per second (a new production account: 14). */
  emailsPerSecond: number;
}

/** A domain name: labels of letters, digits and inner dashes, with a dot between, ending in a letter TLD. */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function emailDomain(node: Node): string {
  const domain = String(read(node, 'emailDomain') ?? 'thongbao.baohiemxahoi.gov.vn');
  if (!DOMAIN.test(domain)) throw new Error(`Context bhxh:emailDomain must be a domain name such as thongbao.baohiemxahoi.gov.vn, got ${JSON.stringify(domain)}`);
  return domain;
}

/** 100,000 parts a month (about 4,700 USD at docs/prices.json) for an agency the context does not name. */
const DEFAULT_CAMPAIGN_MONTHLY_PARTS = 100_000;

function campaignBudgets(node: Node): CampaignBudgets {
  const raw = read(node, 'campaignMonthlyParts');
  if (raw === undefined) return { default: DEFAULT_CAMPAIGN_MONTHLY_PARTS };
  try {
    const parsed = parseBudgets(typeof raw === 'string' ? raw : JSON.stringify(raw));
    return parsed;
  } catch (error) {
    throw new Error(`Context bhxh:campaignMonthlyParts ${(error as Error).message}, got ${JSON.stringify(raw)}`);
  }
}

/**
 * bhxh:brandInText: a list of kinds (JSON or comma list). An unknown kind is named; so is one whose SMS with the
 * brand would be over 3 parts at the schema maxima (the carriers' template register, `npm run templates`).
 */
function brandedKinds(node: Node): TemplateId[] {
  let kinds: TemplateId[];
  try {
    kinds = parseBrandedKinds(read(node, 'brandInText'));
  } catch (error) {
    throw new Error(`Context bhxh:brandInText ${(error as Error).message}`);
  }
  const problems = brandedKindProblems(kinds);
  if (problems.length > 0) throw new Error(`Context bhxh:brandInText: ${problems.join('; ')}`);
  return kinds;
}

function read(node: Node, key: string): unknown {
  return node.tryGetContext(`bhxh:${key}`);
}

function positiveInteger(node: Node, key: string, fallback: number): number {
  const raw = read(node, key) ?? fallback;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`Context bhxh:${key} must be a whole number ≥ 1, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function clockTime(node: Node, key: string, fallback: string): string {
  const value = String(read(node, key) ?? fallback);
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) throw new Error(`Context bhxh:${key} must be HH:MM (24 h), got ${JSON.stringify(value)}`);
  return value;
}

function percentage(node: Node, key: string, fallback: number): number {
  const raw = read(node, key) ?? fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 100) throw new Error(`Context bhxh:${key} must be a whole number from 0 to 100, got ${JSON.stringify(raw)}`);
  return value;
}

function flag(node: Node, key: string, fallback: boolean): boolean {
  const raw = read(node, key) ?? fallback;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new Error(`Context bhxh:${key} must be true or false, got ${JSON.stringify(raw)}`);
}

/** The longest a dossier item must outlive its last change: a Standard execution waits at most a year for the resolution. */
export const DOSSIER_LIFETIME_DAYS = 366;

/**
 * The longest CloudWatch Logs retention that is not longer than `days` (CloudWatch accepts only 1, 3, 5, 7,
 * 14, 30, 60, 90…): for log groups that hold what may be kept only `days` days (phone numbers).
 */
export function logRetentionAtMost(days: number): RetentionDays {
  const allowed = Object.values(RetentionDays)
    .filter((v): v is RetentionDays => typeof v === 'number' && v !== RetentionDays.INFINITE && v <= days)
    .sort((a, b) => b - a);
  return allowed[0] ?? RetentionDays.ONE_DAY;
}

/** A national day's worth of any one kind stays well under this; a runaway upstream does not. */
export const DEFAULT_DAILY_CEILING = 500_000;

function ceilings(node: Node): Record<string, number> {
  const raw = read(node, 'dailyCeilings') ?? {};
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error(`Context bhxh:dailyCeilings must be a JSON object of message kind → whole number, got ${JSON.stringify(raw)}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`Context bhxh:dailyCeilings must be an object of message kind → whole number, got ${JSON.stringify(raw)}`);
  for (const [kind, n] of Object.entries(value)) {
    if (!Number.isInteger(n) || (n as number) < 1) throw new Error(`Context bhxh:dailyCeilings.${kind} must be a whole number ≥ 1, got ${JSON.stringify(n)}`);
  }
  return { default: DEFAULT_DAILY_CEILING, ...(value as Record<string, number>) };
}

/** Where the stack is deployed when bhxh:region is not given: Singapore, the nearest region that sends SMS to Vietnam. */
export const DEFAULT_REGION = 'ap-southeast-1';

/**
 * The region to deploy to: the bhxh:region context, never the CLI profile's
 * region (the CLI always sets CDK_DEFAULT_REGION, us-east-1 when the profile
 * names none, so a fallback on it would never fall back).
 */
export function readRegion(node: Node): string {
  const region = String(read(node, 'region') ?? DEFAULT_REGION);
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) throw new Error(`Context bhxh:region must be an AWS region name such as ap-southeast-1, got ${JSON.stringify(region)}`);
  return region;
}

/** bhxh:otpMaxLifetimeMinutes: 1 to 15 (SPEC rule 10), default 15. */
function otpLifetime(node: Node): number {
  const value = positiveInteger(node, 'otpMaxLifetimeMinutes', 15);
  if (value > 15) throw new Error(`Context bhxh:otpMaxLifetimeMinutes must be at most 15 (a one-time code lives at most 15 minutes), got ${value}`);
  return value;
}

export function readConfig(node: Node): NotifyConfig {
  const senderId = String(read(node, 'senderId') ?? 'BHXHVN');
  // Alphanumeric sender IDs: 1-11 characters, letters and digits, at least one letter.
  if (!/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/.test(senderId)) {
    throw new Error(`Context bhxh:senderId must be 1-11 letters or digits with at least one letter, got ${JSON.stringify(senderId)}`);
  }
  const logDays = positiveInteger(node, 'logRetentionDays', 90);
  const logRetention = Object.values(RetentionDays).find((v) => v === logDays) as RetentionDays | undefined;
  if (logRetention === undefined) {
    throw new Error(`Context bhxh:logRetentionDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, …), got ${logDays}`);
  }
  const alarmEmail = read(node, 'alarmEmail');
  if (positiveInteger(node, 'messageTextRetentionDays', 30) > positiveInteger(node, 'ledgerRetentionDays', 400)) {
    throw new Error('Context bhxh:messageTextRetentionDays must not be longer than bhxh:ledgerRetentionDays');
  }
  const dossierRetentionDays = positiveInteger(node, 'dossierRetentionDays', 400);
  if (dossierRetentionDays < DOSSIER_LIFETIME_DAYS) {
    throw new Error(
      `Context bhxh:dossierRetentionDays must be at least ${DOSSIER_LIFETIME_DAYS}: a dossier waits up to a year for its resolution, and its item must outlive the wait; got ${dossierRetentionDays}`,
    );
  }
  const collectionRetentionDays = positiveInteger(node, 'collectionRetentionDays', 90);
  if (collectionRetentionDays < 2) {
    throw new Error(`Context bhxh:collectionRetentionDays must be at least 2: form 01-XN is made the day after the payments; got ${collectionRetentionDays}`);
  }
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(String(alarmEmail))) {
    throw new Error(`Context bhxh:alarmEmail must be an e-mail address, got ${JSON.stringify(alarmEmail)}`);
  }
  return {
    smsPartsPerSecond: positiveInteger(node, 'smsPartsPerSecond', 10),
    senderId,
    ledgerRetentionDays: positiveInteger(node, 'ledgerRetentionDays', 400),
    messageTextRetentionDays: positiveInteger(node, 'messageTextRetentionDays', 30),
    dossierRetentionDays,
    collectionRetentionDays,
    dailyCeilings: ceilings(node),
    quietHoursStart: clockTime(node, 'quietHoursStart', '07:00'),
    quietHoursEnd: clockTime(node, 'quietHoursEnd', '21:00'),
    logRetention,
    orphanResolutionReportHours: positiveInteger(node, 'orphanResolutionReportHours', 24),
    dossierOverdueApology: flag(node, 'dossierOverdueApology', false),
    campaignMonthlyParts: campaignBudgets(node),
    brandedKinds: brandedKinds(node),
    emailDomain: emailDomain(node),
    emailsPerSecond: positiveInteger(node, 'emailsPerSecond', 14),
    lookupRateLimitPerHour: positiveInteger(node, 'lookupRateLimitPerHour', 10),
    otpMaxLifetimeMinutes: otpLifetime(node),
    deliveryStatusSuccessSamplingRate: percentage(node, 'deliveryStatusSuccessSamplingRate', 100),
    deliveryRateAlarmThreshold: percentage(node, 'deliveryRateAlarmPercent', 90) / 100,
    ...(read(node, 'monthlySmsBudgetUsd') !== undefined ? { monthlySmsBudgetUsd: positiveInteger(node, 'monthlySmsBudgetUsd', 1) } : {}),
    ...(alarmEmail ? { alarmEmail: String(alarmEmail) } : {}),
  };
}
