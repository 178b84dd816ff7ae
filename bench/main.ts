/**
 * `npm run bench`: performance numbers, printed as a table and written to
 * bench/results.json with the machine and date. `--quick` runs fewer
 * repetitions (for CI). Targets are checked here, never in unit tests.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measureColdStarts } from './cold-start.ts';
import { measureCore } from './core.ts';
import { runCampaignBench } from './campaign.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'campaign-items': { type: 'string' },
    'campaign-cap': { type: 'string' },
  },
});
const quick = values.quick;
const campaignItems = Number(values['campaign-items'] ?? (quick ? 1_000 : 100_000));
const campaignCap = Number(values['campaign-cap'] ?? (quick ? 200 : 500));

const coldStart = await measureColdStarts(quick ? 5 : 21);
const core = measureCore(quick ? 20_000 : 200_000);
const campaign = await runCampaignBench(campaignItems, campaignCap);

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
console.log('\nCold start (median import of the bundled handler in a fresh Node process)');
console.table(
  coldStart.map((r) => ({
    handler: r.handler,
    sdk: r.variant,
    bundle: kb(r.bundleBytes),
    'import ms': r.importMs,
    'empty handler ms': r.emptyImportMs,
    'over empty ms': Math.round((r.importMs - r.emptyImportMs) * 10) / 10,
  })),
);
console.log('\nMessage core (render + transliterate + count parts, one core)');
console.table([{ messages: core.messages, seconds: core.seconds, 'messages/s': core.messagesPerSecond }]);

console.log(`\nCampaign: ${campaign.itemsDue} items due on the day, ${campaign.itemsOtherDays} on other days; daily run end to end into the rate-capped outbox`);
console.table([
  {
    'items read': campaign.itemsRead,
    'items due': campaign.itemsDue,
    'read / due': campaign.readRatio,
    'cap parts/s': campaign.capPartsPerSecond,
    'achieved parts/s': campaign.achievedPartsPerSecond,
    'achieved / cap': campaign.ratio,
    duplicates: campaign.duplicates,
    missing: campaign.missing,
    'run s': campaign.runSeconds,
  },
]);

const results = {
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.arch()}` },
  date: new Date().toISOString(),
  quick,
  coldStart,
  core,
  campaign,
  dueJob: { itemsDue: campaign.itemsDue, itemsRead: campaign.itemsRead, readRatio: campaign.readRatio },
};
writeFileSync(path.join(import.meta.dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nWritten to ${path.relative(process.cwd(), path.join(import.meta.dirname, 'results.json'))}`);
