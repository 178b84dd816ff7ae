/**
 * The stack's state machines are valid Amazon States Language (asl-validator),
 * and `npm run validate-asl` reports a definition that is not.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.ts';
import { stateMachineDefinition, validateDefinition, validateStateMachines } from '../../local/state-machine-definitions.ts';
import type { CfnTemplate } from '../../local/template.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const { app, stack } = buildApp({ context: { 'aws:cdk:bundling-stacks': [] }, nag: false });
const template = app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
const machines = Object.keys(template.Resources).filter((id) => template.Resources[id]!.Type === 'AWS::StepFunctions::StateMachine');
const machineStartingWith = (prefix: string) => machines.find((id) => id.startsWith(prefix))!;

/** Runs scripts/validate-asl.ts; resolves with its exit code and output whatever the code. */
async function validateAsl(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/validate-asl.ts', ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string };
    return { code: failure.code ?? -1, stdout: failure.stdout ?? '' };
  }
}

describe('the state machines', () => {
  it('are the dossier lifecycle, the campaign day and its parts, the province campaign, the e-registration lifecycle, and all validate', () => {
    expect(machines).toHaveLength(5);
    expect(validateStateMachines(template)).toEqual(
      expect.arrayContaining([
        { logicalId: machineStartingWith('DossiersDossierLifecycle'), states: 7, problems: [] },
        { logicalId: machineStartingWith('CampaignsCampaign'), states: 2, problems: [] },
        { logicalId: machineStartingWith('CampaignsShardPart'), states: 5, problems: [] },
        { logicalId: machineStartingWith('ProvinceCampaignsProvinceCampaign'), states: 17, problems: [] },
        { logicalId: machineStartingWith('RegistrationsRegistrationLifecycle'), states: 8, problems: [] },
      ]),
    );
  });

  it('have their tokens replaced with ARNs of the deployed shape before validation', () => {
    const definition = stateMachineDefinition(template, machineStartingWith('CampaignsCampaign')) as any;
    const page = definition.States['Each shard of the day'].ItemProcessor.States["Queue the shard's first page"];
    expect(page.Resource).toMatch(/^arn:aws:lambda:ap-southeast-1:111111111111:function:BhxhNotify-CampaignsCampaignPageFunction[0-9A-Z-]+$/);
  });

  it('would be reported with a Next pointing to a missing state, or an unreachable state', () => {
    // Prepare
    const definition = stateMachineDefinition(template, machineStartingWith('DossiersDossierLifecycle')) as any;
    definition.States['Record receipt and tell the citizen'].Next = 'Nowhere';

    // Act
    const problems = validateDefinition(definition);

    // Assert
    expect(problems).toContain("MISSING_TRANSITION_TARGET: Missing 'StartAt'|'Next'|'Default' target: Nowhere");
    expect(problems).toContain('MISSING_TRANSITION_TARGET: State Was the dossier accepted? is not reachable');
  });
});

describe('npm run validate-asl', () => {
  let broken: string;
  beforeAll(() => {
    // An assembly whose campaign machine's choice goes to a state that does not exist.
    broken = mkdtempSync(path.join(tmpdir(), 'bhxh-asl-'));
    const t: any = structuredClone(template);
    const parts: unknown[] = t.Resources[machineStartingWith('CampaignsShardPart')].Properties.DefinitionString['Fn::Join'][1];
    const index = parts.findIndex((p) => typeof p === 'string' && p.includes('"Next":"Next page"'));
    parts[index] = (parts[index] as string).replace('"Next":"Next page"', '"Next":"Next pages"');
    writeFileSync(
      path.join(broken, 'manifest.json'),
      JSON.stringify({ version: '55.0.0', artifacts: { BhxhNotify: { type: 'aws:cloudformation:stack', properties: { templateFile: 'BhxhNotify.template.json' } } } }),
    );
    writeFileSync(path.join(broken, 'BhxhNotify.template.json'), JSON.stringify(t));
  });
  afterAll(() => rmSync(broken, { recursive: true, force: true }));

  it('prints one line per machine and exits 0 on the stack', async () => {
    const { code, stdout } = await validateAsl([]);
    expect(code).toBe(0);
    expect(stdout).toContain(`✓ ${machineStartingWith('DossiersDossierLifecycle')}: valid (7 states)`);
    expect(stdout).toContain(`✓ ${machineStartingWith('CampaignsCampaign')}: valid (2 states)`);
    expect(stdout).toContain(`✓ ${machineStartingWith('CampaignsShardPart')}: valid (5 states)`);
    expect(stdout).toContain(`✓ ${machineStartingWith('RegistrationsRegistrationLifecycle')}: valid (8 states)`);
    expect(stdout).toContain('BhxhNotify (synthesized): 5 state machine(s), 0 invalid');
  });

  it('exits 1 and names the broken machine and what is wrong with it', async () => {
    const { code, stdout } = await validateAsl(['--assembly', broken]);
    expect(code).toBe(1);
    expect(stdout).toContain(`✓ ${machineStartingWith('DossiersDossierLifecycle')}: valid (7 states)`);
    expect(stdout).toMatch(new RegExp(`✗ ${machineStartingWith('CampaignsShardPart')}: .*MISSING_TRANSITION_TARGET: Missing 'StartAt'\\|'Next'\\|'Default' target: Next pages`));
    expect(stdout).toContain('5 state machine(s), 1 invalid');
  });
});
