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

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;

const coldStart = await measureColdStarts(quick ? 5 : 21);
const core = measureCore(quick ? 20_000 : 200_000);

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

const results = {
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.arch()}` },
  date: new Date().toISOString(),
  quick,
  coldStart,
  core,
};
writeFileSync(path.join(import.meta.dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nWritten to ${path.relative(process.cwd(), path.join(import.meta.dirname, 'results.json'))}`);
