/**
 * Provisioning: what the synthesized template declares, turned into what the
 * emulators run. Tables are created for real in DynamoDB Local; queues become
 * LocalQueues; functions, event source mappings, rules, state machines and
 * recurring schedules become plain definitions the emulators take. Nothing
 * else in local/ reads the template's resources.
 */
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput, type StreamViewType, type TimeToLiveSpecification } from '@aws-sdk/client-dynamodb';
import type { InputTransformer } from './input-transformer.ts';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../dynamodb-local.ts';
import { resourcesOfType, type CfnResource, type CfnTemplate, type Resolver } from '../template.ts';
import type { AsyncInvokeDef, FunctionDef, MappingDef, RecurringScheduleDef, RuleDef, StateMachineDef, StreamMappingDef } from './definitions.ts';
import { LocalQueue } from './queues.ts';

/*
 * The parts of each resource type's properties that the local run reads. The
 * `Resolved` ones are the properties after Resolver.resolve (intrinsics
 * replaced by the local names and ARNs); the others are read as the template
 * declares them.
 */

/** AWS::DynamoDB::Table: CloudFormation's shapes are CreateTable's. */
type ResolvedTableProperties = Pick<
  CreateTableCommandInput,
  'KeySchema' | 'AttributeDefinitions' | 'BillingMode' | 'ProvisionedThroughput' | 'GlobalSecondaryIndexes' | 'LocalSecondaryIndexes'
> & { TimeToLiveSpecification?: TimeToLiveSpecification; StreamSpecification?: { StreamViewType?: string } };

interface QueueProperties {
  VisibilityTimeout?: unknown;
  RedrivePolicy?: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
}

interface FunctionProperties {
  Timeout?: unknown;
  Role?: unknown;
  Environment?: { Variables?: Record<string, unknown> };
}

interface ResolvedEventSourceMappingProperties {
  FunctionName: string;
  EventSourceArn?: string;
  StartingPosition?: string;
  FilterCriteria?: { Filters?: Array<{ Pattern?: string }> };
  BisectBatchOnFunctionError?: boolean;
  MaximumRetryAttempts?: number;
  DestinationConfig?: { OnFailure?: { Destination?: string } };
  BatchSize?: number;
  FunctionResponseTypes?: string[];
  ScalingConfig?: { MaximumConcurrency?: number };
}

interface ResolvedRuleProperties {
  EventBusName?: string;
  EventPattern?: Record<string, unknown>;
  State?: string;
  Targets?: Array<{ Arn: string; DeadLetterConfig?: { Arn?: string }; InputTransformer?: InputTransformer; Input?: string; InputPath?: string }>;
}

interface ResolvedStateMachineProperties {
  RoleArn?: unknown;
  DefinitionString?: unknown;
  Definition?: StateMachineDefinition;
}

interface ResolvedScheduleProperties {
  State?: string;
  ScheduleExpression?: string;
  ScheduleExpressionTimezone?: string;
  Target: { Arn: string; RoleArn: string; Input?: string };
}

interface ResolvedEventInvokeConfigProperties {
  FunctionName: string;
  MaximumRetryAttempts?: number;
  DestinationConfig?: { OnFailure?: { Destination?: string } };
}

interface ResolvedSubscriptionFilterProperties {
  LogGroupName?: unknown;
  DestinationArn: string;
}

/** The handler source file of one of our functions (its `bhxh:entry` metadata); undefined for the functions CDK adds. */
function entryOf(logicalId: string, resource: CfnResource): string | undefined {
  const entry = resource.Metadata?.['bhxh:entry'];
  if (!entry) return undefined;
  if (typeof entry !== 'string') throw new Error(`Function ${logicalId}: its bhxh:entry metadata is not a path: ${JSON.stringify(entry)}`);
  return entry;
}

export class Provisioning {
  constructor(
    private readonly template: CfnTemplate,
    private readonly resolver: Resolver,
  ) {}

