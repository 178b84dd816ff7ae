/**
 * Runs from an already synthesized cloud assembly (`cdk.out`) instead of
 * synthesizing: `npm start -- --assembly cdk.out`. The assembly decides the
 * resources, IAM, environment and state machine definitions; the code the
 * local run executes is the working tree's TypeScript named by each function's
 * `bhxh:entry` metadata (cdk.out holds bundled JavaScript, which is not run).
 *
 * checkTemplate holds the checks a template must pass before it runs or
 * deploys (AWS quotas CloudFormation would only report at deploy time, and
 * what the local run needs); the assembly path runs them on load, and the
 * synthesized path can run them too. They measure the template through the
 * deploy-shaped placeholders of local/placeholders.ts, and check state
 * machines with local/state-machine-definitions.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type PlaceholderOptions, Placeholders, STACK_NAME } from './placeholders.ts';
import { checkFunctionEnvironment } from './lambda-quotas.ts';
import { checkQueuePolicy, checkScheduleName, QuotaError } from './quotas.ts';
import { validateStateMachines } from './state-machine-definitions.ts';
import type { CfnTemplate } from './template.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');

// ── The template checks ─────────────────────────────────────────────────────

export interface CheckOptions extends PlaceholderOptions {
  /** When given, each function's `bhxh:entry` must name a file under this directory (the working tree the local run executes). */
  sourceRoot?: string;
}

const bytes = (n: number) => n.toLocaleString('en-US');

/**
 * The functions CDK adds as plumbing (a custom resource's provider, such as
 * AwsCustomResource's singleton): the target of some custom resource's
 * ServiceToken. They have no `bhxh:entry`, and the local run leaves them out.
 */
function customResourceProviders(template: CfnTemplate): Set<string> {
  const providers = new Set<string>();
  for (const resource of Object.values(template.Resources)) {
    if (!resource.Type.startsWith('Custom::') && resource.Type !== 'AWS::CloudFormation::CustomResource') continue;
    const token = resource.Properties?.ServiceToken as { 'Fn::GetAtt'?: unknown; Ref?: unknown } | undefined;
    const target = Array.isArray(token?.['Fn::GetAtt']) ? token['Fn::GetAtt'][0] : token?.Ref;
    if (typeof target === 'string') providers.add(target);
  }
  return providers;
}

/**
 * What keeps the template from deploying or from running locally, each line
 * naming its check:
 *   "lambda-environment-size"   each function's environment within Lambda's 4 KB
 *   "sqs-queue-policy"          each queue policy within 20 statements, 7 actions a statement, 8 KB
 *   "state-machine-definition"  each state machine's definition valid per asl-validator
 *   "scheduler-schedule-name"   each schedule's Name a name Scheduler accepts
 *   "lambda-entry-metadata"     each of our functions names its TypeScript source in `bhxh:entry`
 * Sizes are measured with the intrinsics resolved to deploy-shaped placeholders
 * (resolvePlaceholders), so a generated name counts at about its deployed length.
 * Returns the problems, none when the template passes.
 */
export function checkTemplate(template: CfnTemplate, options: CheckOptions = {}): string[] {
  const problems: string[] = [];
  const problem = (check: string, text: string) => problems.push(`template check "${check}": ${text}`);
  const placeholders = new Placeholders(template, options);
  const resolved = (logicalId: string, value: unknown, check: string): unknown => {
    try {
      return placeholders.resolve(value);
    } catch (error) {
      problem(check, `${logicalId}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
  const providers = customResourceProviders(template);

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const properties = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::Lambda::Function': {
        const variables = resolved(logicalId, (properties.Environment as { Variables?: unknown } | undefined)?.Variables ?? {}, 'lambda-environment-size');
        if (variables !== undefined) {
          try {
            checkFunctionEnvironment(variables as Record<string, string>);
          } catch (error) {
            if (!(error instanceof QuotaError)) throw error;
            problem('lambda-environment-size', `function ${logicalId} has ${bytes(error.actual)} bytes of environment, over Lambda's 4 KB (${bytes(error.limit)} bytes)`);
          }
        }
        if (providers.has(logicalId)) break;
        const entry = resource.Metadata?.['bhxh:entry'];
        if (typeof entry !== 'string' || entry === '') {
          problem(
            'lambda-entry-metadata',
            `function ${logicalId} has no bhxh:entry metadata: the local run cannot find its source (build functions with NotifyFunction, lib/notify-function.ts)`,
          );
        } else if (options.sourceRoot && !existsSync(path.join(options.sourceRoot, entry))) {
          problem('lambda-entry-metadata', `function ${logicalId} names ${entry} in bhxh:entry, which is not in ${options.sourceRoot}`);
        }
        break;
      }
      case 'AWS::SQS::QueuePolicy':
      case 'AWS::SQS::QueueInlinePolicy': {
        const policy = resolved(logicalId, properties.PolicyDocument, 'sqs-queue-policy');
        if (policy === undefined) break;
        try {
          checkQueuePolicy(policy);
        } catch (error) {
          if (!(error instanceof QuotaError)) throw error;
          problem('sqs-queue-policy', `queue policy ${logicalId}: ${error.message.replace('Invalid value for the parameter Policy: ', '')}`);
        }
        break;
      }
      case 'AWS::Scheduler::Schedule': {
        if (properties.Name === undefined) break;
        const name = resolved(logicalId, properties.Name, 'scheduler-schedule-name');
        try {
          if (name !== undefined) checkScheduleName(String(name));
        } catch (error) {
          if (!(error instanceof QuotaError)) throw error;
          problem('scheduler-schedule-name', `schedule ${logicalId}: ${error.message}`);
        }
        break;
      }
    }
  }
  for (const report of validateStateMachines(template, options)) {
    for (const finding of report.problems) problem('state-machine-definition', `state machine ${report.logicalId}: ${finding}`);
  }
  return problems;
}

