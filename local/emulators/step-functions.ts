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
import { waitEnd, withClockWaits } from './clock-waits.ts';
import { noRetryWaits, START_EXECUTION, START_EXECUTION_SYNC, startExecutionParameters, syncTaskStates } from './task-states.ts';
import { checkExecutionName, checkStatePayload } from '../step-functions-quotas.ts';
import type { Instrumentation } from './instrumentation.ts';
import type { LambdaEmulator } from './lambda.ts';
import type { StateMachineDef } from './definitions.ts';
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
  /** A Wait state: at the deadline it ends with its input, it does not time out. */
  waitOutput?: unknown;
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
    /** Authorizes a Task's service calls as the state machine's role (lambda:InvokeFunction, states:StartExecution...). */
    private readonly authorizeTask: (machine: StateMachineDef, requests: Array<{ action: string; resource: string }>) => Promise<void> = async () => undefined,
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
    const local = withClockWaits(machine.definition);
    const localMachine = new StateMachine(local.definition, { validationOptions: { checkArn: false, checkPaths: false } });
    // The input is what StartExecution parsed from its JSON `input`.
    const jsonInput = input as JsonValue;
    const context: ExecutionContext = {
      Execution: { Id: `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`, Name: name, Input: jsonInput, StartTime: this.clock.now().toISOString() },
      StateMachine: { Id: machine.arn, Name: machine.logicalId },
      Task: { Token: token },
    };
    const run = localMachine.run(jsonInput, {
      // A retry waits on the local clock's terms, not the wall clock's: at once (the history counts it all the same).
      overrides: {
        taskResourceLocalHandlers: { ...this.taskHandlers(machine, machine.definition.States), ...this.waitHandlers(local.waits) },
        retryIntervalOverrides: noRetryWaits(machine.definition.States),
      },
      noThrowOnAbort: true,
      context,
    });
    const execution: LocalExecution = { name, stateMachine: machine.logicalId, input, status: 'RUNNING', history: [], historyEvents: 0, done: Promise.resolve(), abort: run.abort };
    const awsHistory = new ExecutionHistory(syncTaskStates(machine.definition.States), new Set(local.waits.keys()));
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
      if (task.deadline === undefined || task.deadline > at) continue;
      this.completeTask(token, 'waitOutput' in task ? { output: task.waitOutput } : { error: namedError('States.Timeout') });
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

  /** Each Wait state parks its execution until the local clock reaches its end (fireDueTimeouts ends it). */
  private waitHandlers(waits: ReturnType<typeof withClockWaits>['waits']): TaskHandlers {
    const handlers: TaskHandlers = {};
    for (const [stateName, wait] of waits) {
      handlers[stateName] = async (input) => {
        const deadline = waitEnd(stateName, wait, input, this.clock.now().getTime());
        if (deadline <= this.clock.now().getTime()) return input;
        const token = `wait:${randomUUID()}`;
        const ended = new Promise<unknown>((resolve, reject) => {
          this.waitingTasks.set(token, { parked: true, resolve, reject, deadline, waitOutput: input });
        });
        this.running -= 1;
        return (await ended) as JsonValue;
      };
    }
    return handlers;
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
          await this.authorizeTask(machine, [{ action: 'lambda:InvokeFunction', resource }]);
          return statePayload(stateName, await this.lambda.invokeByArn(resource, input));
        };
      } else if (resource === 'arn:aws:states:::lambda:invoke') {
        handlers[stateName] = async (input) => {
          const { FunctionName, Payload } = lambdaInvokeParameters(stateName, input);
          await this.authorizeTask(machine, [{ action: 'lambda:InvokeFunction', resource: FunctionName }]);
          return { StatusCode: 200, Payload: statePayload(stateName, await this.lambda.invokeByArn(FunctionName, Payload)) };
        };
      } else if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
        handlers[stateName] = async (input) => {
          const { FunctionName, Payload } = lambdaInvokeParameters(stateName, input);
          await this.authorizeTask(machine, [{ action: 'lambda:InvokeFunction', resource: FunctionName }]);
          const payload = (Payload ?? {}) as { taskToken?: string; timeoutSeconds?: number };
          return (await this.invokeAndWaitForToken(FunctionName, payload, taskTimeoutSeconds(state, input as Record<string, unknown>))) as JsonValue;
        };
      } else if (resource === START_EXECUTION || resource === START_EXECUTION_SYNC) {
        handlers[stateName] = async (input) => (await this.startChild(machine, stateName, input, resource === START_EXECUTION_SYNC)) as JsonValue;
      } else {
        handlers[stateName] = async () => {
          throw new Error(`Task ${stateName}: resource ${resource} has no local stand-in`);
        };
      }
    }
    return handlers;
  }

  /**
   * A `states:startExecution` task: a child execution of a state machine of the stack, authorized as the parent's
   * role. With `.sync:2` the task waits for the child and returns its description with `Output` as JSON; a child
   * that fails fails the task with States.TaskFailed (the Step Functions service integration's behaviour).
   */
  private async startChild(machine: StateMachineDef, stateName: string, input: JsonValue, sync: boolean): Promise<unknown> {
    const { StateMachineArn, Name, Input } = startExecutionParameters(stateName, input);
    const name = Name ?? randomUUID();
    const executionArn = `${StateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    await this.authorizeTask(machine, [
      { action: 'states:StartExecution', resource: StateMachineArn },
      // `.sync` watches the child: DescribeExecution on it, and the managed rule that reports its end.
      ...(sync
        ? [
            { action: 'states:DescribeExecution', resource: executionArn },
            {
              action: 'events:PutRule',
              resource: machine.arn.replace(/:states:([^:]+):(\d+):stateMachine:.*$/, ':events:$1:$2:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule'),
            },
          ]
        : []),
    ]);
    const startDate = this.clock.now().toISOString();
    const child = this.startExecution(StateMachineArn, name, Input ?? {});
    if (!sync) return { ExecutionArn: executionArn, StartDate: startDate };
    await child.done;
    const description = { ExecutionArn: executionArn, Name: name, StateMachineArn, Input: Input ?? {}, StartDate: startDate, StopDate: this.clock.now().toISOString() };
    if (child.status !== 'SUCCEEDED') {
      throw namedError('States.TaskFailed', JSON.stringify({ ...description, Status: child.status, Error: child.error?.split(':')[0], Cause: child.error }));
    }
    return { ...description, Status: 'SUCCEEDED', Output: child.output ?? null };
  }

  /**
   * A `.waitForTaskToken` task: the function stores the token; the task then
   * waits for SendTaskSuccess/Failure with it, or for its timeout on the local
   * clock (the payload carries `timeoutSeconds`, the same value as the state's
   * TimeoutSecondsPath).
   */
  private async invokeAndWaitForToken(functionArn: string, taskPayload: { taskToken?: string }, timeoutSeconds: number | undefined): Promise<unknown> {
    const executionToken = taskPayload.taskToken;
    if (!executionToken) throw new Error('waitForTaskToken task without taskToken in its payload');
    // AWS gives every task its own token: the token of a wait that timed out stays refused (TaskTimedOut), also
    // once the execution waits again, with a new token.
    const token = `${executionToken}:${randomUUID()}`;
    const machineArn = this.tokenMachines.get(executionToken);
    if (machineArn) this.tokenMachines.set(token, machineArn);
    const payload = { ...taskPayload, taskToken: token };
    let task!: WaitingTask;
    const waiting = new Promise<unknown>((resolve, reject) => {
      task = { parked: false, resolve, reject, ...(timeoutSeconds ? { deadline: this.clock.now().getTime() + timeoutSeconds * 1000 } : {}) };
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

/**
 * A wait's timeout as the state says it: TimeoutSeconds, or TimeoutSecondsPath. AWS reads the path in the state's
 * input; aws-local-stepfunctions reads it in the task's Parameters (`{FunctionName, Payload}`), where the machines
 * put the same number (`$.Payload.…`: lib/dossier-workflow.ts, lib/province-campaigns.ts), and so does this.
 */
function taskTimeoutSeconds(state: { TimeoutSeconds?: unknown; TimeoutSecondsPath?: unknown }, parameters: Record<string, unknown>): number | undefined {
  if (typeof state.TimeoutSeconds === 'number') return state.TimeoutSeconds;
  if (typeof state.TimeoutSecondsPath === 'string') {
    const value = state.TimeoutSecondsPath.replace(/^\$\.?/, '')
      .split('.')
      .filter(Boolean)
      .reduce<unknown>((at, field) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[field] : undefined), parameters);
    if (typeof value !== 'number') throw new Error(`TimeoutSecondsPath ${state.TimeoutSecondsPath} is not a number in the task's parameters`);
    return value;
  }
  return undefined;
}

/** A task's result becomes state data: over 256 KB, AWS fails the state with States.DataLimitExceeded. */
function statePayload(stateName: string, result: unknown): JsonValue {
  checkStatePayload(result ?? null, `output of ${stateName}`);
  return result as JsonValue;
}
