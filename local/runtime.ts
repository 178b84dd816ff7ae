/**
 * The whole system on one machine, built from the synthesized template:
 * DynamoDB Local holds the tables, and an emulator per service does the rest
 * (local/emulators/): an in-process bus routes events by the template's rules,
 * in-process queues feed the real handlers through the template's event source
 * mappings, the state machines run with aws-local-stepfunctions, schedules
 * fire as the local clock passes them, and an outbox takes the place of SNS.
 *
 * SDK calls the handlers make to SQS, EventBridge, Step Functions, Scheduler
 * and S3 are answered by these emulators; DynamoDB calls go to DynamoDB Local
 * for real. Each function runs with its own environment only, and each call,
 * its own or a service's on its behalf, is authorized as AWS would (iam/):
 * a missing grant fails here as it would after `cdk deploy`. LocalSystem
 * composes them and is what tests, the CLI, the ops tooling, the benchmarks
 * and the cost model drive.
 */
import { randomUUID } from 'node:crypto';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SmsGateway } from './function-code.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { Resolver, type CfnTemplate } from './template.ts';
import { EventBusEmulator, type LocalBusEvent } from './emulators/bus.ts';
import { LocalClock } from './emulators/clock.ts';
import type { Instrumentation } from './emulators/instrumentation.ts';
import { LambdaEmulator, setFunctionEnvironment, type LambdaOptions } from './emulators/lambda.ts';
import { Outbox, type EmailOutboxLine, type OutboxLine } from './emulators/outbox.ts';
import { PublishedLog, type PublishedLine } from './emulators/published.ts';
import { QueuePollers } from './emulators/pollers.ts';
import { StreamPollers } from './emulators/stream-pollers.ts';
import { Provisioning } from './emulators/provisioning.ts';
import { QueueEmulator, type LocalQueue } from './emulators/queues.ts';
import { SchedulerEmulator, type LocalSchedule } from './emulators/scheduler.ts';
import { SdkInterception } from './emulators/sdk-interception.ts';
import { StepFunctionsEmulator, type LocalExecution } from './emulators/step-functions.ts';
import type { IamDecision } from './iam/authorizer.ts';
import { IamEnforcement } from './iam/enforcement.ts';
import { checkTemplate } from './assembly.ts';
import type { LocalSystemOptions } from './options.ts';

export { vietnamIso } from './emulators/clock.ts';
export type { EmailOutboxLine, OutboxLine } from './emulators/outbox.ts';
export type { PublishedLine } from './emulators/published.ts';
export type { LocalExecution } from './emulators/step-functions.ts';
export type { Instrumentation, QueueAction } from './emulators/instrumentation.ts';
export type { LocalQueue, LocalMessage } from './emulators/queues.ts';
export type { LocalSchedule } from './emulators/scheduler.ts';
export type { LocalSystemOptions } from './options.ts';

export class LocalSystem {
  readonly outbox: OutboxLine[];
  /** Every e-mail the sender handed to the outbox (SES's place). */
  readonly emails: EmailOutboxLine[];
  /** S3 objects written by the handlers, by `bucket/key` (the local run keeps them in memory). */
  readonly objects = new Map<string, string>();
  /** Every event put on the local bus, including the system's own (DossierOverdue…). */
  readonly busEvents: LocalBusEvent[];
  /** Every event the system's own functions published and the bus accepted, as `--published` writes it (no producer's event). */
  readonly published: PublishedLine[];
  readonly queues: Map<string, LocalQueue>;
  readonly executions: Map<string, LocalExecution>;
  /** EventBridge Scheduler one-time schedules, fired when the local clock passes them. */
  readonly schedules: Map<string, LocalSchedule>;
  readonly db: DynamoDBDocumentClient;

  private readonly provisioning: Provisioning;
  private readonly clock = new LocalClock();
  private readonly sms: Outbox;
  private readonly queueEmulator: QueueEmulator;
  private readonly lambda: LambdaEmulator;
  private readonly pollers: QueuePollers;
  /** The event source mappings on table streams (the ledger's, for NotificationStatusChanged). */
  private readonly streams: StreamPollers;
  private readonly bus: EventBusEmulator;
  private readonly stepFunctions: StepFunctionsEmulator;
  private readonly scheduler: SchedulerEmulator;
  private readonly sdk: SdkInterception;
  private readonly iam: IamEnforcement;

