/**
 * The whole system on one machine, built from the synthesized template:
 * DynamoDB Local holds the tables, an in-process bus routes events by the
 * template's rules, in-process queues feed the real handlers through the
 * template's event source mappings, and an outbox takes the place of SNS.
 *
 * SDK calls the handlers make to SQS and EventBridge are answered by these
 * stand-ins (there is no local SQS or EventBridge here); DynamoDB calls go to
 * DynamoDB Local for real.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { StateMachine as LocalStateMachine } from 'aws-local-stepfunctions';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { setClock, now } from '../lambdas/commons/clock.ts';
import type { SmsGateway, SmsToSend } from '../lambdas/sender/send.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { matchesPattern } from './event-pattern.ts';
import { LocalQueue } from './queues.ts';
import { cronFiresBetween } from './cron.ts';
import { Resolver, resourcesOfType, synthesizeTemplate, type CfnTemplate } from './template.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');

export interface OutboxLine {
  to: string;
  text: string;
  kind: string;
  segments: number;
  key: string;
  at: string;
}

export interface LocalSystemOptions {
  /** Use a running DynamoDB Local instead of starting one. */
  dynamoEndpoint?: string;
  /** Prefix for table names, so several systems can share one DynamoDB Local. */
  tablePrefix?: string;
  /** Compresses queue waits (visibility timeouts, backoff): 0.001 turns a minute into 60 ms. */
  timeScale?: number;
  /** CDK context overrides, e.g. `{ 'bhxh:smsPartsPerSecond': 100 }`. */
  context?: Record<string, unknown>;
  /** Powertools log level for the handlers (default SILENT: the local run prints its own summary). */
  logLevel?: string;
  /** Called for every SMS handed to the outbox. */
  onSms?: (line: OutboxLine) => void;
  /** SMS gateway to use instead of the outbox (fault tests wrap the outbox with failures). */
  gateway?: (outbox: SmsGateway) => SmsGateway;
  /** Fire the stack's recurring schedules (campaign runs) as the clock passes them (default true). */
  recurringSchedules?: boolean;
  /**
   * 'outbox' (default): the sender writes to the outbox. 'sns': the sender's own SNS
   * code runs, and the caller intercepts SNS (tests do, with aws-sdk-client-mock).
   */
  sms?: 'outbox' | 'sns';
  /**
   * The outbox answers each SMS with a `delivered` receipt through the stack's
   * delivery-status subscription, as SNS would (default true).
   */
  receipts?: boolean;
  /** Called after every function invocation with the function's source entry and its duration (the cost model counts them). */
  onInvoke?: (entry: string, ms: number) => void;
}

interface LocalFunction {
  logicalId: string;
  entry: string;
  timeoutSeconds: number;
  handler?: (event: unknown, context: Context) => Promise<unknown>;
}

interface LocalMapping {
  queue: LocalQueue;
  fn: LocalFunction;
  batchSize: number;
  reportsItemFailures: boolean;
  maxConcurrency: number;
}

interface LocalRule {
  logicalId: string;
  busName: string;
  pattern: Record<string, unknown>;
  targets: Array<{ arn: string; deadLetterArn?: string }>;
}

interface LocalStateMachineDef {
  logicalId: string;
  arn: string;
  definition: { States: Record<string, any>; StartAt: string };
}

export interface LocalExecution {
  name: string;
  stateMachine: string;
  input: unknown;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  /** The execution's event history, as aws-local-stepfunctions logs it (what the console would show). */
  history: unknown[];
  done: Promise<void>;
  abort: () => void;
}

interface WaitingTask {
  /** True once the execution is parked on the token (it no longer counts as active). */
  parked: boolean;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  /** Local-clock time (ms) at which the task times out, from its TimeoutSeconds. */
  deadline?: number;
}

interface LocalSchedule {
  name: string;
  group: string;
  at: Date;
  expression: string;
  timezone: string;
  target: { Arn: string; RoleArn: string; Input?: string };
}

/** `at(2026-12-01T08:00:00)` in a time zone; the local run knows Asia/Ho_Chi_Minh (UTC+7, no DST) and UTC. */
function parseAtExpression(expression: string, timezone = 'UTC'): Date {
  const match = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (!match) throw namedError('ValidationException', `Only one-time at(...) schedules are supported locally, got ${expression}`);
  const offset = { 'Asia/Ho_Chi_Minh': '+07:00', UTC: 'Z' }[timezone];
  if (!offset) throw namedError('ValidationException', `Time zone ${timezone} is not known to the local run`);
  return new Date(`${match[1]}${offset}`);
}

