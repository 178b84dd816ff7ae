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
 * synthesized path can run them too.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DEFAULT_REGION } from '../lib/config.ts';
import { checkFunctionEnvironment, checkQueuePolicy, checkScheduleName, QuotaError } from './quotas.ts';
import type { CfnResource, CfnTemplate } from './template.ts';

/** The stack's id in lib/app.ts, and so its artifact id in the assembly. */
export const STACK_NAME = 'BhxhNotify';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/** A template as it is on disk: CfnTemplate's resources plus the sections intrinsics refer to. */
interface TemplateDocument extends CfnTemplate {
  Parameters?: Record<string, { Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

// ── Placeholders: the template's intrinsics resolved to deploy-shaped values ──

/** Account of the placeholder ARNs. */
export const PLACEHOLDER_ACCOUNT = '111111111111';

export interface PlaceholderOptions {
  /** Region of the placeholder ARNs (default ap-southeast-1, the stack's default region). */
  region?: string;
  /** Stack name CloudFormation prefixes generated names with (default BhxhNotify). */
  stackName?: string;
}

/** Per resource type: the property that names it, CloudFormation's cap on a generated name, what Ref returns and its ARN. */
interface TypeShape {
  nameProperty?: string;
  maxName: number;
  lowerCase?: boolean;
  ref: 'name' | 'arn' | 'url';
  arn: (name: string, region: string) => string;
}

const shape = (service: string, resource: (name: string) => string, rest: Omit<TypeShape, 'arn'>): TypeShape => ({
  ...rest,
  arn: (name, region) => `arn:aws:${service}:${service === 'iam' || service === 's3' ? '' : region}:${service === 's3' ? '' : PLACEHOLDER_ACCOUNT}:${resource(name)}`,
});

const TYPE_SHAPES: Record<string, TypeShape> = {
  'AWS::SQS::Queue': shape('sqs', (n) => n, { nameProperty: 'QueueName', maxName: 80, ref: 'url' }),
  'AWS::Lambda::Function': shape('lambda', (n) => `function:${n}`, { nameProperty: 'FunctionName', maxName: 64, ref: 'name' }),
  'AWS::DynamoDB::Table': shape('dynamodb', (n) => `table/${n}`, { nameProperty: 'TableName', maxName: 255, ref: 'name' }),
  'AWS::StepFunctions::StateMachine': shape('states', (n) => `stateMachine:${n}`, { nameProperty: 'StateMachineName', maxName: 80, ref: 'arn' }),
  'AWS::SNS::Topic': shape('sns', (n) => n, { nameProperty: 'TopicName', maxName: 256, ref: 'arn' }),
  'AWS::Events::EventBus': shape('events', (n) => `event-bus/${n}`, { nameProperty: 'Name', maxName: 256, ref: 'name' }),
  'AWS::Events::Rule': shape('events', (n) => `rule/${n}`, { nameProperty: 'Name', maxName: 64, ref: 'name' }),
  'AWS::Events::Archive': shape('events', (n) => `archive/${n}`, { nameProperty: 'ArchiveName', maxName: 48, ref: 'name' }),
  'AWS::IAM::Role': shape('iam', (n) => `role/${n}`, { nameProperty: 'RoleName', maxName: 64, ref: 'name' }),
  'AWS::S3::Bucket': shape('s3', (n) => n, { nameProperty: 'BucketName', maxName: 63, lowerCase: true, ref: 'name' }),
  'AWS::Logs::LogGroup': shape('logs', (n) => `log-group:${n}:*`, { nameProperty: 'LogGroupName', maxName: 512, ref: 'name' }),
  'AWS::Scheduler::ScheduleGroup': shape('scheduler', (n) => `schedule-group/${n}`, { nameProperty: 'Name', maxName: 64, ref: 'name' }),
  'AWS::Scheduler::Schedule': shape('scheduler', (n) => `schedule/default/${n}`, { nameProperty: 'Name', maxName: 64, ref: 'name' }),
  'AWS::CloudWatch::Alarm': shape('cloudwatch', (n) => `alarm:${n}`, { nameProperty: 'AlarmName', maxName: 255, ref: 'name' }),
  'AWS::KMS::Key': shape('kms', (n) => `key/${n}`, { maxName: 36, ref: 'name' }),
};

/** Marks an `AWS::NoValue`: the property or list item that holds it is dropped. */
const NO_VALUE = Symbol('AWS::NoValue');

class Placeholders {
  private readonly region: string;
  private readonly stackName: string;

  constructor(
    private readonly template: TemplateDocument,
    options: PlaceholderOptions,
  ) {
    this.region = options.region ?? DEFAULT_REGION;
    this.stackName = options.stackName ?? STACK_NAME;
  }

  private resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`the template has no resource ${logicalId}`);
    return resource;
  }

