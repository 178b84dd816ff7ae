/**
 * `npm run bench`: performance numbers, printed as a table and written to
 * bench/results.json with the machine and date. `--quick` is the CI version
 * (under a minute). Goals are checked and printed here, never in unit tests.
 *
 *   npm run bench                      full (under 10 minutes on a 2-core machine)
 *   npm run bench -- --quick           short runs, smaller tables
 *   npm run bench -- --campaign 100000 also a 100,000-message campaign end to end (about 4 minutes more)
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { measureColdStarts } from './cold-start.ts';
import { measureCore } from './core.ts';
import { runCampaignBench } from './campaign.ts';
import { runCampaignHistoryBench } from './campaign-history.ts';
import { runDueJobBench } from './due-job.ts';
import { runProvinceCampaignBench } from './province-campaign.ts';
import { countDynamoRequests } from './requests.ts';
import { runSenderBench } from './sender.ts';
import { senderScale } from './sender-scale.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    campaign: { type: 'string' },
    'campaign-cap': { type: 'string' },
  },
});
const quick = values.quick;
const started = performance.now();
countDynamoRequests();

const coldStart = await measureColdStarts(quick ? 3 : 15);
const core = measureCore(quick ? 20_000 : 200_000);
const dynamo = await startDynamoDbLocal();
const senderRuns = [];
// One-part messages at the default quota's scale; senderScale covers 100 and 1,000 parts/s with 3-part messages.
for (const cap of [20]) senderRuns.push(await runSenderBench(dynamo.endpoint, cap, quick ? 3 : 30));
// A quick run draws its chart in the temp directory: docs/ keeps the full run's.
const scaleRuns = await senderScale({ dynamoEndpoint: dynamo.endpoint, seconds: quick ? 3 : 20, ...(quick ? { chartPath: path.join(os.tmpdir(), 'sender-scale.svg') } : {}) });
const dueJob = await runDueJobBench(dynamo.endpoint, quick ? 5_000 : 100_000, quick ? 25_000 : 1_000_000);
const provinceCampaign = await runProvinceCampaignBench(dynamo.endpoint, quick ? 5_000 : 100_000, 1_000);
await dynamo.stop();
const campaignHistory = await runCampaignHistoryBench();
const campaign = values.campaign ? await runCampaignBench(Number(values.campaign), Number(values['campaign-cap'] ?? 500)) : undefined;

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
// A quick run is a smoke test of the benchmark itself: too short to judge a goal (JIT and DynamoDB Local still warming up).
const mark = (ok: boolean) => (quick ? 'quick: not judged' : ok ? 'met' : 'MISSED');
const coldRows = coldStart.filter((r) => r.variant === 'bundled');
console.log('\nCold start: median import of the bundled handler in a fresh Node 22 process (goal: < 100 ms over the empty handler, bundle < 1 MB)');
console.table(
  coldStart.map((r) => ({
    handler: r.handler,
    sdk: r.variant,
    bundle: kb(r.bundleBytes),
    'import ms': r.importMs,
    'empty handler ms': r.emptyImportMs,
    'over empty ms': Math.round((r.importMs - r.emptyImportMs) * 10) / 10,
    goal: r.variant === 'bundled' ? mark(r.importMs - r.emptyImportMs < 100 && r.bundleBytes < 1024 * 1024) : '',
  })),
);
console.log('\nMessage core: render + transliterate + count parts, one core');
console.table([{ messages: core.messages, seconds: core.seconds, 'messages/s': core.messagesPerSecond }]);

console.log('\nSender: one-part messages through the real sender into the rate-capped outbox (goal: achieved / cap ≥ 0.95, no duplicate, none missing)');
console.table(
  senderRuns.map((r) => ({
    'cap parts/s': r.capPartsPerSecond,
    messages: r.messages,
    'achieved parts/s': r.achievedPartsPerSecond,
    'achieved / cap': r.ratio,
    duplicates: r.duplicates,
    missing: r.missing,
    'DynamoDB reads/msg': r.readsPerMessage,
    'DynamoDB writes/msg': r.writesPerMessage,
    goal: mark(r.ratio >= 0.95 && r.duplicates === 0 && r.missing === 0),
  })),
);

console.log('\nSender at provider scale: 3-part messages, caps of 100 and 1,000 parts/s (goal: ≥ 0.95 of the cap, no duplicate, none missing, hottest item ≤ 300 writes/s)');
console.table(
  scaleRuns.map((r) => ({
    'cap parts/s': r.capPartsPerSecond,
    'achieved / cap': r.ratio,
    duplicates: r.duplicates,
    missing: r.missing,
    'hottest item writes/s': r.hottestItemWritesPerSecond,
    'quota item writes/s': r.quotaItemWritesPerSecond,
    'kind counter writes/s': r.kindCounterWritesPerSecond,
    'DynamoDB requests/msg': r.dynamoRequestsPerMessage,
    'duplicate window p99 ms': r.duplicateWindowMs.p99,
    goal: mark(r.ratio >= 0.95 && r.duplicates === 0 && r.missing === 0 && r.hottestItemWritesPerSecond <= 300),
  })),
);

console.log(`\nDaily due-date job: household cards over a year of end dates; a day with ${dueJob.itemsDue} due (goal: read / due ≤ 1.05, time flat as the table grows)`);
console.table(
  dueJob.runs.map((r) => ({
    'cards in table': r.tableItems,
    'due that day': r.itemsDue,
    read: r.itemsRead,
    'read / due': r.readRatio,
    'run s': r.runSeconds,
    queued: r.messagesQueued,
    'DynamoDB requests': r.dynamoRequests,
    goal: mark(r.readRatio <= 1.05),
  })),
);
console.log(`time at ${dueJob.runs[1]!.tableItems} / time at ${dueJob.runs[0]!.tableItems}: ${dueJob.timeRatio}`);

console.log(`\nCampaign history: events per execution against Step Functions' ${campaignHistory.quota} (goal: largest kind-day ≥ 20,000,000 due items)`);
console.table([
  {
    'events / 1,000 items': campaignHistory.eventsPerThousandItems,
    'of which in the day': campaignHistory.dayEventsPerThousandItems,
    'events of a full part': campaignHistory.fullPartEvents,
    'largest kind-day': campaignHistory.largestDayItems,
    goal: campaignHistory.largestDayItems >= 20_000_000 ? 'met' : 'MISSED',
  },
]);

console.log(
  `\nProvince campaign: ${provinceCampaign.rows} rows validated, written, handed over and sent by the real sender capped at ${provinceCampaign.capPartsPerSecond} parts/s (goal: 0 duplicates, 0 missing)`,
);
console.table([
  {
    'validate ms': provinceCampaign.validateMs,
    'validate heap MiB': provinceCampaign.validateHeapMiB,
    'rows kept MiB': provinceCampaign.validateRetainedMiB,
    'validate step ms': provinceCampaign.validateStepMs,
    'rows written': provinceCampaign.rowsWritten,
    'hand-over s': provinceCampaign.handOverSeconds,
    'send s': provinceCampaign.sendSeconds,
    'achieved parts/s': provinceCampaign.achievedPartsPerSecond,
    duplicates: provinceCampaign.duplicates,
    missing: provinceCampaign.missing,
    goal: provinceCampaign.duplicates === 0 && provinceCampaign.missing === 0 && provinceCampaign.rowsWritten === provinceCampaign.accepted ? 'met' : 'MISSED',
  },
]);

if (campaign) {
  console.log(`\nCampaign: ${campaign.itemsDue} messages due on the day, end to end into the outbox capped at ${campaign.capPartsPerSecond} parts/s`);
  console.table([
    {
      'read / due': campaign.readRatio,
      'achieved parts/s': campaign.achievedPartsPerSecond,
      'achieved / cap': campaign.ratio,
      duplicates: campaign.duplicates,
      missing: campaign.missing,
      'run s': campaign.runSeconds,
    },
  ]);
}

// The headline sender figures are those at the higher cap; both runs are kept under sender.runs.
const headline = senderRuns.at(-1)!;
const results = {
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  },
  date: new Date().toISOString(),
  quick,
  seconds: Math.round((performance.now() - started) / 1000),
  sender: {
    capPartsPerSecond: headline.capPartsPerSecond,
    achievedPartsPerSecond: headline.achievedPartsPerSecond,
    ratio: headline.ratio,
    duplicates: senderRuns.reduce((n, r) => n + r.duplicates, 0),
    missing: senderRuns.reduce((n, r) => n + r.missing, 0),
    readsPerMessage: headline.readsPerMessage,
    writesPerMessage: headline.writesPerMessage,
    runs: senderRuns,
  },
  // The chart's per-second series stays in docs/sender-scale.svg.
  senderScale: scaleRuns.map(({ partsPerSecond: _series, requestsByOperation: _operations, ...run }) => run),
  dueJob,
  coldStart: coldRows.map(({ handler, bundleBytes, importMs, emptyImportMs }) => ({ handler, bundleBytes, importMs, emptyImportMs })),
  coldStartRuntimeSdk: coldStart.filter((r) => r.variant === 'runtime-sdk'),
  core,
  campaignHistory,
  provinceCampaign,
  ...(campaign ? { campaign } : {}),
};
writeFileSync(path.join(import.meta.dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${results.seconds} s. Written to ${path.relative(process.cwd(), path.join(import.meta.dirname, 'results.json'))}`);
