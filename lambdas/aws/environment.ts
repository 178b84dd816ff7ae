/**
 * The environment contract of every function: which variables it reads, and
 * what each must look like. `lib/` sets exactly these (NotifyFunction checks
 * at synth that none is missing and none is extra); the handler reads them
 * once per container with `readEnvironment`, which fails the cold start with
 * a message naming every missing or malformed variable. No defaults: a value
 * the stack forgot is an error, not a guess.
 *
 * Imports nothing with I/O, so the CDK app can import it.
 */
import { parseCeilings, type Ceilings } from '../domain/kind-controls.ts';
import { parseBrandedKinds } from '../domain/branding.ts';
import { parseBudgets, type CampaignBudgets } from '../domain/province-campaigns.ts';

export interface Variable<T> {
  /** What a valid value looks like, for the error message. */
  expected: string;
  /** The value, or undefined when the raw text is not valid. */
  parse(raw: string): T | undefined;
}

const text: Variable<string> = { expected: 'a non-empty string', parse: (raw) => (raw.trim() === '' ? undefined : raw) };
const wholeNumber: Variable<number> = { expected: 'a whole number ≥ 1', parse: (raw) => (/^[1-9]\d*$/.test(raw) ? Number(raw) : undefined) };
const clockTime: Variable<string> = { expected: 'a time HH:MM', parse: (raw) => (/^([01]\d|2[0-3]):[0-5]\d$/.test(raw) ? raw : undefined) };
const flag: Variable<boolean> = { expected: '"true" or "false"', parse: (raw) => (raw === 'true' ? true : raw === 'false' ? false : undefined) };
const ceilings: Variable<Ceilings> = {
  expected: 'a JSON object of kind → whole number ≥ 1',
  parse: (raw) => {
    try {
      return parseCeilings(raw);
    } catch {
      return undefined;
    }
  },
};

const brandedKinds: Variable<string[]> = {
  expected: 'a JSON list of message kinds, e.g. ["dossier-accepted"] or []',
  parse: (raw) => {
    try {
      return raw.trim().startsWith('[') ? parseBrandedKinds(raw) : undefined;
    } catch {
      return undefined;
    }
  },
};

export type EnvironmentContract = Readonly<Record<string, Variable<unknown>>>;
export type EnvironmentOf<C extends EnvironmentContract> = { readonly [K in keyof C]: C[K] extends Variable<infer T> ? T : never };

/** Recording messages and queueing them (record-and-queue), with quiet hours deferred to the due-date index. */
export const MESSAGING_ENVIRONMENT = {
  LEDGER_TABLE_NAME: text,
  LEDGER_RETENTION_DAYS: wholeNumber,
  MESSAGE_TEXT_RETENTION_DAYS: wholeNumber,
  CONTACTS_TABLE_NAME: text,
  SEND_QUEUE_URL: text,
  DUE_ITEMS_TABLE_NAME: text,
  QUIET_HOURS_START: clockTime,
  QUIET_HOURS_END: clockTime,
  /** bhxh:brandInText: the kinds whose SMS carries the brand, a JSON list (`[]` for none). */
  BRANDED_KINDS: brandedKinds,
} as const;

export const INTAKE_ENVIRONMENT = {
  ...MESSAGING_ENVIRONMENT,
  URGENT_SEND_QUEUE_URL: text,
  QUARANTINE_QUEUE_URL: text,
  EVENT_BUS_NAME: text,
  CONTROL_TABLE_NAME: text,
  COLLECTIONS_TABLE_NAME: text,
  LOOKUPS_TABLE_NAME: text,
  LOOKUP_RATE_LIMIT_PER_HOUR: wholeNumber,
  OTP_MAX_LIFETIME_MINUTES: wholeNumber,
  /** The Secrets Manager secret whose value keys the HMAC of the phone numbers in the look-up counters. */
  LOOKUP_KEY_SECRET_ARN: text,
  DOSSIERS_TABLE_NAME: text,
  DOSSIER_RETENTION_DAYS: wholeNumber,
  COLLECTION_RETENTION_DAYS: wholeNumber,
  DOSSIER_STATE_MACHINE_ARN: text,
  CAMPAIGN_STATE_MACHINE_ARN: text,
  /** Province campaigns: proposals start an execution; reviews and cancellations answer its waits. */
  CAMPAIGNS_TABLE_NAME: text,
  PROVINCE_CAMPAIGN_STATE_MACHINE_ARN: text,
  /** E-registrations: a submission starts an execution; a review answers its wait. */
  REGISTRATIONS_TABLE_NAME: text,
  REGISTRATION_STATE_MACHINE_ARN: text,
  ORPHAN_RESOLUTION_REPORT_HOURS: wholeNumber,
  SCHEDULE_GROUP_NAME: text,
  SCHEDULE_TARGET_QUEUE_ARN: text,
  SCHEDULE_ROLE_ARN: text,
  /** The key that seals a password or code in a send-queue message (encrypt only: lib/kms.ts). */
  SECRET_KEY_ARN: text,
} as const;

export const SENDER_ENVIRONMENT = {
  LEDGER_TABLE_NAME: text,
  CONTROL_TABLE_NAME: text,
  SMS_SENDER_ID: text,
  SMS_TYPE: { expected: '"Transactional" or "Promotional"', parse: (raw: string) => (raw === 'Transactional' || raw === 'Promotional' ? raw : undefined) },
  SMS_PARTS_PER_SECOND: wholeNumber,
  DAILY_CEILINGS: ceilings,
  /** Province campaigns: a cancelled campaign's queued messages are not sent. */
  CAMPAIGNS_TABLE_NAME: text,
  /** The key that opens a sealed password or code (decrypt only: lib/kms.ts). */
  SECRET_KEY_ARN: text,
  /** E-mail (SPEC rule 12): the From address of the verified domain, the configuration set, SES's rate, the attachments' bucket. */
  EMAIL_FROM: text,
  EMAIL_CONFIGURATION_SET: text,
  EMAILS_PER_SECOND: wholeNumber,
  REPORTS_BUCKET_NAME: text,
} as const;