  /** `streams: false` leaves out the tables' streams (see LocalSystemOptions.tableStreams). */
  async createTables(dynamoEndpoint: string, options: { streams: boolean } = { streams: true }): Promise<void> {
    const client = new DynamoDBClient({ endpoint: dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      for (const [id, resource] of resourcesOfType(this.template, 'AWS::DynamoDB::Table')) {
        const p = this.resolver.resolve(resource.Properties ?? {}) as ResolvedTableProperties;
        const input: CreateTableCommandInput = {
          TableName: this.resolver.tableName(id),
          KeySchema: p.KeySchema,
          AttributeDefinitions: p.AttributeDefinitions,
          BillingMode: p.BillingMode ?? 'PROVISIONED',
          ...(p.BillingMode === 'PAY_PER_REQUEST' ? {} : { ProvisionedThroughput: p.ProvisionedThroughput }),
          ...(p.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: p.GlobalSecondaryIndexes } : {}),
          ...(p.LocalSecondaryIndexes ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes } : {}),
          // DynamoDB Local keeps a real stream: the stream pollers read it as Lambda reads AWS's.
          ...(options.streams && p.StreamSpecification?.StreamViewType
            ? { StreamSpecification: { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType as StreamViewType } }
            : {}),
        };
        // No TTL here, though the template sets it: DynamoDB Local deletes expired items by the wall clock (those
        // expired less than five years ago), while the local run's clock is the scenario's (2018, 2024…). An item
        // written in a scene would vanish under its next step, so the local run keeps every item (the ledger's readers
        // still treat content past its expiresAt as gone, by the local clock).
        await client.send(new CreateTableCommand(input));
      }
    } finally {
      client.destroy();
    }
  }

  /** The stack's queues by logical id, dead-letter queues wired as the redrive policies say. */
  queues(timeScale: number): Map<string, LocalQueue> {
    const queues = new Map<string, LocalQueue>();
    for (const [id, resource] of resourcesOfType(this.template, 'AWS::SQS::Queue')) {
      const p: QueueProperties = resource.Properties ?? {};
      queues.set(id, new LocalQueue(id, this.resolver.queueUrl(id), this.resolver.getAtt(id, 'Arn'), Number(p.VisibilityTimeout ?? 30), timeScale));
    }
    for (const [id, resource] of resourcesOfType(this.template, 'AWS::SQS::Queue')) {
      const redrive = (resource.Properties as QueueProperties | undefined)?.RedrivePolicy;
      if (!redrive) continue;
      const target = queues.get(this.resolver.logicalIdOf(this.resolver.resolveString(redrive.deadLetterTargetArn, `${id} dead-letter target`)));
      if (!target) throw new Error(`No local queue ${JSON.stringify(redrive.deadLetterTargetArn)}`);
      const queue = queues.get(id);
      if (!queue) throw new Error(`No local queue ${id}`);
      queue.deadLetter = { queue: target, maxReceiveCount: Number(redrive.maxReceiveCount) };
    }
    return queues;
  }

  /** Our functions (the custom-resource helpers CDK adds have no `bhxh:entry` and are left out). */
  functions(): FunctionDef[] {
    return resourcesOfType(this.template, 'AWS::Lambda::Function').flatMap(([id, resource]) => {
      const entry = entryOf(id, resource);
      if (!entry) return [];
      const p = (resource.Properties ?? {}) as FunctionProperties;
      const variables = this.resolver.resolve(p.Environment?.Variables ?? {}) as Record<string, unknown>;
      return [
        {
          logicalId: id,
          entry,
          timeoutSeconds: Number(p.Timeout ?? 3),
          roleLogicalId: this.resolver.logicalIdOf(this.resolver.resolveString(p.Role, `${id}.Role`)),
          environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, String(value)])),
        },
      ];
    });
  }

  /** The SQS event source mappings of our functions. */
  mappings(): MappingDef[] {
    const ours = new Set(this.functions().map((f) => f.logicalId));
    const mappings: MappingDef[] = [];
    for (const [, resource] of resourcesOfType(this.template, 'AWS::Lambda::EventSourceMapping')) {
      const p = this.resolver.resolve(resource.Properties ?? {}) as ResolvedEventSourceMappingProperties;
      const functionLogicalId = this.resolver.logicalIdOf(p.FunctionName);
      if (!ours.has(functionLogicalId) || !p.EventSourceArn?.startsWith('arn:aws:sqs:')) continue;
      mappings.push({
        queueArn: p.EventSourceArn,
        functionLogicalId,
        batchSize: Number(p.BatchSize ?? 10),
        reportsItemFailures: (p.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
        maxConcurrency: Number(p.ScalingConfig?.MaximumConcurrency ?? 1),
      });
    }
    return mappings;
  }

  /** The mappings of our functions on table streams (DynamoDB Streams). */
  streamMappings(): StreamMappingDef[] {
    const ours = new Set(this.functions().map((f) => f.logicalId));
    const mappings: StreamMappingDef[] = [];
    for (const [, resource] of resourcesOfType(this.template, 'AWS::Lambda::EventSourceMapping')) {
      const p = this.resolver.resolve(resource.Properties ?? {}) as ResolvedEventSourceMappingProperties;
      const functionLogicalId = this.resolver.logicalIdOf(p.FunctionName);
      const table = p.EventSourceArn?.match(/^arn:aws:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\//)?.[1];
      if (!ours.has(functionLogicalId) || !p.EventSourceArn || !table) continue;
      const onFailure = p.DestinationConfig?.OnFailure?.Destination;
      mappings.push({
        streamArn: p.EventSourceArn,
        tableName: table,
        functionLogicalId,
        batchSize: Number(p.BatchSize ?? 100),
        startingPosition: p.StartingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
        filters: (p.FilterCriteria?.Filters ?? []).map((f) => JSON.parse(f.Pattern ?? '{}') as Record<string, unknown>),
        reportsItemFailures: (p.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
        bisectOnError: p.BisectBatchOnFunctionError === true,
        maximumRetryAttempts: Number(p.MaximumRetryAttempts ?? -1),
        ...(onFailure ? { onFailure } : {}),
      });
    }
    return mappings;
  }

  /** Rules with an event pattern (scheduled rules fire from clock lines). */
  rules(): RuleDef[] {
    const rules: RuleDef[] = [];
    for (const [id, resource] of resourcesOfType(this.template, 'AWS::Events::Rule')) {
      const p = this.resolver.resolve(resource.Properties ?? {}) as ResolvedRuleProperties;
      if (!p.EventPattern || p.State === 'DISABLED') continue;
      rules.push({
        logicalId: id,
        arn: this.resolver.getAtt(id, 'Arn'),
        busName: p.EventBusName ?? 'default',
        pattern: p.EventPattern,
        targets: (p.Targets ?? []).map((t) => {
          if (t.Input !== undefined || t.InputPath !== undefined) throw new Error(`Rule ${id}: target Input/InputPath not supported locally`);
          return { arn: t.Arn, deadLetterArn: t.DeadLetterConfig?.Arn, ...(t.InputTransformer ? { inputTransformer: t.InputTransformer } : {}) };
        }),
      });
    }
    return rules;
  }

  stateMachines(): StateMachineDef[] {
    return resourcesOfType(this.template, 'AWS::StepFunctions::StateMachine').map(([id, resource]) => {
      const p = this.resolver.resolve(resource.Properties ?? {}) as ResolvedStateMachineProperties;
      const definition: StateMachineDefinition | undefined = typeof p.DefinitionString === 'string' ? JSON.parse(p.DefinitionString) : p.Definition;
      if (!definition) throw new Error(`State machine ${id} has neither DefinitionString nor Definition`);
      return { logicalId: id, arn: this.resolver.ref(id), roleLogicalId: this.resolver.logicalIdOf(String(p.RoleArn)), definition };
    });
  }

  /** The asynchronous-invocation settings of our functions (AWS::Lambda::EventInvokeConfig). */
  asyncInvokeConfigs(): AsyncInvokeDef[] {
    return resourcesOfType(this.template, 'AWS::Lambda::EventInvokeConfig').map(([, resource]) => {
      const p = this.resolver.resolve(resource.Properties ?? {}) as ResolvedEventInvokeConfigProperties;
      const onFailure = p.DestinationConfig?.OnFailure?.Destination;
      return { functionLogicalId: this.resolver.logicalIdOf(p.FunctionName), maximumRetryAttempts: Number(p.MaximumRetryAttempts ?? 2), ...(onFailure ? { onFailure } : {}) };
    });
  }

  /** The stack's recurring schedules (AWS::Scheduler::Schedule with a cron expression). */
  recurringSchedules(): RecurringScheduleDef[] {
    const schedules: RecurringScheduleDef[] = [];
    for (const [id, resource] of resourcesOfType(this.template, 'AWS::Scheduler::Schedule')) {
      const p = this.resolver.resolve(resource.Properties ?? {}) as ResolvedScheduleProperties;
      if (p.State === 'DISABLED' || !p.ScheduleExpression?.startsWith('cron(')) continue;
      schedules.push({ logicalId: id, expression: p.ScheduleExpression, timezone: p.ScheduleExpressionTimezone ?? 'UTC', target: p.Target });
    }
    return schedules;
  }

  /** The subscription of the delivered-status log group (SNS delivery receipts): its function and the log group's ARN. */
  receiptsSubscription(): { functionLogicalId: string; functionArn: string; logGroupArn: string } | undefined {
    const filter = resourcesOfType(this.template, 'AWS::Logs::SubscriptionFilter')
      .map(([, r]) => this.resolver.resolve(r.Properties ?? {}) as ResolvedSubscriptionFilterProperties)
      .find((p) => !String(JSON.stringify(p.LogGroupName)).includes('/Failure'));
    if (!filter) return undefined;
    return {
      functionLogicalId: this.resolver.logicalIdOf(filter.DestinationArn),
      functionArn: filter.DestinationArn,
      logGroupArn: this.resolver.arn('logs', `log-group:${String(filter.LogGroupName)}:*`),
    };
  }

  /** The daily ceilings the stack gives the sender (its DAILY_CEILINGS setting). */
  /** A variable of the sender function's environment (the function whose DAILY_CEILINGS is set), if the template has it. */
  senderVariable(name: string): string | undefined {
    for (const [, fn] of resourcesOfType(this.template, 'AWS::Lambda::Function')) {
      const variables = (fn.Properties as FunctionProperties | undefined)?.Environment?.Variables;
      if (typeof variables?.DAILY_CEILINGS === 'string') return typeof variables[name] === 'string' ? variables[name] : undefined;
    }
    return undefined;
  }

  dailyCeilings(): Record<string, number> {
    for (const [, fn] of resourcesOfType(this.template, 'AWS::Lambda::Function')) {
      const value = (fn.Properties as FunctionProperties | undefined)?.Environment?.Variables?.DAILY_CEILINGS;
      if (typeof value === 'string') return JSON.parse(value);
    }
    return {};
  }

  tableName(logicalPrefix: string): string {
    const ids = resourcesOfType(this.template, 'AWS::DynamoDB::Table')
      .map(([id]) => id)
      .filter((id) => id.startsWith(logicalPrefix));
    const [id, ...others] = ids;
    if (id === undefined || others.length > 0) throw new Error(`Expected one table whose logical id starts with ${logicalPrefix}, found ${ids.join(', ') || 'none'}`);
    return this.resolver.tableName(id);
  }

  /** The name of the one bucket whose logical id starts with `logicalPrefix`. */
  bucketName(logicalPrefix: string): string {
    const ids = resourcesOfType(this.template, 'AWS::S3::Bucket')
      .map(([id]) => id)
      .filter((id) => id.startsWith(logicalPrefix));
    const [id, ...others] = ids;
    if (id === undefined || others.length > 0) throw new Error(`Expected one bucket whose logical id starts with ${logicalPrefix}, found ${ids.join(', ') || 'none'}`);
    return this.resolver.ref(id);
  }
}