  /**
   * The resource's physical name: the one the template gives it, else one
   * shaped as CloudFormation generates (stack-logicalId-SUFFIX, within the
   * type's length cap), so sizes measured on it are close to the deployed ones.
   */
  name(logicalId: string): string {
    const resource = this.resource(logicalId);
    const typeShape = TYPE_SHAPES[resource.Type];
    const given = typeShape?.nameProperty ? resource.Properties?.[typeShape.nameProperty] : undefined;
    if (given !== undefined) return String(this.resolve(given));
    if (resource.Type === 'AWS::KMS::Key') return uuidFrom(logicalId);
    const suffix = createHash('sha256').update(logicalId).digest('hex').slice(0, 13).toUpperCase();
    const max = typeShape?.maxName ?? 128;
    const name = `${`${this.stackName}-${logicalId}`.slice(0, max - suffix.length - 1)}-${suffix}`;
    return typeShape?.lowerCase ? name.toLowerCase() : name;
  }

  ref(logicalId: string): unknown {
    switch (logicalId) {
      case 'AWS::AccountId':
        return PLACEHOLDER_ACCOUNT;
      case 'AWS::Region':
        return this.region;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.region}:${PLACEHOLDER_ACCOUNT}:stack/${this.stackName}/00000000-0000-4000-8000-000000000000`;
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
    }
    const parameter = this.template.Parameters?.[logicalId];
    if (parameter) return parameter.Default ?? `${logicalId}-value`;
    const resource = this.resource(logicalId);
    const typeShape = TYPE_SHAPES[resource.Type];
    const name = this.name(logicalId);
    if (typeShape?.ref === 'arn') return typeShape.arn(name, this.region);
    if (typeShape?.ref === 'url') return `https://sqs.${this.region}.amazonaws.com/${PLACEHOLDER_ACCOUNT}/${name}`;
    return name;
  }

  getAtt(logicalId: string, attribute: string): string {
    const resource = this.resource(logicalId);
    const typeShape = TYPE_SHAPES[resource.Type];
    const name = this.name(logicalId);
    const service = resource.Type.split('::')[1]?.toLowerCase() ?? 'unknown';
    switch (attribute) {
      case 'Arn':
        return typeShape ? typeShape.arn(name, this.region) : `arn:aws:${service}:${this.region}:${PLACEHOLDER_ACCOUNT}:${name}`;
      case 'StreamArn':
        return `${this.getAtt(logicalId, 'Arn')}/stream/2026-01-01T00:00:00.000`;
      case 'QueueUrl':
        return `https://sqs.${this.region}.amazonaws.com/${PLACEHOLDER_ACCOUNT}/${name}`;
      case 'QueueName':
      case 'Name':
      case 'TopicName':
      case 'KeyId':
        return name;
      case 'DomainName':
        return `${name}.s3.amazonaws.com`;
      case 'RegionalDomainName':
        return `${name}.s3.${this.region}.amazonaws.com`;
      default:
        return `${name}-${attribute}`;
    }
  }

  private condition(name: string): boolean {
    const condition = this.template.Conditions?.[name];
    if (condition === undefined) throw new Error(`the template has no condition ${name}`);
    return this.truth(condition);
  }

  private truth(condition: unknown): boolean {
    const [key, args] = Object.entries((condition ?? {}) as Record<string, unknown>)[0] ?? [];
    const list = Array.isArray(args) ? args : [args];
    switch (key) {
      case 'Fn::Equals':
        return JSON.stringify(this.resolve(list[0])) === JSON.stringify(this.resolve(list[1]));
      case 'Fn::Not':
        return !this.truth(list[0]);
      case 'Fn::And':
        return list.every((c) => this.truth(c));
      case 'Fn::Or':
        return list.some((c) => this.truth(c));
      case 'Condition':
        return this.condition(String(args));
      default:
        throw new Error(`unsupported condition ${JSON.stringify(condition)}`);
    }
  }

