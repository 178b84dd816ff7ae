/**
 * Lambda: the stack's functions, run in process. Each local system has its own
 * container per function: the first invocation imports the function's handler
 * module under a query string unique to the system, so module-level state (the
 * dependencies a handler composes once per container) is not shared with
 * another local system in the same process, while the modules the handler
 * imports are. A module that exports `createHandler` takes its SMS gateway as a
 * parameter: it is given the outbox (unless the system runs with `sms: 'sns'`).
 *
 * Asynchronous invocations (CloudWatch Logs subscriptions, Scheduler) follow the
 * function's AWS::Lambda::EventInvokeConfig: retried as often as it says (AWS's
 * default, 2), then the invocation record goes to its on-failure destination if
 * the function's role may send there, as Lambda would; otherwise it is dropped.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../dynamodb-local.ts';
import type { SmsGateway } from '../function-code.ts';
import type { Resolver } from '../template.ts';
import type { Instrumentation } from './instrumentation.ts';
import { installLogSink, withLogSink } from './log-sink.ts';
import type { AsyncInvokeDef, FunctionDef } from './definitions.ts';
import { installFunctionEnvironments, runAs } from '../iam/callers.ts';
import type { RoleModel } from '../iam/model.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

type Handler = (event: unknown, context: Context) => Promise<unknown>;

let containers = 0;

export interface LambdaOptions {
  /** Tests only: a stand-in handler for a function, by its entry (the rest of the run stays real). */
  handlerOverrides?: Readonly<Record<string, Handler>>;
  /** The execution role of a function, which its calls are authorized against. */
  roleOf(logicalId: string): RoleModel;
  /** The gateway a `createHandler` module is given; undefined: such modules use their own `handler` (SNS). */
  smsGateway?: () => SmsGateway;
  instrumentation: Instrumentation;
  /** The functions' asynchronous-invocation settings (retries, on-failure destination). */
  asyncConfigs?: readonly AsyncInvokeDef[];
  /** Whether Lambda may send a function's failure record to its destination (the function's role, sqs:SendMessage). */
  mayDeliverFailure?: (fn: FunctionDef, destinationArn: string) => Promise<boolean>;
  /** Puts a failure record on the destination queue. */
  deliverFailure?: (destinationArn: string, record: string) => void;
  /** An asynchronous invocation that failed every attempt: what became of it, for the run's report. */
  onAsyncFailure?: (line: string) => void;
  /** The time of a failure record (the local clock). */
  now?: () => Date;
}

/** AWS's retries of an asynchronous invocation when the function has no EventInvokeConfig. */
const DEFAULT_ASYNC_RETRIES = 2;

/**
 * The process-wide part of the environment (what every Lambda runtime has:
 * region, credentials; locally also DynamoDB Local's endpoint and Powertools
 * kept quiet), and each function's own variables, visible only inside its own
 * invocations (iam/callers.ts): a function never sees another's.
 */
export function setFunctionEnvironment(functions: readonly FunctionDef[], local: { dynamoEndpoint: string; logLevel?: string }): void {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: local.dynamoEndpoint,
    POWERTOOLS_LOG_LEVEL: local.logLevel ?? 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_METRICS_NAMESPACE: 'BhxhNotifyLocal',
    POWERTOOLS_SERVICE_NAME: 'bhxh-notify-local',
  });
  // Powertools' variables stay process-wide: the local run keeps the handlers quiet and metrics off.
  installFunctionEnvironments(functions.flatMap((f) => Object.keys(f.environment)).filter((name) => !name.startsWith('POWERTOOLS_')));
}

export class LambdaEmulator {
  private readonly functions = new Map<string, FunctionDef>();
  /** The handler of each function's container, once its first invocation has imported it. */
  private readonly handlers = new Map<string, Handler>();
  /** Makes this system's module URLs its own: `?container=<id>`. */
  private readonly containerId = `${++containers}-${randomUUID().slice(0, 8)}`;

  constructor(
    functions: FunctionDef[],
    private readonly resolver: Resolver,
    private readonly options: LambdaOptions,
  ) {
    for (const fn of functions) this.functions.set(fn.logicalId, fn);
  }

  has(logicalId: string): boolean {
    return this.functions.has(logicalId);
  }

  /** Asynchronous invocations started and not finished (their retries and failure records included). */
  private readonly inFlight = new Set<Promise<void>>();

  get asyncInFlight(): number {
    return this.inFlight.size;
  }