  private constructor(
    readonly template: CfnTemplate,
    readonly resolver: Resolver,
    private readonly dynamo: DynamoDbLocal | undefined,
    readonly dynamoEndpoint: string,
    options: LocalSystemOptions,
  ) {
    this.db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), {
      marshallOptions: { removeUndefinedValues: true },
    });
    const instrumentation: Instrumentation = {
      ...options.instrumentation,
      onInvoke: (entry, ms) => {
        options.instrumentation?.onInvoke?.(entry, ms);
        options.onInvoke?.(entry, ms);
      },
    };
    const provisioning = new Provisioning(template, resolver);
    const iam = new IamEnforcement(template, resolver);
    this.iam = iam;
    this.provisioning = provisioning;
    this.sms = new Outbox(this.clock, {
      onSms: options.onSms,
      ...(options.onEmail ? { onEmail: options.onEmail } : {}),
      receipts: options.receipts,
      configurationSet: provisioning.senderVariable('EMAIL_CONFIGURATION_SET'),
    });
    this.outbox = this.sms.lines;
    this.emails = this.sms.emails;
    this.queueEmulator = new QueueEmulator(provisioning.queues(options.timeScale ?? 0.001), resolver, instrumentation);
    this.queues = this.queueEmulator.queues;
    const smsGateway = () => {
      const outbox = this.sms.gateway();
      if (!options.gateway) return outbox;
      // A fault test wraps the SMS side; e-mail stays the outbox's unless the wrapper takes it too.
      const wrapped: SmsGateway & { sendEmail?: (typeof outbox)['sendEmail'] } = options.gateway(outbox);
      return { publish: (sms: Parameters<SmsGateway['publish']>[0]) => wrapped.publish(sms), sendEmail: wrapped.sendEmail?.bind(wrapped) ?? outbox.sendEmail };
    };
    this.lambda = new LambdaEmulator(provisioning.functions(), resolver, {
      instrumentation,
      roleOf: (id) => iam.roleOf(id),
      // Asynchronous invocations as the template configures them: retries, then the on-failure destination if the role may send there.
      asyncConfigs: provisioning.asyncInvokeConfigs(),
      mayDeliverFailure: (fn, destination) => iam.functionMayDeliverFailure(fn, destination),
      deliverFailure: (destination, record) => this.queueEmulator.send(destination, record),
      onAsyncFailure: (line) => this.asyncInvocationFailures.push(line),
      now: () => this.clock.now(),
      ...(options.handlerOverrides ? { handlerOverrides: options.handlerOverrides as LambdaOptions['handlerOverrides'] } : {}),
      ...(options.sms === 'sns' ? {} : { smsGateway }),
    });
    this.pollers = new QueuePollers(provisioning.mappings(), this.queueEmulator, this.lambda);
    const functions = provisioning.functions();
    this.streams = new StreamPollers(options.tableStreams === false ? [] : provisioning.streamMappings(), dynamoEndpoint, this.lambda, {
      mayDeliverFailure: async (id, destination) => {
        const fn = functions.find((f) => f.logicalId === id);
        return fn !== undefined && iam.functionMayDeliverFailure(fn, destination);
      },
      deliverFailure: (destination, record) => this.queueEmulator.send(destination, record),
      onFailure: (line) => this.asyncInvocationFailures.push(line),
      now: () => this.clock.now(),
      functionArn: (id) => resolver.getAtt(id, 'Arn'),
    });
    const published = new PublishedLog(options.onPublished);
    this.published = published.lines;
    this.bus = new EventBusEmulator(provisioning.rules(), this.queueEmulator, this.clock, instrumentation, (rule, queueArn) => iam.ruleMayDeliver(rule, queueArn), published);
    this.busEvents = this.bus.events;
    this.stepFunctions = new StepFunctionsEmulator(provisioning.stateMachines(), resolver, this.lambda, this.clock, instrumentation, (machine, requests) =>
      iam.stateMachineCalls(machine, requests),
    );
    this.executions = this.stepFunctions.executions;
    const recurring = options.recurringSchedules === false ? [] : provisioning.recurringSchedules();
    // A schedule's target is a queue (sent to) or a function (invoked asynchronously, as Scheduler does).
    const scheduleTargets = {
      send: (arn: string, body: string): void => {
        if (arn.startsWith('arn:aws:lambda:')) this.lambda.invokeAsyncByArn(arn, JSON.parse(body));
        else this.queueEmulator.send(arn, body);
      },
    };
    this.scheduler = new SchedulerEmulator(recurring, resolver, scheduleTargets, this.clock, instrumentation, (schedule, target) => iam.scheduleMayDeliver(schedule, target));
    this.schedules = this.scheduler.schedules;
    this.sdk = new SdkInterception(
      { queues: this.queueEmulator, bus: this.bus, stepFunctions: this.stepFunctions, scheduler: this.scheduler, objects: this.objects, clock: this.clock },
      { refuseSns: options.sms !== 'sns', authorizer: iam.authorizer, arns: iam.arns },
    );
  }

  static async start(options: LocalSystemOptions = {}): Promise<LocalSystem> {
    const template = options.template ?? (await import('./synth.ts')).synthesizeTemplate(options.context);
    const tablePrefix = options.tablePrefix ?? `local${randomUUID().slice(0, 8)}_`;
    const resolver = new Resolver(template, LOCAL_REGION, tablePrefix);
    let dynamo: DynamoDbLocal | undefined;
    let dynamoEndpoint: string;
    if (options.dynamoEndpoint) {
      dynamoEndpoint = options.dynamoEndpoint;
    } else {
      dynamo = await startDynamoDbLocal();
      dynamoEndpoint = dynamo.endpoint;
    }
    let system: LocalSystem | undefined;
    try {
      system = new LocalSystem(template, resolver, dynamo, dynamoEndpoint, options);
      await system.provisioning.createTables(dynamoEndpoint, { streams: options.tableStreams !== false });
      const problems = [
        ...checkTemplate(template),
        ...(await system.iam.startupProblems(system.provisioning.functions(), system.provisioning.mappings(), system.provisioning.streamMappings())),
      ];
      if (problems.length > 0) throw new Error(`The template fails what AWS enforces:\n  - ${problems.join('\n  - ')}`);
      setFunctionEnvironment(system.provisioning.functions(), { dynamoEndpoint, logLevel: options.logLevel });
      system.sdk.start();
      await system.streams.start();
    } catch (error) {
      if (system) await system.stop();
      else await dynamo?.stop();
      throw error;
    }
    return system;
  }

  /** Moves the local clock: everything that reads `now()` sees this time from here on; task timeouts due by then fire. */
  setClock(to: Date): void {
    this.clock.set(to);
  }

  /**
   * Moves the local clock to `to`, firing every one-time schedule due on the
   * way in time order (the clock stands at each schedule's time while it is
   * delivered and processed), and the task timeouts due by then.
   */
  async advanceClock(to: Date): Promise<void> {
    await this.scheduler.advance(to, () => this.drain());
  }

  /**
   * Moves the clock without firing the recurring schedules in between: for
   * tests that begin a new scene months later. Replays use advanceClock.
   */
  jumpClock(to: Date): void {
    this.scheduler.jump(to);
  }

  /** PutEvents on the local bus: each entry is matched against the template's rules and delivered to their targets. */
  async putEvents(entries: PutEventsRequestEntry[], options: { producer?: string } = {}): Promise<{ failed: number; errors: string[] }> {
    // A named producer publishes with its own rights: the bus policy decides, as in AWS (refused whole, like PutEvents).
    if (options.producer !== undefined && !(await this.iam.producerMayPublish(options.producer, entries))) {
      return {
        failed: entries.length,
        errors: entries.map(() => `AccessDeniedException: ${options.producer} may not publish ${[...new Set(entries.map((e) => e.Source))].join(', ')} on the bus`),
      };
    }
    return this.bus.putEvents(entries);
  }

  /** StartExecution: runs the synthesized ASL with aws-local-stepfunctions, Task states mapped to the local handlers. */
  startExecution(stateMachineArn: string, name: string, input: unknown): LocalExecution {
    return this.stepFunctions.startExecution(stateMachineArn, name, input);
  }

  /** Runs the handlers until every queue with a consumer is empty, no execution is running a step, the outbox's receipts are delivered and the table streams are read. */
  async drain(): Promise<void> {
    for (;;) {
      this.stepFunctions.fireDueTimeouts();
      if (this.lambda.asyncInFlight > 0) {
        await this.lambda.settleAsync();
        continue;
      }
      const busy = this.pollers.busy;
      const executing = this.stepFunctions.activeExecutions > 0;
      if (!busy && !executing && this.sms.hasReceipts) {
        await this.deliverReceipts();
        continue;
      }
      if (!busy && !executing && this.sms.hasEmailEvents) {
        // SES's configuration set publishes to the default bus; the stack's rule there takes them.
        for (const entry of this.sms.takeEmailEvents()) await this.bus.putFromService(entry);
        continue;
      }
      // Quiet otherwise: the table streams' records (written by what ran) go to their functions, which may start more.
      if (!busy && !executing) {
        if (await this.streams.pollOnce()) continue;
        return;
      }
      if (!busy) {
        await new Promise((r) => setTimeout(r, 2));
        continue;
      }
      const { ran, wait } = await this.pollers.pollOnce();
      if (!ran) await new Promise((r) => setTimeout(r, Math.max(1, Math.min(wait, 1000))));
    }
  }

  /** The daily ceilings the stack gives the sender (its DAILY_CEILINGS setting). */
  get dailyCeilings(): Record<string, number> {
    return this.provisioning.dailyCeilings();
  }

  queueByLogicalPrefix(prefix: string): LocalQueue {
    return this.queueEmulator.byLogicalPrefix(prefix);
  }

  tableName(logicalPrefix: string): string {
    return this.provisioning.tableName(logicalPrefix);
  }

  bucketName(logicalPrefix: string): string {
    return this.provisioning.bucketName(logicalPrefix);
  }

  /** What an agency's upload does in AWS: the file under recipients/<agency>/ of the campaign files bucket. Returns its s3:// address. */
  uploadRecipients(agency: string, fileName: string, csv: string): string {
    const bucket = this.bucketName('ProvinceCampaignsCampaignFilesBucket');
    const key = `recipients/${agency}/${fileName}`;
    this.objects.set(`${bucket}/${key}`, csv);
    return `s3://${bucket}/${key}`;
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

  /** Asynchronous invocations (CloudWatch Logs subscriptions, Scheduler) that failed every attempt, and whether their record reached the on-failure destination. */
  readonly asyncInvocationFailures: string[] = [];

  /** Every call AWS would have refused during this run (a function's, or a service's on its behalf). */
  get accessDenied(): readonly IamDecision[] {
    return this.iam.accessDenied;
  }

  async stop(): Promise<void> {
    this.iam.flushUsage();
    this.stepFunctions.abortAll();
    this.sdk.stop();
    this.streams.stop();
    this.db.destroy();
    await this.dynamo?.stop();
  }

  /** Hands the outbox's receipts to the function the delivered-status log group is subscribed to. */
  private async deliverReceipts(): Promise<void> {
    const receipts = this.sms.takeReceipts();
    const subscription = this.provisioning.receiptsSubscription();
    if (!subscription || !this.lambda.has(subscription.functionLogicalId)) return;
    // CloudWatch Logs invokes the function only if its resource policy lets it (the subscription's Lambda permission).
    if (!(await this.iam.logsMayInvoke(subscription.logGroupArn, subscription.functionArn))) return;
    // An asynchronous invocation (CloudWatch Logs): retried, then kept on the on-failure destination; never the caller's error.
    await this.lambda.invokeAsync(subscription.functionLogicalId, receipts);
  }
}
