/**
 * The definitions Provisioning makes of the template's resources, one shape per
 * emulator: what a function, an event source mapping, a rule, a state machine
 * or a schedule is to the local run. Kept apart from provisioning.ts, which
 * reads the template, so that an emulator depends on the shape it runs and not
 * on how the template is read.
 */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { InputTransformer } from './input-transformer.ts';

export interface FunctionDef {
  logicalId: string;
  /** The handler's source file, relative to the repository root (the `bhxh:entry` metadata). */
  entry: string;
  timeoutSeconds: number;
  /** The function's execution role (its logical id). */
  roleLogicalId: string;
  /** The variables the template gives this function, and no other's. */
  environment: Record<string, string>;
}

export interface MappingDef {
  queueArn: string;
  functionLogicalId: string;
  batchSize: number;
  reportsItemFailures: boolean;
  maxConcurrency: number;
}

/** An event source mapping on a table's stream (AWS::Lambda::EventSourceMapping whose EventSourceArn is a StreamArn). */
export interface StreamMappingDef {
  /** The stream's ARN as the template resolves it: what the role's policies name. */
  streamArn: string;
  /** The table whose stream it is (DynamoDB Local's own stream ARN is looked up by its name). */
  tableName: string;
  functionLogicalId: string;
  batchSize: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** FilterCriteria's patterns (EventBridge's pattern language, on the stream record): a record matching none is dropped. */
  filters: Record<string, unknown>[];
  reportsItemFailures: boolean;
  bisectOnError: boolean;
  /** Retries of a failing batch (-1: until the record expires, as AWS's default). */
  maximumRetryAttempts: number;
  /** Where the stream position of a batch that failed every retry goes (an SQS queue's ARN). */
  onFailure?: string;
}

export interface RuleDef {
  logicalId: string;
  /** `arn:aws:events:<region>:<account>:rule/<bus>/<name>`: what a queue policy's aws:SourceArn sees. */
  arn: string;
  busName: string;
  pattern: Record<string, unknown>;
  targets: Array<{ arn: string; deadLetterArn?: string; inputTransformer?: InputTransformer }>;
}

export interface StateMachineDef {
  logicalId: string;
  arn: string;
  /** The role the state machine's tasks run with. */
  roleLogicalId: string;
  definition: StateMachineDefinition;
}

/** AWS::Lambda::EventInvokeConfig: how a function's asynchronous invocations are retried, and where a failed one goes. */
export interface AsyncInvokeDef {
  functionLogicalId: string;
  /** Retries after the first attempt (AWS's default is 2). */
  maximumRetryAttempts: number;
  /** The on-failure destination's ARN (an SQS queue in this stack). */
  onFailure?: string;
}

export interface RecurringScheduleDef {
  logicalId: string;
  expression: string;
  timezone: string;
  target: { Arn: string; RoleArn: string; Input?: string };
}
