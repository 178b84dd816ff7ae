/**
 * `npm run iam-report`: least privilege, the other way round. The tests run
 * every function, state machine and schedule of the stack locally, each AWS
 * call authorized against the synthesized IAM (too little fails a test), and
 * record the grants that allowed them in BHXH_IAM_USAGE_DIR (`.iam-usage/`,
 * emptied at the start of `npm test`). This report lists every grant of those
 * roles that no call used (too much), with the role's construct path and the
 * justification the stack gives for it (lib/unused-grants.ts), and exits 1 if
 * one has none, a justification has become stale, or nothing was recorded.
 *
 *   npm test && npm run iam-report
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { synthesizeTemplate } from '../local/synth.ts';
import { buildIamReport, formatIamReport, parseUsage, type Usage } from './iam/report.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');

function readUsage(dir: string): Usage[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return files.flatMap((f) => parseUsage(readFileSync(path.join(dir, f), 'utf8')));
}

function main(): number {
  const dir = path.resolve(process.env.BHXH_IAM_USAGE_DIR ?? path.join(REPO_ROOT, '.iam-usage'));
  // The construct paths (aws:cdk:path) say where each role's grants are made; the CLI adds them, an in-process synth needs the flag.
  const template = synthesizeTemplate({ 'aws:cdk:enable-path-metadata': true });
  const report = buildIamReport(template, readUsage(dir));
  process.stdout.write(formatIamReport(report));
  return report.problems.length === 0 ? 0 : 1;
}

process.exitCode = main();