  /** Waits for the asynchronous invocations under way. */
  async settleAsync(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** An asynchronous invocation (InvocationType Event): the caller does not wait; `settleAsync` does. */
  invokeAsyncByArn(arn: string, payload: unknown): void {
    const fn = this.functions.get(this.resolver.logicalIdOf(arn));
    if (!fn) throw new Error(`No local function behind ${arn}`);
    const run = this.invokeAsync(fn.logicalId, payload).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /**
   * An asynchronous invocation, to its end: the attempts the function's
   * EventInvokeConfig allows, then its failure record to the on-failure
   * destination (or dropped). Never throws: the caller of an asynchronous
   * invocation never sees the function's error.
   */
  async invokeAsync(logicalId: string, event: unknown): Promise<void> {
    const fn = this.functions.get(logicalId);
    if (!fn) throw new Error(`No local function ${logicalId}`);
    const config = this.options.asyncConfigs?.find((c) => c.functionLogicalId === logicalId);
    const attempts = 1 + (config?.maximumRetryAttempts ?? DEFAULT_ASYNC_RETRIES);
    let last: Error | undefined;
    // AWS waits a minute, then two, between attempts; the local run retries at once.
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await this.invoke(logicalId, event);
        return;
      } catch (error) {
        last = error as Error;
      }
    }
    const failure = `${logicalId}: ${last?.name}: ${last?.message} (${attempts} attempt(s))`;
    const destination = config?.onFailure;
    if (destination && this.options.deliverFailure && (await (this.options.mayDeliverFailure?.(fn, destination) ?? true))) {
      const record = this.failureRecord(fn, event, attempts, last);
      try {
        this.options.deliverFailure(destination, JSON.stringify(record));
      } catch {
        // Over the queue's size limit: Lambda sends the record without the payload.
        this.options.deliverFailure(destination, JSON.stringify({ ...record, requestPayload: undefined }));
      }
      this.options.onAsyncFailure?.(`${failure}: kept on ${destination}`);
    } else {
      this.options.onAsyncFailure?.(`${failure}: dropped`);
    }
  }

  /** What Lambda puts on an on-failure destination (docs: "Invocation record"). */
  private failureRecord(fn: FunctionDef, event: unknown, attempts: number, error: Error | undefined): Record<string, unknown> {
    return {
      version: '1.0',
      timestamp: (this.options.now?.() ?? new Date()).toISOString(),
      requestContext: {
        requestId: randomUUID(),
        functionArn: `${this.resolver.getAtt(fn.logicalId, 'Arn')}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: attempts,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: error?.name ?? 'Error', errorMessage: error?.message ?? '' },
    };
  }

  async invokeByArn(arn: string, payload: unknown): Promise<unknown> {
    const fn = this.functions.get(this.resolver.logicalIdOf(arn));
    if (!fn) throw new Error(`No local function behind ${arn}`);
    return this.invoke(fn.logicalId, payload);
  }

  async invoke(logicalId: string, event: unknown): Promise<unknown> {
    const fn = this.functions.get(logicalId);
    if (!fn) throw new Error(`No local function ${logicalId}`);
    const { onLog } = this.options.instrumentation;
    if (!onLog) return this.run(fn, event);
    await installLogSink();
    return withLogSink(
      (line) => onLog(fn.entry, line),
      () => this.run(fn, event),
    );
  }

  private async run(fn: FunctionDef, event: unknown): Promise<unknown> {
    const handler = this.handlers.get(fn.logicalId) ?? (await this.startContainer(fn));
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
    const environment = Object.fromEntries(Object.entries(fn.environment).filter(([name]) => !name.startsWith('POWERTOOLS_')));
    const caller = { name: fn.logicalId, role: this.options.roleOf(fn.roleLogicalId), environment: { ...environment, AWS_LAMBDA_FUNCTION_NAME: fn.logicalId } };
    try {
      return await runAs(caller, () => handler(event, context));
    } finally {
      this.options.instrumentation.onInvoke?.(fn.entry, Date.now() - started);
    }
  }

  private async startContainer(fn: FunctionDef): Promise<Handler> {
    const override = this.options.handlerOverrides?.[fn.entry];
    if (override) {
      this.handlers.set(fn.logicalId, override);
      return override;
    }
    const module = await import(`${pathToFileURL(path.join(REPO_ROOT, fn.entry)).href}?container=${this.containerId}`);
    const gateway = this.options.smsGateway;
    const handler = module.createHandler && gateway ? module.createHandler(gateway()) : module.handler;
    if (typeof handler !== 'function') throw new Error(`${fn.entry} exports no handler`);
    // Two invocations may start the same cold container at once: the first import to finish wins, as both got the same module.
    const first = this.handlers.get(fn.logicalId);
    if (first) return first;
    this.handlers.set(fn.logicalId, handler);
    return handler;
  }
}
