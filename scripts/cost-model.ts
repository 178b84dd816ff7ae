/**
 * `npm run cost`: the cost model in docs/cost.md, computed from the stack's
 * own per-message counts. Each kind of message is driven through the local
 * run (the synthesized stack, the real handlers, DynamoDB Local), and what it
 * uses is counted: Lambda invocations and their duration, Step Functions state
 * transitions, DynamoDB capacity units as DynamoDB reports them (indexes and
 * transactions included), SQS requests, EventBridge events, Scheduler
 * invocations, log bytes. Prices come from docs/prices.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { now } from '../lambdas/commons/clock.ts';
import { LocalSystem } from '../local/runtime.ts';
import { LocalQueue } from '../local/queues.ts';
import { countDynamoRequests, since, snapshot } from '../bench/requests.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const prices = JSON.parse(readFileSync(path.join(ROOT, 'docs', 'prices.json'), 'utf8')) as Record<string, { usd: number; source: string }>;
const price = (key: string) => prices[key]!.usd;

/** Messages per scenario: a campaign page holds 100, so campaign overheads are amortized as in a real run. */
const N = 100;
const LAMBDA_GB = 0.5;
/** Bytes of one SNS delivery-status log line (one per SMS, successes sampled at 100 %). */
const SNS_STATUS_LOG_BYTES = 700;
/** Bytes of one Step Functions execution-history log line (level ALL, no execution data). */
const SFN_LOG_LINE_BYTES = 350;
/** X-Ray's default sampling: 1 a second, then 5 %: at national volume, about 5 % of requests are traced. */
const XRAY_SAMPLED = 0.05;

interface Usage {
  sms: number;
  parts: number;
  lambdaInvocations: number;
  lambdaMs: number;
  transitions: number;
  sfnHistoryEvents: number;
  readUnits: number;
  writeUnits: number;
  sqsRequests: number;
  events: number;
  schedulerInvocations: number;
  logBytes: number;
  executions: number;
}

// ---- instrumentation ----

let lambdaInvocations = 0;
let lambdaMs = 0;
let sqsRequests = 0;
let schedulerInvocations = 0;
let logBytes = 0;