  private sub(text: string, variables: Record<string, unknown>): string {
    return text.replace(/\$\{(!?)([^}]+)\}/g, (_, literal: string, expression: string) => {
      if (literal) return `\${${expression}}`;
      if (expression in variables) return String(this.resolve(variables[expression]));
      const dot = expression.indexOf('.');
      if (dot > 0 && !expression.startsWith('AWS::')) return this.getAtt(expression.slice(0, dot), expression.slice(dot + 1));
      return String(this.ref(expression));
    });
  }

  /** The value with every intrinsic replaced by its placeholder. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, args] = entries[0] as [string, unknown];
      const list = Array.isArray(args) ? args : [args];
      switch (key) {
        case 'Ref':
          return this.ref(String(args));
        case 'Fn::GetAtt': {
          const [id, ...attribute] = typeof args === 'string' ? args.split('.') : (list as string[]);
          return this.getAtt(String(id), attribute.join('.'));
        }
        case 'Fn::Join':
          return (this.resolve(list[1]) as unknown[]).map(String).join(String(list[0]));
        case 'Fn::Sub':
          return typeof args === 'string' ? this.sub(args, {}) : this.sub(String(list[0]), (list[1] ?? {}) as Record<string, unknown>);
        case 'Fn::Select':
          return (this.resolve(list[1]) as unknown[])[Number(this.resolve(list[0]))];
        case 'Fn::Split':
          return String(this.resolve(list[1])).split(String(list[0]));
        case 'Fn::If':
          return this.resolve(this.condition(String(list[0])) ? list[1] : list[2]);
        case 'Fn::FindInMap':
          return this.template.Mappings?.[String(this.resolve(list[0]))]?.[String(this.resolve(list[1]))]?.[String(this.resolve(list[2]))];
        case 'Fn::Base64':
          return Buffer.from(String(this.resolve(args))).toString('base64');
        case 'Fn::GetAZs':
          return ['a', 'b', 'c'].map((zone) => `${this.region}${zone}`);
        case 'Fn::ImportValue':
          return `imported-${String(this.resolve(args))}`;
        case 'Fn::ToJsonString':
          return JSON.stringify(this.resolve(args));
        case 'Fn::Length':
          return (this.resolve(args) as unknown[]).length;
      }
    }
    const resolved: Record<string, unknown> = {};
    for (const [key, v] of entries) {
      const r = this.resolve(v);
      if (r !== NO_VALUE) resolved[key] = r;
    }
    return resolved;
  }
}

/** A version-4-shaped UUID derived from a logical id (a KMS key id, say). */
function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * `value` with the template's intrinsics (Ref, Fn::GetAtt, Fn::Join, Fn::Sub,
 * Fn::If…) replaced by placeholders shaped as the deployed values would be:
 * ARNs in account 111111111111 (`arn:aws:lambda:ap-southeast-1:111111111111:function:BhxhNotify-SenderFunction…`),
 * names as CloudFormation generates them. Throws on a Ref or GetAtt to a
 * resource the template does not have.
 */
export function resolvePlaceholders(template: CfnTemplate, value: unknown, options: PlaceholderOptions = {}): unknown {
  return new Placeholders(template, options).resolve(value);
}

// ── State machine definitions, validated with asl-validator ─────────────────

interface AslValidationError {
  'Error code': string;
  Message: string;
}
type AslValidator = (definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }) => { isValid: boolean; errors: AslValidationError[] };
// asl-validator is CommonJS without type declarations: loaded with require and typed here.
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

export interface StateMachineReport {
  logicalId: string;
  /** Number of top-level states, when the definition could be read. */
  states?: number;
  /** What is wrong: asl-validator's findings (`CODE: message`), or why the definition could not be read. Empty when valid. */
  problems: string[];
}

/**
 * Validates one definition (the parsed ASL) with asl-validator: JSON schema,
 * transitions to missing states, unreachable states, duplicate names, paths,
 * Resource ARNs. Returns its findings as `CODE: message`, none when valid.
 */
export function validateDefinition(definition: unknown): string[] {
  // asl-validator writes QueryLanguage into the states it checks: give it a copy.
  const { isValid, errors } = aslValidator(structuredClone(definition));
  return isValid ? [] : errors.map((e) => `${e['Error code']}: ${e.Message}`);
}

/** The state machine's definition as deployed: DefinitionString or Definition with placeholders for its tokens and DefinitionSubstitutions applied. */
export function stateMachineDefinition(template: CfnTemplate, logicalId: string, options: PlaceholderOptions = {}): unknown {
  const properties = template.Resources[logicalId]?.Properties ?? {};
  if (properties.DefinitionS3Location !== undefined) throw new Error('its definition is in S3 (DefinitionS3Location), which neither this check nor the local run reads');
  const placeholders = new Placeholders(template, options);
  const substitutions = (placeholders.resolve(properties.DefinitionSubstitutions ?? {}) ?? {}) as Record<string, unknown>;
  const substitute = (text: string) => text.replace(/\$\{([^}]+)\}/g, (whole, key: string) => (key in substitutions ? String(substitutions[key]) : whole));
  if (properties.DefinitionString !== undefined) return JSON.parse(substitute(String(placeholders.resolve(properties.DefinitionString))));
  if (properties.Definition !== undefined) return JSON.parse(substitute(JSON.stringify(placeholders.resolve(properties.Definition))));
  throw new Error('it has no DefinitionString or Definition');
}

/** Every AWS::StepFunctions::StateMachine of the template, validated. */
export function validateStateMachines(template: CfnTemplate, options: PlaceholderOptions = {}): StateMachineReport[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')
    .map(([logicalId]) => {
      try {
        const definition = stateMachineDefinition(template, logicalId, options) as { States?: Record<string, unknown> };
        return { logicalId, states: Object.keys(definition?.States ?? {}).length, problems: validateDefinition(definition) };
      } catch (error) {
        return { logicalId, problems: [error instanceof Error ? error.message : String(error)] };
      }
    });
}

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
