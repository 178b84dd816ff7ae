/**
 * A template's intrinsics (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::If…)
 * resolved to placeholders shaped as the deployed values would be: ARNs in
 * account 111111111111, names as CloudFormation generates them. Separate from
 * local/assembly.ts (which loads an assembly and checks its template) because
 * it is a self-contained evaluator of CloudFormation intrinsics that the
 * template checks and the state machine definitions
 * (local/state-machine-definitions.ts) both read templates through.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_REGION } from '../lib/config.ts';
import type { CfnResource, CfnTemplate } from './template.ts';

/**
 * The stack's id in lib/app.ts, and so its artifact id in the assembly. Here
 * because it is also the default stack name generated names are prefixed with.
 */
export const STACK_NAME = 'BhxhNotify';

/** A template as it is on disk: CfnTemplate's resources plus the sections intrinsics refer to. */
interface TemplateDocument extends CfnTemplate {
  Parameters?: Record<string, { Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

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

export class Placeholders {
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