// ── Loading a cloud assembly ────────────────────────────────────────────────

interface ManifestArtifact {
  type?: string;
  environment?: string;
  displayName?: string;
  properties?: { templateFile?: string; stackName?: string; directoryName?: string };
}

interface StackArtifact {
  /** Absolute path of the template file. */
  templateFile: string;
  /** The stack's region from the artifact's environment (aws://account/region), when it names one. */
  region?: string;
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The stack artifact named `stackName` in the assembly at `dir`, looking into nested assemblies (stages) too. */
function findStackArtifact(dir: string, stackName: string, seen: string[]): StackArtifact | undefined {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`No cloud assembly at ${dir}: ${manifestFile} does not exist (give the cdk.out directory of \`npx cdk synth\`)`);
  const manifest = readJson(manifestFile, 'cloud assembly manifest') as { artifacts?: Record<string, ManifestArtifact> };
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      seen.push(artifact.displayName ?? id);
      const named = id === stackName || artifact.displayName === stackName || artifact.properties?.stackName === stackName || artifact.displayName?.endsWith(`/${stackName}`);
      if (!named) continue;
      const templateFile = artifact.properties?.templateFile;
      if (!templateFile) throw new Error(`Stack artifact ${id} in ${manifestFile} has no properties.templateFile`);
      const region = artifact.environment?.match(/^aws:\/\/[^/]+\/(.+)$/)?.[1];
      return { templateFile: path.resolve(dir, templateFile), ...(region && !region.startsWith('unknown-') ? { region } : {}) };
    }
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      const nested = findStackArtifact(path.resolve(dir, artifact.properties.directoryName), stackName, seen);
      if (nested) return nested;
    }
  }
  return undefined;
}

export interface LoadAssemblyOptions {
  /** Run checkTemplate and throw on its problems (default true). */
  check?: boolean;
  /** Stack to load (default BhxhNotify). */
  stackName?: string;
}

/**
 * Reads `dir/manifest.json` of a synthesized cloud assembly, finds the
 * BhxhNotify stack artifact (type aws:cloudformation:stack) and loads its
 * template. Unless `check` is false, the template must pass checkTemplate,
 * with each `bhxh:entry` present in this working tree; otherwise this throws,
 * listing every problem.
 */
export function loadAssemblyTemplate(dir: string, options: LoadAssemblyOptions = {}): CfnTemplate {
  const stackName = options.stackName ?? STACK_NAME;
  const seen: string[] = [];
  const artifact = findStackArtifact(path.resolve(dir), stackName, seen);
  if (!artifact) throw new Error(`The cloud assembly at ${dir} has no stack ${stackName} (stacks: ${seen.join(', ') || 'none'})`);
  const template = readJson(artifact.templateFile, 'stack template') as CfnTemplate;
  if (template === null || typeof template !== 'object' || typeof template.Resources !== 'object' || template.Resources === null) {
    throw new Error(`${artifact.templateFile} is not a CloudFormation template (no Resources)`);
  }
  if (options.check ?? true) {
    const problems = checkTemplate(template, { region: artifact.region, stackName, sourceRoot: REPO_ROOT });
    if (problems.length > 0) throw new Error(`The stack ${stackName} of the cloud assembly at ${dir} fails ${problems.length} check(s):\n  ${problems.join('\n  ')}`);
  }
  return template;
}