const namedError = (name: string, message = name) => Object.assign(new Error(message), { name });

/** Vietnam time (UTC+7, no DST) as an ISO string with its offset: what operators read. */
export function vietnamIso(at: Date): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+07:00');
}

export class LocalSystem {
  readonly outbox: OutboxLine[] = [];
  /** S3 objects written by the handlers, by `bucket/key` (the local run keeps them in memory). */
  readonly objects = new Map<string, string>();
  /** Every event put on the local bus, including the system's own (DossierOverdue…). */
  readonly busEvents: Array<Record<string, any>> = [];
  readonly queues = new Map<string, LocalQueue>();
  private readonly functions = new Map<string, LocalFunction>();
  /** Delivery-status log lines the outbox has produced and the receipts function has not yet read. */
  private readonly receiptLog: string[] = [];
  private readonly mappings: LocalMapping[] = [];
  private readonly rules: LocalRule[] = [];
  private readonly stubs: AwsStub<any, any, any>[] = [];
  private readonly stateMachines = new Map<string, LocalStateMachineDef>();
  readonly executions = new Map<string, LocalExecution>();
  private readonly waitingTasks = new Map<string, WaitingTask>();
  /** EventBridge Scheduler one-time schedules, fired when the local clock passes them. */
  readonly schedules = new Map<string, LocalSchedule>();
  /** The stack's recurring schedules (AWS::Scheduler::Schedule with a cron expression). */
  private readonly recurring: Array<{ logicalId: string; expression: string; timezone: string; target: { Arn: string; Input?: string } }> = [];
  /** Local time up to which recurring schedules have fired. */
  private clockAt: number | undefined;
  private readonly usedTokens = new Set<string>();
  /** Executions that are running a step right now (not waiting for a task token). */
  private activeExecutions = 0;
  readonly db: DynamoDBDocumentClient;

