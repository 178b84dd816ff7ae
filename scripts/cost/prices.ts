/**
 * The price model: list prices from docs/prices.json, and what one message of
 * a kind costs given what a scenario measured (the meter's Usage).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Usage } from './meter.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const prices = JSON.parse(readFileSync(path.join(ROOT, 'docs', 'prices.json'), 'utf8')) as Record<string, { usd: number; source: string }>;

export const price = (key: string): number => {
  const entry = prices[key];
  if (!entry) throw new Error(`docs/prices.json has no price ${key}`);
  return entry.usd;
};

/** Memory of every function (GB): what the GB-seconds are billed at. */
export const LAMBDA_GB = 0.5;
/** Bytes of one SNS delivery-status log line (one per SMS, successes sampled at 100 %). */
export const SNS_STATUS_LOG_BYTES = 700;
/** Bytes of one Step Functions execution-history log line (level ALL, no execution data). */
export const SFN_LOG_LINE_BYTES = 350;
/** X-Ray's default sampling: 1 a second, then 5 %: at national volume, about 5 % of requests are traced. */
export const XRAY_SAMPLED = 0.05;

export interface PerMessage {
  kind: string;
  label: string;
  smsPerRun: number;
  parts: number;
  counts: Record<string, number>;
  costs: Record<string, number>;
  nonSms: number;
  smsCost: number;
}

/** What one message of `kind` uses and costs, from the usage of a run that sent `u.sms` of them. */
export function perMessage(kind: string, label: string, u: Usage): PerMessage {
  const m = u.sms;
  const per = (x: number) => x / m;
  const counts = {
    'Lambda invocations': per(u.lambdaInvocations),
    'Lambda GB-s': per((u.lambdaMs / 1000) * LAMBDA_GB),
    'Step Functions transitions': per(u.transitions),
    'DynamoDB read units': per(u.readUnits),
    'DynamoDB write units': per(u.writeUnits),
    'SQS requests': per(u.sqsRequests),
    'EventBridge events': per(u.events),
    'Scheduler invocations': per(u.schedulerInvocations),
    'log KB': per(u.logBytes + u.sfnHistoryEvents * SFN_LOG_LINE_BYTES) / 1024 + SNS_STATUS_LOG_BYTES / 1024,
  };
  const costs = {
    Lambda: counts['Lambda invocations'] * price('lambdaRequest') + counts['Lambda GB-s'] * price('lambdaGbSecondArm'),
    'Step Functions': counts['Step Functions transitions'] * price('stepFunctionsTransition'),
    DynamoDB: counts['DynamoDB read units'] * price('dynamoReadUnit') + counts['DynamoDB write units'] * price('dynamoWriteUnit'),
    SQS: counts['SQS requests'] * price('sqsRequest'),
    EventBridge: counts['EventBridge events'] * price('eventBridgeEvent'),
    Scheduler: counts['Scheduler invocations'] * price('schedulerInvocation'),
    'CloudWatch Logs': (counts['log KB'] / 1024 / 1024) * price('logsIngestedGb'),
    'X-Ray': (counts['Lambda invocations'] + per(u.executions)) * XRAY_SAMPLED * price('xrayTrace'),
  };
  const nonSms = Object.values(costs).reduce((a, b) => a + b, 0);
  return { kind, label, smsPerRun: m, parts: u.parts / m, counts, costs, nonSms, smsCost: (u.parts / m) * price('smsPerPartVietnam') };
}
