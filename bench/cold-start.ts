/**
 * Cold start, measured as Lambda pays it: each handler is bundled the way
 * NotifyFunction bundles it (esbuild, ESM, minified, Node 22), then imported
 * in fresh Node processes; the median import time is compared with an empty
 * handler's. Two variants answer "bundle the AWS SDK or take the runtime's":
 * `bundled` (the SDK inside the bundle) and `runtime-sdk` (SDK left external,
 * loaded from node_modules as Lambda would load its own copy).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, '.local', 'bench-bundles');

export const HANDLERS = ['lambdas/intake/handler.ts', 'lambdas/sender/handler.ts'];

export interface ColdStartRow {
  handler: string;
  variant: 'bundled' | 'runtime-sdk';
  bundleBytes: number;
  importMs: number;
  emptyImportMs: number;
}

async function bundle(entry: string, outfile: string, externalSdk: boolean): Promise<number> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    sourcemap: false,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    external: externalSdk ? ['@aws-sdk/*', '@smithy/*'] : [],
    banner: { js: "import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  return statSync(outfile).size;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median time to import `file` in a fresh Node process (the process start itself is not counted). */
function importMs(file: string, runs: number): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, AWS_REGION: 'ap-southeast-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    times.push(Number(out.toString()));
  }
  return Math.round(median(times) * 10) / 10;
}

export async function measureColdStarts(runs: number): Promise<ColdStartRow[]> {
  mkdirSync(OUT, { recursive: true });
  const empty = path.join(OUT, 'empty.mjs');
  writeFileSync(empty, 'export const handler = async () => {};\n');
  const emptyImportMs = importMs(empty, runs);
  const rows: ColdStartRow[] = [];
  for (const handler of HANDLERS) {
    for (const variant of ['bundled', 'runtime-sdk'] as const) {
      const outfile = path.join(OUT, `${handler.replace(/[/.]/g, '_')}.${variant}.mjs`);
      const bundleBytes = await bundle(path.join(ROOT, handler), outfile, variant === 'runtime-sdk');
      rows.push({ handler, variant, bundleBytes, importMs: importMs(outfile, runs), emptyImportMs });
    }
  }
  return rows;
}