  private constructor(
    readonly template: CfnTemplate,
    readonly resolver: Resolver,
    private readonly dynamo: DynamoDbLocal | undefined,
    readonly dynamoEndpoint: string,
    private readonly options: LocalSystemOptions,
  ) {
    this.db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  static async start(options: LocalSystemOptions = {}): Promise<LocalSystem> {
    const template = synthesizeTemplate(options.context);
    const tablePrefix = options.tablePrefix ?? `local${randomUUID().slice(0, 8)}_`;
    const resolver = new Resolver(template, LOCAL_REGION, tablePrefix);
    const dynamo = options.dynamoEndpoint ? undefined : await startDynamoDbLocal();
    const system = new LocalSystem(template, resolver, dynamo, options.dynamoEndpoint ?? dynamo!.endpoint, options);
    try {
      await system.createTables();
      system.createQueues();
      system.createFunctions();
      system.createRules();
      system.createStateMachines();
      system.createRecurringSchedules();
      system.interceptSdk();
    } catch (error) {
      await system.stop();
      throw error;
    }
    return system;
  }

  /** Moves the local clock: everything that reads `now()` sees this time from here on; task timeouts due by then fire. */
  setClock(to: Date): void {
    setClock(to);
    this.fireDueTimeouts();
  }

  /**
   * Moves the local clock to `to`, firing every one-time schedule due on the
   * way in time order (the clock stands at each schedule's time while it is
   * delivered and processed), and the task timeouts due by then.
   */
  async advanceClock(to: Date): Promise<void> {
    const from = new Date(this.clockAt ?? now().getTime());
    const ticks = this.recurring.flatMap((r) => cronFiresBetween(r.expression, r.timezone, from, to).map((at) => ({ at, target: r.target, id: r.logicalId })));
    for (;;) {
      const oneTime = [...this.schedules.values()].filter((s) => s.at <= to).sort((a, b) => a.at.getTime() - b.at.getTime())[0];
      ticks.sort((a, b) => a.at.getTime() - b.at.getTime());
      const tick = ticks[0];
      if (!oneTime && !tick) break;
      if (tick && (!oneTime || tick.at < oneTime.at)) {
        ticks.shift();
        if (tick.at > now()) this.setClock(tick.at);
        const input = (tick.target.Input ?? '{}').replaceAll('<aws.scheduler.scheduled-time>', tick.at.toISOString().replace(/\.\d{3}Z$/, 'Z')).replaceAll('<aws.scheduler.execution-id>', randomUUID());
        this.queue(tick.target.Arn).send(input);
      } else {
        this.schedules.delete(`${oneTime!.group}/${oneTime!.name}`);
        if (oneTime!.at > now()) this.setClock(oneTime!.at);
        this.queue(oneTime!.target.Arn).send(oneTime!.target.Input ?? '{}');
      }
      await this.drain();
    }
    this.setClock(to);
    this.clockAt = to.getTime();
    await this.drain();
  }

  /**
   * Moves the clock without firing the recurring schedules in between: for
   * tests that begin a new scene months later. Replays use advanceClock.
   */
  jumpClock(to: Date): void {
    this.setClock(to);
    this.clockAt = to.getTime();
  }

  /** PutEvents on the local bus: each entry is matched against the template's rules and delivered to their targets. */
  async putEvents(entries: PutEventsRequestEntry[]): Promise<{ failed: number; errors: string[] }> {
    const errors: string[] = [];
    for (const entry of entries) {
      const error = this.deliver(entry);
      if (error) errors.push(error);
    }
    return { failed: errors.length, errors };
  }

  /** Runs the handlers until every queue with a consumer is empty. */
  async drain(): Promise<void> {
    for (;;) {
      this.fireDueTimeouts();
      const busy = this.mappings.filter((m) => m.queue.messages.length > 0);
      if (busy.length === 0 && this.activeExecutions === 0 && this.receiptLog.length > 0) {
        await this.deliverReceipts();
        continue;
      }
      if (busy.length === 0 && this.activeExecutions === 0) return;
      if (busy.length === 0) {
        await new Promise((r) => setTimeout(r, 2));
        continue;
      }
      const ran = await Promise.all(busy.map((m) => this.pumpOnce(m)));
      if (!ran.some(Boolean)) {
        const wait = Math.min(...busy.map((m) => m.queue.nextVisibleIn() ?? 0));
        await new Promise((r) => setTimeout(r, Math.max(1, Math.min(wait, 1000))));
      }
    }
  }

  /** The daily ceilings the stack gives the sender (its DAILY_CEILINGS setting). */
  get dailyCeilings(): Record<string, number> {
    for (const [, fn] of resourcesOfType(this.template, 'AWS::Lambda::Function')) {
      const value = fn.Properties?.Environment?.Variables?.DAILY_CEILINGS;
      if (typeof value === 'string') return JSON.parse(value);
    }
    return {};
  }

  /** Hands the outbox's receipts to the function the delivered-status log group is subscribed to. */
  private async deliverReceipts(): Promise<void> {
    const lines = this.receiptLog.splice(0);
    const filter = resourcesOfType(this.template, 'AWS::Logs::SubscriptionFilter')
      .map(([, r]) => this.resolver.resolve(r.Properties ?? {}))
      .find((p) => !String(JSON.stringify(p.LogGroupName)).includes('/Failure'));
    const fn = filter && this.functions.get(this.resolver.logicalIdOf(filter.DestinationArn));
    if (!fn) return;
    const data = gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: lines.map((message, i) => ({ id: String(i), timestamp: Date.now(), message })) })).toString('base64');
    await this.invoke(fn, { awslogs: { data } });
  }

  queueByLogicalPrefix(prefix: string): LocalQueue {
    const found = [...this.queues.values()].filter((q) => q.logicalId.startsWith(prefix));
    if (found.length !== 1) throw new Error(`Expected one queue whose logical id starts with ${prefix}, found ${found.map((q) => q.logicalId).join(', ') || 'none'}`);
    return found[0]!;
  }

  tableName(logicalPrefix: string): string {
    const ids = resourcesOfType(this.template, 'AWS::DynamoDB::Table')
      .map(([id]) => id)
      .filter((id) => id.startsWith(logicalPrefix));
    if (ids.length !== 1) throw new Error(`Expected one table whose logical id starts with ${logicalPrefix}, found ${ids.join(', ') || 'none'}`);
    return this.resolver.tableName(ids[0]!);
  }

  async scan<T>(logicalPrefix: string): Promise<T[]> {
    const items: T[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new ScanCommand({ TableName: this.tableName(logicalPrefix), ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...((page.Items ?? []) as T[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async stop(): Promise<void> {
    for (const execution of this.executions.values()) if (execution.status === 'RUNNING') execution.abort();
    for (const stub of this.stubs) stub.restore();
    this.stubs.length = 0;
    this.db.destroy();
    await this.dynamo?.stop();
  }

  // ---- set-up from the template ----

  private async createTables(): Promise<void> {
    const client = new DynamoDBClient({ endpoint: this.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      for (const [id, resource] of resourcesOfType(this.template, 'AWS::DynamoDB::Table')) {
        const p = this.resolver.resolve(resource.Properties ?? {});
        const input: CreateTableCommandInput = {
          TableName: this.resolver.tableName(id),
          KeySchema: p.KeySchema,
          AttributeDefinitions: p.AttributeDefinitions,
          BillingMode: p.BillingMode ?? 'PROVISIONED',
          ...(p.BillingMode === 'PAY_PER_REQUEST' ? {} : { ProvisionedThroughput: p.ProvisionedThroughput }),
          ...(p.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: p.GlobalSecondaryIndexes } : {}),
          ...(p.LocalSecondaryIndexes ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes } : {}),
        };
        await client.send(new CreateTableCommand(input));
        if (p.TimeToLiveSpecification?.Enabled) {
          await client.send(new UpdateTimeToLiveCommand({ TableName: input.TableName, TimeToLiveSpecification: p.TimeToLiveSpecification }));
        }
      }
    } finally {
      client.destroy();
    }
  }

  private createQueues(): void {
    const timeScale = this.options.timeScale ?? 0.001;
    for (const [id, resource] of resourcesOfType(this.template, 'AWS::SQS::Queue')) {
      const p = resource.Properties ?? {};
      this.queues.set(id, new LocalQueue(id, this.resolver.queueUrl(id), this.resolver.getAtt(id, 'Arn'), Number(p.VisibilityTimeout ?? 30), timeScale));
    }
    for (const [id, resource] of resourcesOfType(this.template, 'AWS::SQS::Queue')) {
      const redrive = resource.Properties?.RedrivePolicy;
      if (!redrive) continue;
      const target = this.queue(this.resolver.resolve(redrive.deadLetterTargetArn));
      this.queues.get(id)!.deadLetter = { queue: target, maxReceiveCount: Number(redrive.maxReceiveCount) };
    }
  }

  private createFunctions(): void {
    const environment: Record<string, string> = {};
    for (const [id, resource] of resourcesOfType(this.template, 'AWS::Lambda::Function')) {
      const entry = resource.Metadata?.['bhxh:entry'];
      if (!entry) continue; // custom-resource helpers CDK adds; nothing of ours
      this.functions.set(id, { logicalId: id, entry, timeoutSeconds: Number(resource.Properties?.Timeout ?? 3) });
      const vars = this.resolver.resolve(resource.Properties?.Environment?.Variables ?? {}) as Record<string, string>;
      for (const [name, value] of Object.entries(vars)) {
        if (name.startsWith('POWERTOOLS_')) continue;
        if (name in environment && environment[name] !== value) {
          throw new Error(`Functions disagree on ${name} (${environment[name]} vs ${value}); the local run shares one process environment`);
        }
        environment[name] = String(value);
      }
    }
    // One process, one environment: the union of the functions' variables (they never disagree, checked above).
    Object.assign(process.env, environment, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: this.dynamoEndpoint,
      POWERTOOLS_LOG_LEVEL: this.options.logLevel ?? 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_METRICS_NAMESPACE: 'BhxhNotifyLocal',
      POWERTOOLS_SERVICE_NAME: 'bhxh-notify-local',
    });
    for (const [, resource] of resourcesOfType(this.template, 'AWS::Lambda::EventSourceMapping')) {
      const p = this.resolver.resolve(resource.Properties ?? {});
      const fn = this.functions.get(this.resolver.logicalIdOf(p.FunctionName));
      if (!fn || !String(p.EventSourceArn).startsWith('arn:aws:sqs:')) continue;
      this.mappings.push({
        queue: this.queue(p.EventSourceArn),
        fn,
        batchSize: Number(p.BatchSize ?? 10),
        reportsItemFailures: (p.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
        maxConcurrency: Number(p.ScalingConfig?.MaximumConcurrency ?? 1),
      });
    }
  }

  private createRules(): void {
    for (const [id, resource] of resourcesOfType(this.template, 'AWS::Events::Rule')) {
      const p = this.resolver.resolve(resource.Properties ?? {});
      if (!p.EventPattern || p.State === 'DISABLED') continue; // scheduled rules fire from clock lines
      this.rules.push({
        logicalId: id,
        busName: p.EventBusName ?? 'default',
        pattern: p.EventPattern,
        targets: (p.Targets ?? []).map((t: any) => ({ arn: t.Arn, deadLetterArn: t.DeadLetterConfig?.Arn })),
      });
    }
  }

  private createRecurringSchedules(): void {
    if (this.options.recurringSchedules === false) return;
    for (const [id, resource] of resourcesOfType(this.template, 'AWS::Scheduler::Schedule')) {
      const p = this.resolver.resolve(resource.Properties ?? {});
      if (p.State === 'DISABLED' || !String(p.ScheduleExpression).startsWith('cron(')) continue;
      this.recurring.push({ logicalId: id, expression: p.ScheduleExpression, timezone: p.ScheduleExpressionTimezone ?? 'UTC', target: p.Target });
    }
  }

  private createStateMachines(): void {
    for (const [id, resource] of resourcesOfType(this.template, 'AWS::StepFunctions::StateMachine')) {
      const p = this.resolver.resolve(resource.Properties ?? {});
      const definition = typeof p.DefinitionString === 'string' ? JSON.parse(p.DefinitionString) : p.Definition;
      this.stateMachines.set(id, { logicalId: id, arn: this.resolver.ref(id), definition });
    }
  }

  /** StartExecution: runs the synthesized ASL with aws-local-stepfunctions, Task states mapped to the local handlers. */
  startExecution(stateMachineArn: string, name: string, input: unknown): LocalExecution {
    const machine = this.stateMachines.get(this.resolver.logicalIdOf(stateMachineArn));
    if (!machine) throw namedError('StateMachineDoesNotExist', `No local state machine ${stateMachineArn}`);
    const existing = this.executions.get(`${machine.logicalId}:${name}`);
    if (existing) {
      if (JSON.stringify(existing.input) === JSON.stringify(input) && existing.status === 'RUNNING') return existing;
      throw namedError('ExecutionAlreadyExists', `Execution ${name} already exists`);
    }
    const token = `${name}:${randomUUID()}`;
    const localMachine = new LocalStateMachine(machine.definition as any, { validationOptions: { checkArn: false, checkPaths: false } });
    const run = localMachine.run(input as any, {
      overrides: { taskResourceLocalHandlers: this.taskHandlers(machine.definition.States) },
      noThrowOnAbort: true,
      context: {
        Execution: { Id: `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`, Name: name, Input: input, StartTime: now().toISOString() },
        StateMachine: { Id: machine.arn, Name: machine.logicalId },
        Task: { Token: token },
      } as any,
    });
    const execution: LocalExecution = { name, stateMachine: machine.logicalId, input, status: 'RUNNING', history: [], done: Promise.resolve(), abort: run.abort };
    this.activeExecutions += 1;
    const history = (async () => {
      for await (const event of run.eventLogs) execution.history.push(event);
    })().catch(() => undefined);
    execution.done = run.result.then(
      (output) => {
        execution.status = 'SUCCEEDED';
        execution.output = output;
      },
      (error: Error) => {
        execution.status = 'FAILED';
        execution.error = `${error.name}: ${error.message}`;
      },
    ).finally(async () => {
      await history;
      this.activeExecutions -= 1;
    });
    this.executions.set(`${machine.logicalId}:${name}`, execution);
    return execution;
  }

  private taskHandlers(states: Record<string, any>): Record<string, (input: any) => Promise<any>> {
    const handlers: Record<string, (input: any) => Promise<any>> = {};
    for (const [stateName, state] of Object.entries(states)) {
      if (state.Type === 'Parallel') for (const branch of state.Branches ?? []) Object.assign(handlers, this.taskHandlers(branch.States));
      if (state.Type === 'Map') Object.assign(handlers, this.taskHandlers((state.ItemProcessor ?? state.Iterator).States));
      if (state.Type !== 'Task') continue;
      const resource = String(state.Resource);
      if (resource.startsWith('arn:aws:lambda:')) {
        handlers[stateName] = (input) => this.invokeByArn(resource, input);
      } else if (resource === 'arn:aws:states:::lambda:invoke') {
        handlers[stateName] = async (input) => ({ StatusCode: 200, Payload: await this.invokeByArn(input.FunctionName, input.Payload) });
      } else if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
        handlers[stateName] = (input) => this.invokeAndWaitForToken(input.FunctionName, input.Payload);
      } else {
        handlers[stateName] = async () => {
          throw new Error(`Task ${stateName}: resource ${resource} has no local stand-in`);
        };
      }
    }
    return handlers;
  }

  private async invokeByArn(arn: string, payload: unknown): Promise<unknown> {
    const fn = this.functions.get(this.resolver.logicalIdOf(arn));
    if (!fn) throw new Error(`No local function behind ${arn}`);
    return this.invoke(fn, payload);
  }

  /**
   * A `.waitForTaskToken` task: the function stores the token; the task then
   * waits for SendTaskSuccess/Failure with it, or for its timeout on the local
   * clock (the payload carries `timeoutSeconds`, the same value as the state's
   * TimeoutSecondsPath).
   */
  private async invokeAndWaitForToken(functionArn: string, payload: { taskToken?: string; timeoutSeconds?: number }): Promise<unknown> {
    const token = payload.taskToken;
    if (!token) throw new Error('waitForTaskToken task without taskToken in its payload');
    this.usedTokens.delete(token);
    let task!: WaitingTask;
    const waiting = new Promise<unknown>((resolve, reject) => {
      task = { parked: false, resolve, reject, ...(payload.timeoutSeconds ? { deadline: now().getTime() + payload.timeoutSeconds * 1000 } : {}) };
      this.waitingTasks.set(token, task);
    });
    waiting.catch(() => undefined); // a timeout may fire while the function is still storing the token
    await this.invokeByArn(functionArn, payload);
    if (this.waitingTasks.get(token) === task) {
      // Parked: drain() may return while this execution waits; completeTask() makes it active again, synchronously.
      task.parked = true;
      this.activeExecutions -= 1;
    }
    return waiting;
  }

  private completeTask(token: string, outcome: { output: unknown } | { error: Error }): void {
    const task = this.waitingTasks.get(token);
    if (!task) {
      throw this.usedTokens.has(token) ? namedError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore') : namedError('InvalidToken', 'Invalid token');
    }
    this.waitingTasks.delete(token);
    this.usedTokens.add(token);
    if (task.parked) this.activeExecutions += 1;
    if ('output' in outcome) task.resolve(outcome.output);
    else task.reject(outcome.error);
  }

  private fireDueTimeouts(): void {
    const at = now().getTime();
    for (const [token, task] of this.waitingTasks) {
      if (task.deadline !== undefined && task.deadline <= at) this.completeTask(token, { error: namedError('States.Timeout') });
    }
  }

  private interceptSdk(): void {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageCommand).callsFake((input) => ({
      MessageId: this.queue(input.QueueUrl).send(input.MessageBody, input.MessageAttributes, input.DelaySeconds),
    }));
    sqs.on(SendMessageBatchCommand).callsFake((input) => ({
      Successful: (input.Entries ?? []).map((e: any) => ({ Id: e.Id, MessageId: this.queue(input.QueueUrl).send(e.MessageBody, e.MessageAttributes, e.DelaySeconds) })),
      Failed: [],
    }));
    sqs.on(ChangeMessageVisibilityCommand).callsFake((input) => {
      this.queue(input.QueueUrl).changeVisibility(input.ReceiptHandle, input.VisibilityTimeout);
      return {};
    });
    // What the ops CLI uses on the quarantine and the dead-letter queue (no function consumes those).
    sqs.on(ReceiveMessageCommand).callsFake((input) => ({
      Messages: this.queue(input.QueueUrl)
        .receive(input.MaxNumberOfMessages ?? 1, input.VisibilityTimeout)
        .map((m) => ({
          MessageId: m.messageId,
          ReceiptHandle: m.receiptHandle,
          Body: m.body,
          MessageAttributes: m.messageAttributes,
          Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) },
        })),
    }));
    sqs.on(DeleteMessageCommand).callsFake((input) => {
      this.queue(input.QueueUrl).delete(input.ReceiptHandle);
      return {};
    });
    sqs.on(GetQueueAttributesCommand).callsFake((input) => ({
      Attributes: { ApproximateNumberOfMessages: String(this.queue(input.QueueUrl).messages.length) },
    }));
    const events = mockClient(EventBridgeClient);
    events.on(PutEventsCommand).callsFake(async (input) => {
      const errors = (input.Entries ?? []).map((e: PutEventsRequestEntry) => this.deliver(e));
      return { FailedEntryCount: errors.filter(Boolean).length, Entries: errors.map((e: string | undefined) => (e ? { ErrorCode: 'Local', ErrorMessage: e } : { EventId: randomUUID() })) };
    });
    const states = mockClient(SFNClient);
    states.on(StartExecutionCommand).callsFake((input) => {
      const execution = this.startExecution(input.stateMachineArn, input.name ?? randomUUID(), JSON.parse(input.input ?? '{}'));
      return { executionArn: `${input.stateMachineArn}:${execution.name}`, startDate: now() };
    });
    states.on(SendTaskSuccessCommand).callsFake((input) => {
      this.completeTask(input.taskToken, { output: JSON.parse(input.output ?? 'null') });
      return {};
    });
    states.on(SendTaskFailureCommand).callsFake((input) => {
      this.completeTask(input.taskToken, { error: namedError(input.error ?? 'TaskFailed', input.cause ?? '') });
      return {};
    });
    const scheduler = mockClient(SchedulerClient);
    const scheduleOf = (input: any): LocalSchedule => ({
      name: input.Name,
      group: input.GroupName ?? 'default',
      at: parseAtExpression(input.ScheduleExpression, input.ScheduleExpressionTimezone),
      expression: input.ScheduleExpression,
      timezone: input.ScheduleExpressionTimezone ?? 'UTC',
      target: input.Target,
    });
    const key = (input: any) => `${input.GroupName ?? 'default'}/${input.Name}`;
    scheduler.on(CreateScheduleCommand).callsFake((input) => {
      if (this.schedules.has(key(input))) throw namedError('ConflictException', `Schedule ${input.Name} already exists`);
      this.schedules.set(key(input), scheduleOf(input));
      return { ScheduleArn: this.resolver.arn('scheduler', `schedule/${key(input)}`) };
    });
    scheduler.on(UpdateScheduleCommand).callsFake((input) => {
      if (!this.schedules.has(key(input))) throw namedError('ResourceNotFoundException', `Schedule ${input.Name} does not exist`);
      this.schedules.set(key(input), scheduleOf(input));
      return { ScheduleArn: this.resolver.arn('scheduler', `schedule/${key(input)}`) };
    });
    scheduler.on(GetScheduleCommand).callsFake((input) => {
      const schedule = this.schedules.get(key(input));
      if (!schedule) throw namedError('ResourceNotFoundException', `Schedule ${input.Name} does not exist`);
      return { Name: schedule.name, GroupName: schedule.group, ScheduleExpression: schedule.expression, ScheduleExpressionTimezone: schedule.timezone, Target: schedule.target };
    });
    scheduler.on(DeleteScheduleCommand).callsFake((input) => {
      this.schedules.delete(key(input));
      return {};
    });
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).callsFake((input) => {
      this.objects.set(`${input.Bucket}/${input.Key}`, String(input.Body));
      return { ETag: randomUUID() };
    });
    this.stubs.push(sqs, events, states, scheduler, s3);
    if (this.options.sms !== 'sns') {
      // Nothing may reach SNS from a local run: the sender is given the outbox instead.
      const sns = mockClient(SNSClient);
      sns.on(PublishCommand).rejects(new Error('SNS is not available locally; the sender writes to the outbox'));
      this.stubs.push(sns);
    }
  }

  // ---- running ----

  private queue(urlOrArn: string): LocalQueue {
    const queue = this.queues.get(this.resolver.logicalIdOf(urlOrArn));
    if (!queue) throw new Error(`No local queue ${urlOrArn}`);
    return queue;
  }

  private deliver(entry: PutEventsRequestEntry): string | undefined {
    if (!entry.Source || !entry.DetailType || entry.Detail === undefined) return 'Source, DetailType and Detail are required';
    let detail: unknown;
    try {
      detail = typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : entry.Detail;
    } catch {
      return 'Detail is not valid JSON';
    }
    const busName = entry.EventBusName ?? 'bhxh-notify';
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: '000000000000',
      time: (entry.Time ?? now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: LOCAL_REGION,
      resources: entry.Resources ?? [],
      detail,
    };
    this.busEvents.push(event);
    for (const rule of this.rules) {
      if (rule.busName !== busName || !matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) {
        if (target.arn.startsWith('arn:aws:sqs:')) this.queue(target.arn).send(JSON.stringify(event));
        else throw new Error(`Rule ${rule.logicalId}: local target type not supported: ${target.arn}`);
      }
    }
    return undefined;
  }

  private async pumpOnce(mapping: LocalMapping): Promise<boolean> {
    const batches: ReturnType<LocalQueue['receive']>[] = [];
    for (let i = 0; i < mapping.maxConcurrency; i++) {
      const batch = mapping.queue.receive(mapping.batchSize);
      if (batch.length === 0) break;
      batches.push(batch);
    }
    await Promise.all(batches.map((batch) => this.invokeWithBatch(mapping, batch)));
    return batches.length > 0;
  }

  private async invokeWithBatch(mapping: LocalMapping, batch: ReturnType<LocalQueue['receive']>): Promise<void> {
    const event: SQSEvent = {
      Records: batch.map((m) => ({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: Object.fromEntries(
          Object.entries(m.messageAttributes).map(([k, v]) => [k, { dataType: v.DataType ?? 'String', stringValue: v.StringValue, stringListValues: [], binaryListValues: [] }]),
        ),
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: mapping.queue.arn,
        awsRegion: LOCAL_REGION,
      })),
    };
    let failed = new Set(batch.map((m) => m.messageId));
    try {
      const response = (await this.invoke(mapping.fn, event)) as SQSBatchResponse | undefined;
      failed = mapping.reportsItemFailures ? new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier)) : new Set();
    } catch {
      // A thrown handler fails the whole batch, as in Lambda; the messages come back after their visibility timeout.
    }
    for (const message of batch) if (!failed.has(message.messageId)) mapping.queue.delete(message.receiptHandle);
  }

  private async invoke(fn: LocalFunction, event: unknown): Promise<unknown> {
    if (!fn.handler) {
      const module = await import(pathToFileURL(path.join(REPO_ROOT, fn.entry)).href);
      // A handler that talks to SMS takes its gateway as a parameter; locally that gateway is the outbox.
      fn.handler = module.createHandler && this.options.sms !== 'sns' ? module.createHandler(this.smsGateway()) : module.handler;
      if (typeof fn.handler !== 'function') throw new Error(`${fn.entry} exports no handler`);
    }
    const started = Date.now();
    const context = {
      functionName: fn.logicalId,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.resolver.getAtt(fn.logicalId, 'Arn'),
      memoryLimitInMB: '512',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${fn.logicalId}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => fn.timeoutSeconds * 1000 - (Date.now() - started),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    } as Context;
    try {
      return await fn.handler!(event, context);
    } finally {
      this.options.onInvoke?.(fn.entry, Date.now() - started);
    }
  }

  private smsGateway(): SmsGateway {
    const outbox: SmsGateway = {
      publish: async (sms: SmsToSend) => {
        const line: OutboxLine = { to: sms.to, text: sms.text, kind: sms.kind, segments: sms.segments, key: sms.key, at: vietnamIso(now()) };
        this.outbox.push(line);
        this.options.onSms?.(line);
        const messageId = `local-${randomUUID()}`;
        if (this.options.receipts !== false) {
          this.receiptLog.push(
            JSON.stringify({
              notification: { messageId, timestamp: now().toISOString() },
              delivery: { destination: 'local', providerResponse: 'Message has been accepted by phone carrier (local outbox)', priceInUSD: 0 },
              status: 'SUCCESS',
            }),
          );
        }
        return { messageId };
      },
    };
    return this.options.gateway ? this.options.gateway(outbox) : outbox;
  }
}
