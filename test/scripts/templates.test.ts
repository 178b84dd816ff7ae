/**
 * `npm run templates -- export --out FILE.csv`: writes the carriers' template register and warns about every kind
 * that can exceed 3 parts at the schema maxima.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { carrierRegister, registerCsv } from '../../lambdas/domain/carrier-register.ts';
import { TEMPLATE_IDS } from '../../lambdas/domain/templates.ts';
import { SAMPLES } from '../../ops/samples.ts';
import { main } from '../../scripts/templates.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const outFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'register-')), 'register.csv');

describe('npm run templates -- export', () => {
  it('writes the register, one row per kind, and warns about each kind over 3 parts', () => {
    const out = outFile();
    const printed: string[] = [];

    const code = main(['export', '--out', out], (l) => printed.push(l));

    expect(code).toBe(0);
    const written = readFileSync(out, 'utf8');
    expect(written).toBe(registerCsv(carrierRegister(SAMPLES)));
    expect(written.trimEnd().split('\r\n')).toHaveLength(TEMPLATE_IDS.length + 1);
    const over = carrierRegister(SAMPLES).filter((r) => r.overLimit);
    expect(over.length).toBeGreaterThan(0);
    for (const r of over) expect(printed).toContainEqual(expect.stringMatching(new RegExp(`^WARNING ${r.kind}: ${r.maxParts} parts at the schema maxima`)));
  });

  it('brands the kinds given, and refuses an unknown one', () => {
    const out = outFile();
    expect(main(['export', '--out', out, '--brand-in-text', 'dossier-resolved'], () => {})).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('dossier-resolved,BHXHVN: Ho so so ((dossierNo))');
    const printed: string[] = [];
    expect(main(['export', '--out', out, '--brand-in-text', 'nope'], (l) => printed.push(l))).toBe(2);
    expect(printed.join('\n')).toContain('"nope"');
  });

  it('runs as npm run templates (the script in package.json)', async () => {
    const out = outFile();
    const run = await promisify(execFile)('npm', ['run', '--silent', 'templates', '--', 'export', '--out', out], { cwd: REPO_ROOT });
    expect(run.stdout).toContain(`Wrote ${TEMPLATE_IDS.length} kinds to ${out}`);
    expect(readFileSync(out, 'utf8').startsWith('\uFEFFkind,template,')).toBe(true);
  });
});
