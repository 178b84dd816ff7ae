/**
 * `npm run templates -- export --out FILE.csv [--brand-in-text KIND,KIND]`: the carriers' template register, one
 * row per kind (lambdas/domain/carrier-register.ts), samples from the seeds (ops/samples.ts). The kinds with the
 * brand in the text are those of --brand-in-text, or else cdk.json's bhxh:brandInText. A kind that can exceed
 * 3 parts at the schema maxima is written as such and warned about here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseBrandedKinds } from '../lambdas/domain/branding.ts';
import { carrierRegister, registerCsv } from '../lambdas/domain/carrier-register.ts';
import { MAX_SEGMENTS } from '../lambdas/domain/templates.ts';
import { SAMPLES } from '../ops/samples.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const USAGE = 'usage: npm run templates -- export --out FILE.csv [--brand-in-text KIND,KIND]';

function option(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
}

/** bhxh:brandInText of cdk.json, when the command line names none. */
function deployedBrandedKinds(): unknown {
  const cdk = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdk.context?.['bhxh:brandInText'];
}

export function main(argv: readonly string[], print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): number {
  const out = option(argv, 'out');
  if (argv[0] !== 'export' || !out) {
    print(USAGE);
    return 2;
  }
  let branded: string[];
  try {
    branded = parseBrandedKinds(option(argv, 'brand-in-text') ?? deployedBrandedKinds());
  } catch (error) {
    print(`--brand-in-text ${(error as Error).message}`);
    return 2;
  }
  const rows = carrierRegister(SAMPLES, branded);
  writeFileSync(out, registerCsv(rows));
  print(`Wrote ${rows.length} kinds to ${out}${branded.length > 0 ? ` (brand in the text: ${branded.join(', ')})` : ''}`);
  for (const r of rows) {
    if (r.overLimit)
      print(`WARNING ${r.kind}: ${r.maxParts} parts at the schema maxima (at most ${MAX_SEGMENTS}); an event that reaches it is quarantined (render-failed), not sent`);
    else if (r.overLimitBranded) print(`note ${r.kind}: ${r.maxPartsBranded} parts at the schema maxima with the brand; bhxh:brandInText cannot name it`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
