/**
 * Cold start, measured on what Lambda runs: the app is synthesized with
 * bundling (NotifyFunction's esbuild settings), and each function's asset is
 * imported in fresh Node 22 processes with the function's own NODE_OPTIONS;
 * the median import time is compared with an empty handler's. One more row,
 * the sender bundled with the AWS SDK left out (as if taken from the Lambda
 * runtime), answers "bundle the SDK or not".
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { buildApp } from '../lib/app.ts';
import { BUILTINS_BY_REQUIRE } from '../lib/notify-function.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, '.local', 'bench-bundles');
const ASSEMBLY = path.join(ROOT, '.local', 'bench-cdk.out');

export interface ColdStartRow {
  handler: string;
  variant: 'bundled' | 'runtime-sdk';
  bundleBytes: number;
  importMs: number;
  emptyImportMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Time to import `file` in a fresh Node process (the process start itself is not counted). */
function importOnce(file: string, environment: Record<string, string>): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: path.dirname(file),
    env: { PATH: process.env.PATH, AWS_REGION: 'ap-southeast-1', ...environment, POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  return Number(out.toString());
}

/**
 * Median import times of `file` and of the empty handler, measured in
 * alternation: this machine's speed drifts, and alternating keeps the drift
 * out of the difference between the two.
 */
function importMs(file: string, empty: string, runs: number, environment: Record<string, string>): { importMs: number; emptyImportMs: number } {
  const times: number[] = [];
  const emptyTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    emptyTimes.push(importOnce(empty, environment));
    times.push(importOnce(file, environment));
  }
  return { importMs: Math.round(median(times) * 10) / 10, emptyImportMs: Math.round(median(emptyTimes) * 10) / 10 };
}

interface SynthesizedFunction {
  handler: string;
  file: string;
  environment: Record<string, string>;
}

/** Every NotifyFunction of the synthesized stack: its source entry, bundled asset and environment. */
function synthesizedFunctions(): SynthesizedFunction[] {
  rmSync(ASSEMBLY, { recursive: true, force: true });
  const { app } = buildApp({ outdir: ASSEMBLY, nag: false, context: { 'aws:cdk:enable-asset-metadata': true } });
  const assembly = app.synth();
  const template = assembly.stacks[0]!.template as { Resources: Record<string, { Type: string; Metadata?: Record<string, string>; Properties?: any }> };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['bhxh:entry'])
    .map((r) => ({
      handler: r.Metadata!['bhxh:entry']!,
      file: path.join(ASSEMBLY, r.Metadata!['aws:asset:path']!, 'index.mjs'),
      environment: Object.fromEntries(Object.entries(r.Properties?.Environment?.Variables ?? {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    }))
    .sort((a, b) => a.handler.localeCompare(b.handler));
}

async function bundleWithoutSdk(entry: string, outfile: string): Promise<number> {
  await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*', '@smithy/*'],
    alias: Object.fromEntries(Object.entries(BUILTINS_BY_REQUIRE).map(([flag, shim]) => [flag.replace('--alias:', ''), shim])),
    banner: { js: "import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  return statSync(outfile).size;
}

export async function measureColdStarts(runs: number): Promise<ColdStartRow[]> {
  mkdirSync(OUT, { recursive: true });
  const functions = synthesizedFunctions();
  const empty = path.join(OUT, 'empty.mjs');
  writeFileSync(empty, 'export const handler = async () => {};\n');
  const rows: ColdStartRow[] = [];
  for (const fn of functions) {
    // The empty handler runs under the same environment (NODE_OPTIONS included) as the function.
    rows.push({ handler: fn.handler, variant: 'bundled', bundleBytes: statSync(fn.file).size, ...importMs(fn.file, empty, runs, fn.environment) });
  }
  const sender = functions.find((f) => f.handler === 'lambdas/functions/sender/handler.ts')!;
  // Left in node_modules, the SDK loads as it would from the runtime's own copy.
  const outfile = path.join(ROOT, '.local', 'sdk-external', 'sender.mjs');
  mkdirSync(path.dirname(outfile), { recursive: true });
  const bundleBytes = await bundleWithoutSdk(sender.handler, outfile);
  rows.push({ handler: sender.handler, variant: 'runtime-sdk', bundleBytes, ...importMs(outfile, empty, runs, sender.environment) });
  return rows;
}
