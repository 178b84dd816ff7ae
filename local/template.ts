/**
 * The local run works from the CloudFormation template that CDK synthesizes,
 * so tables, rules, queues, event source mappings, environment variables and
 * state machines are the deployed ones, not a hand-written copy.
 */
import { buildApp } from '../lib/app.ts';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, any>;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

export const LOCAL_ACCOUNT = '000000000000';

/** Synthesizes the stack in-process; bundling is skipped because the local run executes the TypeScript sources. */
export function synthesizeTemplate(context: Record<string, unknown> = {}): CfnTemplate {
  const { app, stack } = buildApp({ context: { 'aws:cdk:bundling-stacks': [], ...context }, nag: false });
  const assembly = app.synth();
  return assembly.getStackArtifact(stack.artifactId).template as CfnTemplate;
}

export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/**
 * Resolves CloudFormation intrinsics (Ref, Fn::GetAtt, Fn::Join, Fn::Select,
 * Fn::Split, Fn::Sub) to the names and ARNs of the local stand-ins.
 */
export class Resolver {
  constructor(
    private readonly template: CfnTemplate,
    private readonly region: string,
    private readonly tablePrefix: string,
  ) {}

  tableName(logicalId: string): string {
    return `${this.tablePrefix}${logicalId}`;
  }

  queueUrl(logicalId: string): string {
    return `https://sqs.${this.region}.localhost/${LOCAL_ACCOUNT}/${logicalId}`;
  }

  arn(service: string, resource: string): string {
    return `arn:aws:${service}:${this.region}:${LOCAL_ACCOUNT}:${resource}`;
  }

  ref(logicalId: string): string {
    switch (logicalId) {
      case 'AWS::Region':
        return this.region;
      case 'AWS::AccountId':
        return LOCAL_ACCOUNT;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return 'BhxhNotifyLocal';
    }
    const resource = this.resource(logicalId);
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
        return this.tableName(logicalId);
      case 'AWS::SQS::Queue':
        return this.queueUrl(logicalId);
      case 'AWS::Events::EventBus':
        return resource.Properties?.Name ?? logicalId;
      case 'AWS::StepFunctions::StateMachine':
        return this.arn('states', `stateMachine:${logicalId}`);
      case 'AWS::SNS::Topic':
        return this.arn('sns', logicalId);
      default:
        return logicalId;
    }
  }

  getAtt(logicalId: string, attribute: string): string {
    const resource = this.resource(logicalId);
    switch (`${resource.Type}.${attribute}`) {
      case 'AWS::DynamoDB::Table.Arn':
        return this.arn('dynamodb', `table/${this.tableName(logicalId)}`);
      case 'AWS::SQS::Queue.Arn':
        return this.arn('sqs', logicalId);
      case 'AWS::SQS::Queue.QueueName':
        return logicalId;
      case 'AWS::SQS::Queue.QueueUrl':
        return this.queueUrl(logicalId);
      case 'AWS::Events::EventBus.Arn':
        return this.arn('events', `event-bus/${this.ref(logicalId)}`);
      case 'AWS::Events::EventBus.Name':
        return this.ref(logicalId);
      case 'AWS::Lambda::Function.Arn':
        return this.arn('lambda', `function:${logicalId}`);
      case 'AWS::StepFunctions::StateMachine.Arn':
        return this.ref(logicalId);
      case 'AWS::StepFunctions::StateMachine.Name':
        return logicalId;
      default:
        return this.arn('local', `${logicalId}/${attribute}`);
    }
  }

  /** Which local resource an ARN (or queue URL) names. */
  logicalIdOf(arnOrUrl: string): string {
    const last = arnOrUrl.split(/[:/]/).pop() ?? arnOrUrl;
    if (this.template.Resources[last]) return last;
    throw new Error(`No local resource behind ${arnOrUrl}`);
  }

  resolve(value: any): any {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [fn] = keys as [string];
      const arg = value[fn];
      switch (fn) {
        case 'Ref':
          return this.ref(arg);
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.getAtt(id, attr);
        }
        case 'Fn::Join': {
          const [separator, parts] = arg;
          return (this.resolve(parts) as unknown[]).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = arg;
          return (this.resolve(list) as unknown[])[Number(this.resolve(index))];
        }
        case 'Fn::Split': {
          const [separator, source] = arg;
          return String(this.resolve(source)).split(separator);
        }
        case 'Fn::Sub': {
          const [text, vars = {}] = Array.isArray(arg) ? arg : [arg];
          return String(text).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
            if (name in vars) return String(this.resolve(vars[name]));
            const [id, attr] = name.split('.');
            return attr ? this.getAtt(id!, attr) : this.ref(id!);
          });
        }
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
  }

  private resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`Template has no resource ${logicalId}`);
    return resource;
  }
}
