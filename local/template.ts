/**
 * The local run works from the CloudFormation template that CDK synthesizes,
 * so tables, rules, queues, event source mappings, environment variables and
 * state machines are the deployed ones, not a hand-written copy.
 */
/**
 * A resource as the template declares it. Its properties are JSON with
 * CloudFormation intrinsics anywhere in them: readers narrow what they take
 * (usually after Resolver.resolve).
 */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

export const LOCAL_ACCOUNT = '000000000000';

/** The label of every table stream's local ARN (`table/<name>/stream/<label>`). */
export const STREAM_LABEL = '2026-01-01T00:00:00.000';

/** The property that names a resource, for the types whose ARNs the policies build from that name. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Scheduler::ScheduleGroup': 'Name',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Events::Rule': 'Name',
};

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

  /** The physical name a resource has when the template names it (StateMachineName, RoleName…), else its logical id. */
  nameOf(logicalId: string): string {
    const resource = this.resource(logicalId);
    const property = NAME_PROPERTY[resource.Type];
    const named = property ? resource.Properties?.[property] : undefined;
    return named === undefined ? logicalId : this.resolveString(named, `${logicalId}.${property}`);
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
        return this.resolveString(resource.Properties?.Name ?? logicalId, `${logicalId}.Name`);
      case 'AWS::StepFunctions::StateMachine':
        return this.arn('states', `stateMachine:${this.nameOf(logicalId)}`);
      case 'AWS::SNS::Topic':
        return this.arn('sns', this.nameOf(logicalId));
      case 'AWS::S3::Bucket':
        return this.nameOf(logicalId).toLowerCase();
      case 'AWS::SecretsManager::Secret':
        // A secret's Ref is its ARN, which ends with 6 random characters.
        return this.arn('secretsmanager', `secret:${logicalId}-local0`);
      case 'AWS::Logs::LogGroup':
      case 'AWS::Scheduler::ScheduleGroup':
      case 'AWS::IAM::Role':
      case 'AWS::Lambda::Function':
        return this.nameOf(logicalId);
      default:
        return logicalId;
    }
  }

  getAtt(logicalId: string, attribute: string): string {
    const resource = this.resource(logicalId);
    switch (`${resource.Type}.${attribute}`) {
      case 'AWS::DynamoDB::Table.Arn':
        return this.arn('dynamodb', `table/${this.tableName(logicalId)}`);
      case 'AWS::DynamoDB::Table.StreamArn':
        // The label is fixed (as the placeholder assembly's, local/placeholders.ts): policies name this ARN; the stream poller reads DynamoDB Local's own.
        return `${this.getAtt(logicalId, 'Arn')}/stream/${STREAM_LABEL}`;
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
        return this.arn('lambda', `function:${this.nameOf(logicalId)}`);
      case 'AWS::StepFunctions::StateMachine.Arn':
        return this.ref(logicalId);
      case 'AWS::StepFunctions::StateMachine.Name':
        return this.nameOf(logicalId);
      case 'AWS::IAM::Role.Arn':
        return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${this.nameOf(logicalId)}`;
      case 'AWS::S3::Bucket.Arn':
        return `arn:aws:s3:::${this.ref(logicalId)}`;
      case 'AWS::Logs::LogGroup.Arn':
        return this.arn('logs', `log-group:${this.nameOf(logicalId)}:*`);
      case 'AWS::Events::Rule.Arn': {
        const bus = resource.Properties?.EventBusName;
        const busName = bus === undefined ? 'default' : this.resolveString(bus, `${logicalId}.EventBusName`);
        return this.arn('events', `rule/${busName === 'default' ? '' : `${busName}/`}${this.nameOf(logicalId)}`);
      }
      case 'AWS::Scheduler::ScheduleGroup.Arn':
        return this.arn('scheduler', `schedule-group/${this.nameOf(logicalId)}`);
      case 'AWS::KMS::Key.Arn':
        return this.arn('kms', `key/${logicalId}`);
      case 'AWS::SNS::Topic.TopicArn':
        return this.ref(logicalId);
      default:
        return this.arn('local', `${logicalId}/${attribute}`);
    }
  }

  /** Which local resource an ARN (or queue URL) names. */
  logicalIdOf(arnOrUrl: string): string {
    const last = arnOrUrl.split(/[:/]/).pop() ?? arnOrUrl;
    if (this.template.Resources[last]) return last;
    // A resource the template names (a state machine's StateMachineName…): found by that name.
    const named = Object.keys(this.template.Resources).find((id) => NAME_PROPERTY[this.resource(id).Type] && this.nameOf(id) === last);
    if (named) return named;
    throw new Error(`No local resource behind ${arnOrUrl}`);
  }

  /** Resolves the intrinsics anywhere in `value`; what is not an intrinsic is returned as it is. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [fn] = keys as [string];
      const arg: unknown = (value as Record<string, unknown>)[fn];
      switch (fn) {
        case 'Ref':
          return this.ref(String(arg));
        case 'Fn::GetAtt': {
          const [id, attr] = (Array.isArray(arg) ? arg : String(arg).split('.')).map(String);
          return this.getAtt(id, attr);
        }
        case 'Fn::Join': {
          const [separator, parts] = intrinsicArgs(fn, arg);
          return (this.resolve(parts) as unknown[]).join(String(separator));
        }
        case 'Fn::Select': {
          const [index, list] = intrinsicArgs(fn, arg);
          return (this.resolve(list) as unknown[])[Number(this.resolve(index))];
        }
        case 'Fn::Split': {
          const [separator, source] = intrinsicArgs(fn, arg);
          return String(this.resolve(source)).split(String(separator));
        }
        case 'Fn::Sub': {
          const [text, vars = {}] = Array.isArray(arg) ? arg : [arg];
          if (vars === null || typeof vars !== 'object') throw new Error(`Fn::Sub: its variables are not an object: ${JSON.stringify(vars)}`);
          const variables = vars as Record<string, unknown>;
          return String(text).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
            if (name in variables) return String(this.resolve(variables[name]));
            const [id, attr] = name.split('.') as [string, string | undefined];
            return attr ? this.getAtt(id, attr) : this.ref(id);
          });
        }
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
  }

  /** Resolves `value`, which must come out a string (a name, an ARN, a URL); `what` names it in the error otherwise. */
  resolveString(value: unknown, what: string): string {
    const resolved = this.resolve(value);
    if (typeof resolved !== 'string') throw new Error(`${what} does not resolve to a string: ${JSON.stringify(resolved)}`);
    return resolved;
  }

  private resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`Template has no resource ${logicalId}`);
    return resource;
  }
}

/** The argument list of an intrinsic function that takes one (`Fn::Join: [separator, parts]`…). */
function intrinsicArgs(fn: string, arg: unknown): unknown[] {
  if (!Array.isArray(arg)) throw new Error(`${fn} takes a list, got ${JSON.stringify(arg)}`);
  return arg;
}
