/**
 * `npm start -- --assembly DIR` runs exactly what would be deployed, and
 * fails, naming what is missing, when the assembly lacks a grant or a
 * variable a scenario needs (the two mutations of the review: the intake's
 * states:SendTaskSuccess, and its CONTROL_TABLE_NAME).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.ts';
import type { CfnTemplate } from '../../local/template.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { logicalId, withoutGrant, withoutVariable } from '../support/template-variants.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let outdir: string;
let events: string;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'bhxh-assembly-run-'));
  buildApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] }, nag: false }).app.synth();
  // A dossier received, then resolved: the intake resumes the waiting execution.
  const line = (e: ReturnType<typeof entry>, time: string) => JSON.stringify({ ...e, Detail: JSON.parse(String(e.Detail)), Time: time });
  events = path.join(outdir, 'events.jsonl');
  const dossier = { ...sampleDetails.DossierReceived, phone: '0912345678' };
  const dossierNo = String(sampleDetails.DossierReceived.dossierNo);
  writeFileSync(
    events,
    [
      line(entry('DossierReceived', dossier), '2018-12-03T09:00:00+07:00'),
      line(entry('DossierResolved', { dossierNo, resolvedAt: '2018-12-05T15:00:00+07:00' }), '2018-12-05T15:00:00+07:00'),
    ].join('\n'),
  );
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The assembly with its template changed by `mutate`. */
function mutatedAssembly(mutate: (template: CfnTemplate) => CfnTemplate): string {
  const file = path.join(outdir, 'BhxhNotify.template.json');
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, JSON.stringify(mutate(JSON.parse(original) as CfnTemplate)));
  return original;
}

async function runAssembly(): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'local/main.ts', '--assembly', outdir, '--events', events], {
      cwd: ROOT,
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm start -- --assembly DIR', () => {
  it('runs the assembly as synthesized: the dossier is resolved and the run exits 0', async () => {
    // Act
    const run = await runAssembly();

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('dossier-resolved');
  });

  it("exits 1 naming the refused call when the assembly lacks the intake's states:SendTaskSuccess", async () => {
    // Prepare
    const original = mutatedAssembly((t) => withoutGrant(t, 'EventIntakeIntakeFunctionRole', 'states:SendTaskSuccess'));
    try {
      // Act
      const run = await runAssembly();

      // Assess
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/ACCESS DENIED .*\n {2}- EventIntakeIntakeFunction\w+: states:SendTaskSuccess on arn:aws:states:.*:stateMachine:BhxhNotify-DossierLifecycle/);
    } finally {
      writeFileSync(path.join(outdir, 'BhxhNotify.template.json'), original);
    }
  });

  it("exits 1 naming the variable when the assembly's intake lacks CONTROL_TABLE_NAME", async () => {
    // Prepare
    const original = mutatedAssembly((t) => withoutVariable(t, logicalId(t, 'AWS::Lambda::Function', 'EventIntakeIntakeFunction'), 'CONTROL_TABLE_NAME'));
    try {
      // Act
      const run = await runAssembly();

      // Assess
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/environment contract: EventIntakeIntakeFunction\w+ \(lambdas\/functions\/intake\/handler.ts\): CONTROL_TABLE_NAME is not set/);
    } finally {
      writeFileSync(path.join(outdir, 'BhxhNotify.template.json'), original);
    }
  });
});