const originalSend = LocalQueue.prototype.send;
LocalQueue.prototype.send = function (this: LocalQueue, body: string, ...rest: any[]) {
  sqsRequests += 1;
  // A Scheduler delivery is shaped as an event whose id the stack's schedules set.
  if (/"id":"(schedule-|campaign-|receipt-deadlines-)/.test(body)) schedulerInvocations += 1;
  return originalSend.call(this, body, ...(rest as []));
};
const originalReceive = LocalQueue.prototype.receive;
LocalQueue.prototype.receive = function (this: LocalQueue, max: number, visibility?: number) {
  const batch = originalReceive.call(this, max, visibility);
  // The Lambda poller: one ReceiveMessage, and one DeleteMessageBatch for what it handled.
  if (batch.length > 0) sqsRequests += 2;
  return batch;
};

function countLogs<T>(run: () => Promise<T>): Promise<T> {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const counting = (chunk: unknown) => {
    logBytes += Buffer.byteLength(String(chunk));
    return true;
  };
  process.stdout.write = counting as typeof process.stdout.write;
  process.stderr.write = counting as typeof process.stderr.write;
  return run().finally(() => {
    process.stdout.write = out;
    process.stderr.write = err;
  });
}

// ---- scenarios ----

const entry = (source: string, detailType: string, detail: Record<string, unknown>, time: string): PutEventsRequestEntry => ({
  Source: source,
  DetailType: detailType,
  Detail: JSON.stringify(detail),
  EventBusName: 'bhxh-notify',
  Time: new Date(time),
});
const phone = (i: number, base: number) => `09${String(base + i).padStart(8, '0')}`;
const pad = (i: number) => String(i).padStart(4, '0');

interface Scenario {
  kind: string;
  label: string;
  /** Facts that exist before the message's story starts (contacts, read models): not counted. */
  setup?: (i: number) => PutEventsRequestEntry[];
  measured: (i: number) => PutEventsRequestEntry[];
  /** After the measured events: jump the clock to `from` (nothing fires) and run it to `to` (what is due fires). */
  then?: { from: string; to: string };
}

const DAY = '2018-12-03';
const at = (hhmm: string, day = DAY) => `${day}T${hhmm}:00+07:00`;

const scenarios: Scenario[] = [
  {
    kind: 'unit-payment-received',
    label: 'Payment received (TST → employer)',
    measured: (i) => [entry('vn.gov.bhxh.tst', 'UnitPaymentReceived', { paymentId: `PT-C-${pad(i)}`, unitCode: `U${pad(i)}`, unitName: 'Cong ty TNHH Minh Phat', amount: 12_500_000, receivedAt: at('08:59'), agency: 'BHXH quan Ba Dinh', phone: phone(i, 11_000_000) }, at('09:00'))],
  },
  {
    kind: 'contribution-stopped',
    label: 'Contribution stopped (TST → worker)',
    measured: (i) => [entry('vn.gov.bhxh.tst', 'EmployeeContributionStopped', { personId: String(3_000_000_000 + i), fullName: 'Nguyen Van An', gender: 'male', unitCode: 'CJKE01', unitName: 'Cong ty TNHH Minh Phat', fromMonth: '2018-11', phone: phone(i, 12_000_000) }, at('09:10'))],
  },
  {
    kind: 'dossier',
    label: 'Dossier accepted + resolved (TNHS → citizen), Step Functions',
    setup: (i) => [entry('vn.gov.bhxh.tst', 'ContactUpdated', { subjectType: 'person', subjectId: String(3_100_000_000 + i), name: 'Nguyen Van An', phone: phone(i, 13_000_000) }, at('09:20'))],
    measured: (i) => [
      entry('vn.gov.bhxh.tnhs', 'DossierReceived', { dossierNo: `${pad(i)}/2018/00001`, subjectType: 'person', subjectId: String(3_100_000_000 + i), valid: true, expectedResultDate: '2018-12-06' }, at('09:30')),
      entry('vn.gov.bhxh.tnhs', 'DossierResolved', { dossierNo: `${pad(i)}/2018/00001`, resolvedAt: at('10:00') }, at('10:00')),
    ],
  },
  {
    kind: 'otp',
    label: 'VssID one-time code (DVC → citizen), urgent path',
    setup: (i) => [entry('vn.gov.bhxh.tst', 'ContactUpdated', { subjectType: 'person', subjectId: String(3_200_000_000 + i), name: 'Nguyen Van An', phone: phone(i, 14_000_000) }, at('10:10'))],
    measured: (i) => [entry('vn.gov.bhxh.dvc', 'OtpIssued', { personId: String(3_200_000_000 + i), purpose: 'device-login', code: '482913', expiresAt: at('10:25') }, at('10:20'))],
  },
  {
    kind: 'lookup',
    label: '8079 look-up and its reply (gateway → citizen)',
    setup: (i) => [
      entry('vn.gov.bhxh.tst', 'ContactUpdated', { subjectType: 'person', subjectId: String(3_300_000_000 + i), name: 'Nguyen Van An', phone: phone(i, 15_000_000) }, at('10:30')),
      entry('vn.gov.bhxh.tst', 'ContributionHistoryUpdated', { personId: String(3_300_000_000 + i), periods: [{ from: '2012-01', to: '2018-10', unitCode: 'CJKE01', unitName: 'Cong ty TNHH Minh Phat', scheme: 'compulsory' }] }, at('10:31')),
    ],
    measured: (i) => [entry('vn.gov.bhxh.smsgw', 'InboundSmsReceived', { messageId: `gw-cost-${i}`, from: phone(i, 15_000_000), to: '8079', body: `BH QT ${3_300_000_000 + i}`, receivedAt: at('10:40') }, at('10:40'))],
  },
  {
    kind: 'collection-confirmed',
    label: "Collection confirmed (TCDVT → participant), and the collector's form 01-XN next morning",
    measured: (i) => [
      entry('vn.gov.bhxh.tcdvt', 'CollectionPaymentConfirmed', { confirmationCode: `XN${pad(i)}`, collectorCode: 'BD0001', personId: String(3_400_000_000 + i), fullName: 'Nguyen Van An', paidAt: at('11:00'), amount: 1_980_000, scheme: 'voluntary-social', months: 6, phone: phone(i, 16_000_000) }, at('11:00')),
    ],
    then: { from: at('07:29', '2018-12-04'), to: at('07:31', '2018-12-04') },
  },
  {
    kind: 'health-card-expiring',
    label: 'Household card ends in 30 days (campaign at 08:00)',
    setup: (i) => [entry('vn.gov.bhxh.tst', 'ContactUpdated', { subjectType: 'person', subjectId: String(3_500_000_000 + i), name: 'Nguyen Van An', phone: phone(i, 17_000_000) }, at('09:00', '2018-12-04'))],
    measured: (i) => [entry('vn.gov.bhxh.tst', 'HealthCardIssued', { cardNo: `GD4${String(100_000_000_000 + i)}`, personId: String(3_500_000_000 + i), fullName: 'Nguyen Van An', validTo: '2019-01-10', scheme: 'household' }, at('09:10', '2018-12-04'))],
    then: { from: at('07:59', '2018-12-11'), to: at('08:01', '2018-12-11') },
  },
  {
    kind: 'unit-monthly-statement',
    label: "Employer's monthly statement (campaign on the 1st; the facilities' summary on the 6th is the same path)",
    setup: (i) => [entry('vn.gov.bhxh.tst', 'ContactUpdated', { subjectType: 'unit', subjectId: `S${pad(i)}`, name: 'Cong ty TNHH Minh Phat', phone: phone(i, 18_000_000) }, at('09:00', '2018-12-12'))],
    measured: (i) => [entry('vn.gov.bhxh.tst', 'UnitMonthlyStatement', { unitCode: `S${pad(i)}`, unitName: 'Cong ty TNHH Minh Phat', month: '2018-12', paidAmount: 125_000_000, carriedOverAmount: 0, expectedAmount: 126_500_000, agency: 'BHXH quan Ba Dinh' }, at('09:10', '2018-12-12'))],
    then: { from: at('07:59', '2019-01-01'), to: at('08:01', '2019-01-01') },
  },
];

async function publish(system: LocalSystem, entries: PutEventsRequestEntry[]): Promise<void> {
  for (const e of entries) {
    if (e.Time && e.Time > now()) await system.advanceClock(e.Time);
    const result = await system.putEvents([e]);
    if (result.failed > 0) throw new Error(`${e.DetailType} refused: ${result.errors.join('; ')}`);
    await system.drain();
  }
}

async function measure(system: LocalSystem, scenario: Scenario): Promise<Usage> {
  const quarantine = system.queueByLogicalPrefix('EventIntakeQuarantine');
  const quarantined = quarantine.messages.length;
  // Set-up logs are not the message's: counted, then dropped.
  await countLogs(async () => {
    for (let i = 0; i < N; i++) await publish(system, scenario.setup?.(i) ?? []);
  });
  const outboxBefore = system.outbox.length;
  const executionsBefore = new Set(system.executions.keys());
  const dynamoBefore = snapshot();
  const counters = { lambdaInvocations, lambdaMs, sqsRequests, schedulerInvocations, logBytes };
  const busBefore = system.busEvents.length;
  await countLogs(async () => {
    for (let i = 0; i < N; i++) await publish(system, scenario.measured(i));
    if (scenario.then) {
      system.jumpClock(new Date(scenario.then.from));
      await system.advanceClock(new Date(scenario.then.to));
    }
    await system.drain();
  });
  const dynamo = since(dynamoBefore);
  if (quarantine.messages.length > quarantined) {
    const first = quarantine.messages.at(-1)!;
    throw new Error(`scenario ${scenario.kind}: events were quarantined (${first.messageAttributes.errors?.StringValue})`);
  }
  const sent = system.outbox.slice(outboxBefore);
  const histories = [...system.executions.entries()].filter(([name]) => !executionsBefore.has(name)).map(([, e]) => e.history as Array<{ type: string }>);
  return {
    sms: sent.length,
    parts: sent.reduce((n, l) => n + l.segments, 0),
    lambdaInvocations: lambdaInvocations - counters.lambdaInvocations,
    lambdaMs: lambdaMs - counters.lambdaMs,
    transitions: histories.reduce((n, h) => n + h.filter((e) => e.type === 'StateEntered').length, 0),
    sfnHistoryEvents: histories.reduce((n, h) => n + h.length, 0),
    readUnits: dynamo.readUnits,
    writeUnits: dynamo.writeUnits,
    sqsRequests: sqsRequests - counters.sqsRequests,
    events: system.busEvents.length - busBefore,
    executions: histories.length,
    schedulerInvocations: schedulerInvocations - counters.schedulerInvocations,
    logBytes: logBytes - counters.logBytes,
  };
}

interface PerMessage {
  kind: string;
  label: string;
  smsPerRun: number;
  parts: number;
  counts: Record<string, number>;
  costs: Record<string, number>;
  nonSms: number;
  smsCost: number;
}

function perMessage(scenario: Scenario, u: Usage): PerMessage {
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
  return { kind: scenario.kind, label: scenario.label, smsPerRun: m, parts: u.parts / m, counts, costs, nonSms, smsCost: (u.parts / m) * price('smsPerPartVietnam') };
}

/** A year at national scale: how many messages of each kind, and why. */
const YEAR: Array<{ kind: string; messages: number; why: string }> = [
  { kind: 'dossier', messages: 94_000_000, why: '47 million dossiers, each told "accepted" and "resolved"' },
  { kind: 'unit-payment-received', messages: 4_800_000, why: '400,000 employers, a payment a month' },
  { kind: 'unit-monthly-statement', messages: 4_956_000, why: "400,000 employers' statements and 13,000 facilities' summaries, monthly" },
  { kind: 'contribution-stopped', messages: 3_400_000, why: '17 million insured workers, one in five changing or leaving a job a year' },
  { kind: 'health-card-expiring', messages: 20_000_000, why: '20 million household cards, one reminder a year' },
  { kind: 'collection-confirmed', messages: 20_000_000, why: 'the renewals of those cards and voluntary payments, paid through collection services' },
  { kind: 'otp', messages: 17_000_000, why: 'one VssID code a year per insured worker' },
  { kind: 'lookup', messages: 5_000_000, why: '8079 look-ups (each answered once)' },
];

const usd = (x: number, digits = 2) => `$${x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
const num = (x: number, digits = 2) => x.toLocaleString('en-US', { maximumFractionDigits: digits });

async function main(): Promise<void> {
  countDynamoRequests();
  const system = await LocalSystem.start({
    logLevel: 'INFO',
    onInvoke: (_entry, ms) => {
      lambdaInvocations += 1;
      lambdaMs += Math.max(1, ms);
    },
  });
  const rows: PerMessage[] = [];
  let sizes = { metadata: 0, content: 0 };
  try {
    system.setClock(new Date(at('08:30')));
    for (const scenario of scenarios) {
      const usage = await measure(system, scenario);
      if (usage.sms === 0) throw new Error(`scenario ${scenario.kind} sent nothing`);
      rows.push(perMessage(scenario, usage));
      process.stderr.write(`${scenario.kind}: ${usage.sms} SMS measured\n`);
    }
    const items = await system.scan<Record<string, unknown>>('Ledger');
    const size = (list: Array<Record<string, unknown>>) => list.reduce((n, i) => n + Buffer.byteLength(JSON.stringify(i)), 0) / Math.max(1, list.length);
    sizes = { metadata: size(items.filter((i) => !String(i.key).startsWith('content#'))), content: size(items.filter((i) => String(i.key).startsWith('content#'))) };
  } finally {
    await system.stop();
  }
  writeFileSync(path.join(ROOT, 'docs', 'cost.md'), render(rows, sizes));
  process.stdout.write(`wrote docs/cost.md\n`);
}

function render(rows: PerMessage[], sizes: { metadata: number; content: number }): string {
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  const componentNames = Object.keys(rows[0]!.costs);
  const countNames = Object.keys(rows[0]!.counts);
  const lines: string[] = [];
  lines.push('# Cost model', '');
  lines.push('Generated by `npm run cost` (scripts/cost-model.ts) from the stack itself: each kind of message is driven');
  lines.push(`${N} times through the local run (the synthesized stack, the real handlers, the synthesized state machines, DynamoDB Local),`);
  lines.push('and what it uses is counted. Prices are in `docs/prices.json` (list prices, Singapore; copied by hand, check them before budgeting).');
  lines.push('Do not edit this file: change the prices or the code and run `npm run cost`.', '');
  lines.push('How each count is taken:', '');
  lines.push('- **Lambda**: every invocation of a stack function, and its duration on this machine against DynamoDB Local (slower than DynamoDB, so the GB-s are an upper bound), at 512 MB.');
  lines.push('- **Step Functions**: states entered in the executions the messages caused (Standard workflows bill per transition).');
  lines.push('- **DynamoDB**: the capacity units DynamoDB Local reports for every request (`ReturnConsumedCapacity`), which include index writes and the double price of transactions; a failed conditional write is counted as 1 unit (DynamoDB bills it; the local engine does not report it).');
  lines.push('- **SQS**: every SendMessage, and per batch a poll and a batch delete.');
  lines.push('- **EventBridge**: the events published to the bus (upstream facts and our own). **Scheduler**: the ticks and one-time schedules that fired.');
  lines.push(`- **Logs**: the handlers' log bytes at INFO, plus ${SFN_LOG_LINE_BYTES} bytes per state machine history event (logging level ALL, no data) and ${SNS_STATUS_LOG_BYTES} bytes of SNS delivery-status log per SMS.`);
  lines.push(`- **X-Ray**: ${XRAY_SAMPLED * 100} % of requests traced (the default sampling rule at volume).`, '');
  lines.push('## What one message uses', '');
  lines.push(`| kind | SMS parts | ${countNames.join(' | ')} |`);
  lines.push(`| --- | ---: | ${countNames.map(() => '---:').join(' | ')} |`);
  for (const r of rows) lines.push(`| ${r.kind} | ${num(r.parts)} | ${countNames.map((c) => num(r.counts[c]!, 3)).join(' | ')} |`);
  lines.push('', '## Cost per million messages, next to the SMS itself', '');
  lines.push(`| kind | ${componentNames.join(' | ')} | **all but SMS** | SMS | share of the SMS bill |`);
  lines.push(`| --- | ${componentNames.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`);
  for (const r of rows) {
    lines.push(`| ${r.kind} | ${componentNames.map((c) => usd(r.costs[c]! * 1e6)).join(' | ')} | **${usd(r.nonSms * 1e6)}** | ${usd(r.smsCost * 1e6, 0)} | ${(100 * (r.nonSms / r.smsCost)).toFixed(2)} % |`);
  }
  lines.push('', `Scenarios: ${rows.map((r) => `\`${r.kind}\`: ${r.label}`).join('; ')}.`);
  lines.push('', '## A year at national scale', '');
  lines.push('| kind | messages a year | why | all but SMS | SMS |');
  lines.push('| --- | ---: | --- | ---: | ---: |');
  let totalNon = 0;
  let totalSms = 0;
  let totalMessages = 0;
  for (const y of YEAR) {
    const r = byKind.get(y.kind)!;
    totalNon += r.nonSms * y.messages;
    totalSms += r.smsCost * y.messages;
    totalMessages += y.messages;
    lines.push(`| ${y.kind} | ${num(y.messages, 0)} | ${y.why} | ${usd(r.nonSms * y.messages, 0)} | ${usd(r.smsCost * y.messages, 0)} |`);
  }
  // Steady-state storage: metadata kept 400 days, texts 30 days, plus DynamoDB's 100 bytes per item, and the same again for PITR.
  const metadataGb = (totalMessages * (400 / 365) * (sizes.metadata + 100)) / 1e9;
  const contentGb = (totalMessages * (30 / 365) * (sizes.content + 100)) / 1e9;
  const storageYear = (metadataGb + contentGb) * 12 * (price('dynamoStorageGbMonth') + price('dynamoPitrGbMonth'));
  const fixedYear = price('fixedMonthly') * 12;
  const overall = totalNon + storageYear + fixedYear;
  lines.push(`| ledger storage and backups | | ${num(metadataGb, 0)} GB of metadata (${num(sizes.metadata, 0)} B an item, 400 days) and ${num(contentGb, 0)} GB of texts (${num(sizes.content, 0)} B, 30 days) | ${usd(storageYear, 0)} | |`);
  lines.push(`| dashboard, alarms, metrics, keys | | fixed | ${usd(fixedYear, 0)} | |`);
  lines.push(`| **total** | **${num(totalMessages, 0)}** | | **${usd(overall, 0)}** | **${usd(totalSms, 0)}** |`);
  lines.push('', `Everything but the SMS: **${(100 * (overall / totalSms)).toFixed(2)} %** of the SMS bill (goal: under 2 %).`);
  lines.push('', 'Not in the model: contact and read-model upkeep (ContactUpdated, ContributionHistoryUpdated, HealthCardIssued for non-household cards), which depends on how often upstream systems publish them; data transfer (all in one region); support plans.');
  return `${lines.join('\n')}\n`;
}

await main();
