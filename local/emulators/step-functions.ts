/**
 * Step Functions: the synthesized state machines, run by aws-local-stepfunctions
 * with their Task states mapped to the local functions. `.waitForTaskToken`
 * tasks wait for SendTaskSuccess/Failure with their token, or time out on the
 * local clock. An execution parked on a token does not count as active, so
 * draining the system does not wait for it.
 */
import { randomUUID } from 'node:crypto';
import { StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { LocalClock } from './clock.ts';
import { namedError } from './errors.ts';
import { ExecutionHistory } from './history.ts';
import { checkExecutionName, checkStatePayload } from '../quotas.ts';
import type { Instrumentation } from './instrumentation.ts';
import type { LambdaEmulator } from './lambda.ts';
import type { StateMachineDef } from './provisioning.ts';
import type { Resolver } from '../template.ts';

/** A JSON value, as aws-local-stepfunctions passes state input and output. */
type JsonValue = Parameters<StateMachine['run']>[0];
/** The local handlers of an execution's Task states, by state name. */
type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
/** The execution context the states see (`$$`). */
type ExecutionContext = NonNullable<RunOptions['context']>;

/** The parameters of a `lambda:invoke` task (after the state's Parameters are applied). */
function lambdaInvokeParameters(stateName: string, input: JsonValue): { FunctionName: string; Payload: JsonValue | undefined } {
  if (input === null || typeof input !== 'object' || Array.isArray(input) || typeof input.FunctionName !== 'string') {
    throw new Error(`Task ${stateName}: lambda:invoke without a FunctionName in its parameters`);
  }
  return { FunctionName: input.FunctionName, Payload: input.Payload };
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
  /** The events AWS would have recorded in its history so far (quota: 25,000). */
  historyEvents: number;
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

export class StepFunctionsEmulator {
  /** By `stateMachineLogicalId:executionName`. */
  readonly executions = new Map<string, LocalExecution>();
  private readonly stateMachines = new Map<string, StateMachineDef>();
  private readonly waitingTasks = new Map<string, WaitingTask>();
  private readonly usedTokens = new Set<string>();
  /** The state machine ARN of every token handed out (SendTask* is authorized on it). */
  private readonly tokenMachines = new Map<string, string>();
  /** Executions that are running a step right now (not waiting for a task token). */
  private running = 0;

  constructor(
    stateMachines: StateMachineDef[],
    private readonly resolver: Resolver,
    private readonly lambda: LambdaEmulator,
    private readonly clock: LocalClock,
    private readonly instrumentation: Instrumentation,
    /** Authorizes the state machine's role to invoke a function (AWS checks lambda:InvokeFunction for every Task). */
    private readonly authorizeInvoke: (machine: StateMachineDef, functionArn: string) => Promise<void> = async () => undefined,
  ) {
    for (const machine of stateMachines) this.stateMachines.set(machine.logicalId, machine);
    clock.onSet(() => this.fireDueTimeouts());
  }

  /** Executions running a step right now (those parked on a task token excluded). */
  get activeExecutions(): number {
    return this.running;
  }

  /** StartExecution: runs the synthesized ASL, Task states mapped to the local handlers. */
  startExecution(stateMachineArn: string, name: string, input: unknown): LocalExecution {
    const machine = this.stateMachines.get(this.resolver.logicalIdOf(stateMachineArn));
    if (!machine) throw namedError('StateMachineDoesNotExist', `No local state machine ${stateMachineArn}`);
    const existing = this.executions.get(`${machine.logicalId}:${name}`);
    if (existing) {
      if (JSON.stringify(existing.input) === JSON.stringify(input) && existing.status === 'RUNNING') return existing;
      throw namedError('ExecutionAlreadyExists', `Execution ${name} already exists`);
    }
    // What StartExecution refuses: a name outside AWS's set or over 80 characters, an input over 256 KB.
    checkExecutionName(name);
    checkStatePayload(input, `execution ${name} input`);
    const token = `${name}:${randomUUID()}`;
    this.tokenMachines.set(token, machine.arn);
    const localMachine = new StateMachine(machine.definition, { validationOptions: { checkArn: false, checkPaths: false } });
    // The input is what StartExecution parsed from its JSON `input`.
    const jsonInput = input as JsonValue;
    const context: ExecutionContext = {
      Execution: { Id: `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`, Name: name, Input: jsonInput, StartTime: this.clock.now().toISOString() },
      StateMachine: { Id: machine.arn, Name: machine.logicalId },
      Task: { Token: token },
    };
    const run = localMachine.run(jsonInput, {
      overrides: { taskResourceLocalHandlers: this.taskHandlers(machine, machine.definition.States) },
      noThrowOnAbort: true,
      context,
    });
    const execution: LocalExecution = { name, stateMachine: machine.logicalId, input, status: 'RUNNING', history: [], historyEvents: 0, done: Promise.resolve(), abort: run.abort };
    const awsHistory = new ExecutionHistory();
    let quotaFailure: Error | undefined;
    this.running += 1;
    this.instrumentation.onExecutionStarted?.(machine.logicalId, name);
    const history = (async () => {
      for await (const event of run.eventLogs) {
        execution.history.push(event);
        this.instrumentation.onExecutionEvent?.(machine.logicalId, name, event as { type: string });
        try {
          awsHistory.record(event);
        } catch (error) {
          // AWS fails the execution at its 25,000th history event.
          quotaFailure ??= error as Error;
          run.abort();
        } finally {
          execution.historyEvents = awsHistory.events;
        }
      }
    })().catch(() => undefined);
    execution.done = run.result
      .then(
        (output) => {
          execution.status = 'SUCCEEDED';
          execution.output = output;
        },
        (error: Error) => {
          execution.status = 'FAILED';
          execution.error = `${error.name}: ${error.message}`;
        },
      )
      .finally(async () => {
        await history;
        if (quotaFailure) {
          execution.status = 'FAILED';
          execution.error = `${quotaFailure.name}: ${quotaFailure.message}`;
        }
        this.running -= 1;
      });
    this.executions.set(`${machine.logicalId}:${name}`, execution);
    return execution;
  }

  /** SendTaskSuccess / SendTaskFailure. */
  completeTask(token: string, outcome: { output: unknown } | { error: Error }): void {
    const task = this.waitingTasks.get(token);
    if (!task) {
      throw this.usedTokens.has(token) ? namedError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore') : namedError('InvalidToken', 'Invalid token');
    }
    this.waitingTasks.delete(token);
    this.usedTokens.add(token);
    if (task.parked) this.running += 1;
    if ('output' in outcome) task.resolve(outcome.output);
    else task.reject(outcome.error);
  }

  /** Times out the tasks whose deadline the local clock has reached. */
  fireDueTimeouts(): void {
    const at = this.clock.now().getTime();
    for (const [token, task] of this.waitingTasks) {
      if (task.deadline !== undefined && task.deadline <= at) this.completeTask(token, { error: namedError('States.Timeout') });
    }
  }

  /** The ARN of the state machine whose execution a task token belongs to. */
  stateMachineOfToken(token: string): string | undefined {
    return this.tokenMachines.get(token);
  }

  /** The execution's ARN if an execution of that name exists (StartExecution then also needs states:DescribeExecution). */
  existingExecutionArn(stateMachineArn: string, name: string): string | undefined {
    const machine = this.stateMachines.get(this.resolver.logicalIdOf(stateMachineArn));
    if (!machine || !this.executions.has(`${machine.logicalId}:${name}`)) return undefined;
    return `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  abortAll(): void {
    for (const execution of this.executions.values()) if (execution.status === 'RUNNING') execution.abort();
  }

  // The functions' results are JSON (what Lambda would serialize), hence the `as JsonValue`s.
  private taskHandlers(machine: StateMachineDef, states: StateMachineDefinition['States']): TaskHandlers {
    const handlers: TaskHandlers = {};
    for (const [stateName, state] of Object.entries(states)) {
      if (state.Type === 'Parallel') for (const branch of state.Branches ?? []) Object.assign(handlers, this.taskHandlers(machine, branch.States));
      if (state.Type === 'Map') {
        const processor = state.ItemProcessor ?? state.Iterator;
        if (!processor) throw new Error(`Map state ${stateName} has neither ItemProcessor nor Iterator`);
        Object.assign(handlers, this.taskHandlers(machine, processor.States));
      }
      if (state.Type !== 'Task') continue;
      const resource = String(state.Resource);
      if (resource.startsWith('arn:aws:lambda:')) {
        handlers[stateName] = async (input) => {
          await this.authorizeInvoke(machine, resource);
          return statePayload(stateName, await this.lambda.invokeByArn(resource, input));
        };
      } else if (resource === 'arn:aws:states:::lambda:invoke') {
        handlers[stateName] = async (input) => {
          const { FunctionName, Payload } = lambdaInvokeParameters(stateName, input);
          await this.authorizeInvoke(machine, FunctionName);
          return { StatusCode: 200, Payload: statePayload(stateName, await this.lambda.invokeByArn(FunctionName, Payload)) };
        };
      } else if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
        handlers[stateName] = async (input) => {
          const { FunctionName, Payload } = lambdaInvokeParameters(stateName, input);
          await this.authorizeInvoke(machine, FunctionName);
          return (await this.invokeAndWaitForToken(FunctionName, (Payload ?? {}) as { taskToken?: string; timeoutSeconds?: number })) as JsonValue;
        };
      } else {
        handlers[stateName] = async () => {
          throw new Error(`Task ${stateName}: resource ${resource} has no local stand-in`);
        };
      }
    }
    return handlers;
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
      task = { parked: false, resolve, reject, ...(payload.timeoutSeconds ? { deadline: this.clock.now().getTime() + payload.timeoutSeconds * 1000 } : {}) };
      this.waitingTasks.set(token, task);
    });
    waiting.catch(() => undefined); // a timeout may fire while the function is still storing the token
    await this.lambda.invokeByArn(functionArn, payload);
    if (this.waitingTasks.get(token) === task) {
      // Parked: drain() may return while this execution waits; completeTask() makes it active again, synchronously.
      task.parked = true;
      this.running -= 1;
    }
    return waiting;
  }
}

/** A task's result becomes state data: over 256 KB, AWS fails the state with States.DataLimitExceeded. */
function statePayload(stateName: string, result: unknown): JsonValue {
  checkStatePayload(result ?? null, `output of ${stateName}`);
  return result as JsonValue;
}