export const DOSSIER_STEP_ENVIRONMENT = {
  ...MESSAGING_ENVIRONMENT,
  DOSSIERS_TABLE_NAME: text,
  DOSSIER_RETENTION_DAYS: wholeNumber,
  EVENT_BUS_NAME: text,
  DOSSIER_OVERDUE_APOLOGY: flag,
} as const;

export const REGISTRATION_STEP_ENVIRONMENT = {
  ...MESSAGING_ENVIRONMENT,
  REGISTRATIONS_TABLE_NAME: text,
} as const;

export const CAMPAIGN_PAGE_ENVIRONMENT = {
  ...MESSAGING_ENVIRONMENT,
  COLLECTIONS_TABLE_NAME: text,
  REPORTS_BUCKET_NAME: text,
  EVENT_BUS_NAME: text,
} as const;

/** bhxh:campaignMonthlyParts: agency → parts per month, with a `default`. */
const budgets: Variable<CampaignBudgets> = {
  expected: 'a JSON object of agency → whole number of parts, with "default"',
  parse: (raw) => {
    try {
      return parseBudgets(raw);
    } catch {
      return undefined;
    }
  },
};

export const PROVINCE_CAMPAIGN_ENVIRONMENT = {
  LEDGER_TABLE_NAME: text,
  LEDGER_RETENTION_DAYS: wholeNumber,
  MESSAGE_TEXT_RETENTION_DAYS: wholeNumber,
  CONTACTS_TABLE_NAME: text,
  SEND_QUEUE_URL: text,
  QUIET_HOURS_START: clockTime,
  QUIET_HOURS_END: clockTime,
  CAMPAIGNS_TABLE_NAME: text,
  CAMPAIGN_ROWS_TABLE_NAME: text,
  CAMPAIGN_FILES_BUCKET_NAME: text,
  EVENT_BUS_NAME: text,
  SMS_PARTS_PER_SECOND: wholeNumber,
  CAMPAIGN_MONTHLY_PARTS: budgets,
} as const;

export const RECEIPTS_ENVIRONMENT = {
  LEDGER_TABLE_NAME: text,
  CONTROL_TABLE_NAME: text,
} as const;

/** SES's events about e-mails (through the configuration set's EventBridge destination); suppressed addresses go to the contacts table. */
export const EMAIL_RECEIPTS_ENVIRONMENT = {
  LEDGER_TABLE_NAME: text,
  CONTROL_TABLE_NAME: text,
  CONTACTS_TABLE_NAME: text,
} as const;

export const RECEIPT_DEADLINES_ENVIRONMENT = {
  LEDGER_TABLE_NAME: text,
} as const;

/** The ledger's stream to the bus (NotificationStatusChanged): it reads no table, only the stream its mapping hands it. */
export const STATUS_EVENTS_ENVIRONMENT = {
  EVENT_BUS_NAME: text,
} as const;

/** Each function's contract by its handler file (the `entry` lib/ builds it from, and the local run reads from the template). */
export const CONTRACT_OF_ENTRY: Readonly<Record<string, EnvironmentContract>> = {
  'lambdas/functions/intake/handler.ts': INTAKE_ENVIRONMENT,
  'lambdas/functions/sender/handler.ts': SENDER_ENVIRONMENT,
  'lambdas/functions/dossier-step/handler.ts': DOSSIER_STEP_ENVIRONMENT,
  'lambdas/functions/registration-step/handler.ts': REGISTRATION_STEP_ENVIRONMENT,
  'lambdas/functions/campaign-page/handler.ts': CAMPAIGN_PAGE_ENVIRONMENT,
  'lambdas/functions/province-campaign/handler.ts': PROVINCE_CAMPAIGN_ENVIRONMENT,
  'lambdas/functions/receipts/handler.ts': RECEIPTS_ENVIRONMENT,
  'lambdas/functions/email-receipts/handler.ts': EMAIL_RECEIPTS_ENVIRONMENT,
  'lambdas/functions/receipt-deadlines/handler.ts': RECEIPT_DEADLINES_ENVIRONMENT,
  'lambdas/functions/status-events/handler.ts': STATUS_EVENTS_ENVIRONMENT,
};

/** What is wrong with a function's environment against its contract: missing, malformed, or not in it. */
export function environmentProblems(contract: EnvironmentContract, variables: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  try {
    readEnvironment(contract, variables);
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    problems.push(...error.problems);
  }
  for (const name of Object.keys(variables)) if (!(name in contract) && !name.startsWith('POWERTOOLS_')) problems.push(`${name} is set but is not in the contract`);
  return problems;
}

export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`The function's environment does not match its contract: ${problems.join('; ')}`);
    this.name = 'EnvironmentError';
  }
}

/** Reads and checks every variable of the contract; throws one error naming each missing or malformed one. */
export function readEnvironment<C extends EnvironmentContract>(contract: C, source: Readonly<Record<string, string | undefined>> = process.env): EnvironmentOf<C> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, variable] of Object.entries(contract)) {
    const raw = source[name];
    if (raw === undefined) {
      problems.push(`${name} is not set (expected ${variable.expected})`);
      continue;
    }
    const value = variable.parse(raw);
    if (value === undefined) problems.push(`${name} is ${JSON.stringify(raw.slice(0, 80))}, expected ${variable.expected}`);
    else values[name] = value;
  }
  if (problems.length > 0) throw new EnvironmentError(problems);
  return values as EnvironmentOf<C>;
}
