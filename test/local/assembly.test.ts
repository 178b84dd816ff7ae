/**
 * Running from a synthesized cloud assembly (`npm start -- --assembly cdk.out`):
 * the stack is found through the manifest, and the template checks name what
 * would fail at deploy or in the local run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.ts';
import { checkTemplate, loadAssemblyTemplate } from '../../local/assembly.ts';
import { resolvePlaceholders } from '../../local/placeholders.ts';
import type { CfnTemplate } from '../../local/template.ts';

let outdir: string;
let template: CfnTemplate;
const copy = (): any => structuredClone(template);
const idsOfType = (t: CfnTemplate, type: string) => Object.keys(t.Resources).filter((id) => t.Resources[id]!.Type === type);
const functionWithEntry = (t: CfnTemplate, entry: string) => idsOfType(t, 'AWS::Lambda::Function').find((id) => t.Resources[id]!.Metadata?.['bhxh:entry'] === entry)!;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'bhxh-assembly-'));
  buildApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] }, nag: false }).app.synth();
  template = loadAssemblyTemplate(outdir);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('loadAssemblyTemplate', () => {
  it('finds the BhxhNotify stack through manifest.json and loads its template, which passes every check', () => {
    // Prepare
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));

    // Assert
    expect(manifest.artifacts.BhxhNotify).toMatchObject({ type: 'aws:cloudformation:stack', properties: { templateFile: 'BhxhNotify.template.json' } });
    expect(template).toEqual(JSON.parse(readFileSync(path.join(outdir, 'BhxhNotify.template.json'), 'utf8')));
    expect(idsOfType(template, 'AWS::StepFunctions::StateMachine')).toHaveLength(5);
    expect(checkTemplate(template, { sourceRoot: path.resolve(import.meta.dirname, '../..') })).toEqual([]);
  });

  it('keeps the bhxh:entry metadata of every function of ours through synthesis into the assembly', () => {
    const entries = idsOfType(template, 'AWS::Lambda::Function').map((id) => template.Resources[id]!.Metadata?.['bhxh:entry']);
    expect(entries.filter(Boolean).sort()).toEqual([
      'lambdas/functions/campaign-page/handler.ts',
      'lambdas/functions/dossier-step/handler.ts',
      'lambdas/functions/email-receipts/handler.ts',
      'lambdas/functions/intake/handler.ts',
      'lambdas/functions/province-campaign/handler.ts',
      'lambdas/functions/receipt-deadlines/handler.ts',
      'lambdas/functions/receipts/handler.ts',
      'lambdas/functions/registration-step/handler.ts',
      'lambdas/functions/sender/handler.ts',
      'lambdas/functions/status-events/handler.ts',
    ]);
  });

  it('says what is missing: no manifest, or no BhxhNotify stack in it', () => {
    // Prepare
    const empty = mkdtempSync(path.join(tmpdir(), 'bhxh-assembly-'));
    const other = mkdtempSync(path.join(tmpdir(), 'bhxh-assembly-'));
    writeFileSync(
      path.join(other, 'manifest.json'),
      JSON.stringify({ version: '55.0.0', artifacts: { Other: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Other.template.json' } } } }),
    );

    // Assert
    try {
      expect(() => loadAssemblyTemplate(empty)).toThrow(/No cloud assembly at .*manifest\.json does not exist/);
      expect(() => loadAssemblyTemplate(other)).toThrow(/has no stack BhxhNotify \(stacks: Other\)/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses an assembly that fails a check, naming every problem', () => {
    // Prepare
    const broken = mkdtempSync(path.join(tmpdir(), 'bhxh-assembly-'));
    const t = copy();
    delete t.Resources[functionWithEntry(t, 'lambdas/functions/sender/handler.ts')].Metadata['bhxh:entry'];
    writeFileSync(path.join(broken, 'manifest.json'), readFileSync(path.join(outdir, 'manifest.json')));
    writeFileSync(path.join(broken, 'BhxhNotify.template.json'), JSON.stringify(t));

    // Assert
    try {
      expect(() => loadAssemblyTemplate(broken)).toThrow(/fails 1 check\(s\):\n {2}template check "lambda-entry-metadata": function SenderSenderFunction/);
      expect(loadAssemblyTemplate(broken, { check: false }).Resources).toEqual(t.Resources);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});

describe('checkTemplate', () => {
  it('reports a function whose environment is over Lambda’s 4 KB', () => {
    // Prepare: 5 KB more in the intake function's environment.
    const t = copy();
    const intake = functionWithEntry(t, 'lambdas/functions/intake/handler.ts');
    t.Resources[intake].Properties.Environment.Variables.PADDING = 'x'.repeat(5 * 1024);

    // Act
    const problems = checkTemplate(t);

    // Assert
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(`^template check "lambda-environment-size": function ${intake} has [0-9,]+ bytes of environment, over Lambda's 4 KB \\(4,096 bytes\\)$`),
    );
  });

  it('measures the environment with references resolved to deploy-length names, not the template’s short tokens', () => {
    const t = copy();
    const intake = functionWithEntry(t, 'lambdas/functions/intake/handler.ts');
    const variables = resolvePlaceholders(t, t.Resources[intake].Properties.Environment.Variables) as Record<string, string>;
    expect(variables.SEND_QUEUE_URL).toMatch(/^https:\/\/sqs\.ap-southeast-1\.amazonaws\.com\/111111111111\/BhxhNotify-SenderSendQueue[0-9A-F]+-[0-9A-F]{13}$/);
    expect(variables.LEDGER_TABLE_NAME).toMatch(/^BhxhNotify-LedgerTable[0-9A-F]+-[0-9A-F]{13}$/);
  });

  it('reports a queue policy of 21 statements', () => {
    // Prepare
    const t = copy();
    const policy = idsOfType(t, 'AWS::SQS::QueuePolicy')[0]!;
    const statement = t.Resources[policy].Properties.PolicyDocument.Statement[0];
    t.Resources[policy].Properties.PolicyDocument.Statement = Array.from({ length: 21 }, (_, i) => ({ ...statement, Sid: `S${i}` }));

    // Act
    const problems = checkTemplate(t);

    // Assert
    expect(problems).toEqual([`template check "sqs-queue-policy": queue policy ${policy}: 21 statements, over the SQS policy quota of 20.`]);
  });

  it('reports a queue policy over 8 KB once its ARNs are resolved', () => {
    // Prepare: 20 statements, each naming the queue ARN in a long condition.
    const t = copy();
    const policy = idsOfType(t, 'AWS::SQS::QueuePolicy')[0]!;
    const statement = t.Resources[policy].Properties.PolicyDocument.Statement[0];
    t.Resources[policy].Properties.PolicyDocument.Statement = Array.from({ length: 20 }, (_, i) => ({ ...statement, Sid: `Statement${i}`.padEnd(400, 'x') }));

    // Assert
    expect(checkTemplate(t)).toEqual([
      expect.stringMatching(new RegExp(`^template check "sqs-queue-policy": queue policy ${policy}: [0-9]+ bytes, over the SQS policy quota of 8192 bytes\\.$`)),
    ]);
  });

  it('reports a state machine whose definition is not valid ASL', () => {
    // Prepare: the first state's Next points to a state that does not exist.
    const t = copy();
    const machine = idsOfType(t, 'AWS::StepFunctions::StateMachine')[0]!;
    const parts: unknown[] = t.Resources[machine].Properties.DefinitionString['Fn::Join'][1];
    parts[0] = (parts[0] as string).replace('"Next":"Was the dossier accepted?"', '"Next":"Nowhere"');

    // Assert
    expect(checkTemplate(t)).toContain(
      `template check "state-machine-definition": state machine ${machine}: MISSING_TRANSITION_TARGET: Missing 'StartAt'|'Next'|'Default' target: Nowhere`,
    );
  });

  it('reports a function of ours without bhxh:entry, but not the custom-resource provider CDK adds', () => {
    // Prepare
    const t = copy();
    const receipts = functionWithEntry(t, 'lambdas/functions/receipts/handler.ts');
    delete t.Resources[receipts].Metadata['bhxh:entry'];
    const providers = idsOfType(t, 'AWS::Lambda::Function').filter((id) => !t.Resources[id].Metadata?.['bhxh:entry']);

    // Assert
    expect(providers.length).toBeGreaterThan(1);
    expect(checkTemplate(t)).toEqual([expect.stringMatching(new RegExp(`^template check "lambda-entry-metadata": function ${receipts} has no bhxh:entry metadata`))]);
    t.Resources[receipts].Metadata['bhxh:entry'] = 'lambdas/functions/gone/handler.ts';
    expect(checkTemplate(t, { sourceRoot: path.resolve(import.meta.dirname, '../..') })).toEqual([
      expect.stringContaining(`function ${receipts} names lambdas/functions/gone/handler.ts in bhxh:entry, which is not in`),
    ]);
  });
});
