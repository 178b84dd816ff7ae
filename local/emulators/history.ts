/**
 * The execution history AWS would record for what aws-local-stepfunctions
 * logs: a local "state entered" of a Lambda task is TaskStateEntered,
 * TaskScheduled and TaskStarted in AWS; "exited" is TaskSucceeded and
 * TaskStateExited; an inline Map adds MapStateStarted/Succeeded and one
 * MapIterationStarted/Succeeded per item, all in the parent's history (event
 * types: the HistoryEvent reference of the Step Functions API). The counter
 * enforces the 25,000-event quota of local/step-functions-quotas.ts.
 */
import type { StateMachine } from 'aws-local-stepfunctions';
import { HistoryCounter } from '../step-functions-quotas.ts';

/** What aws-local-stepfunctions logs for an execution (the library exports the generator, not the event type). */
type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** The AWS history events one local event stands for. */
export function awsHistoryEvents(event: EventLog, syncTasks: ReadonlySet<string> = new Set(), clockWaits: ReadonlySet<string> = new Set()): string[] {
  // A Wait state the local run runs as a Task on its own clock (clock-waits.ts) is a Wait state in AWS's history.
  if ((event.type === 'StateEntered' || event.type === 'StateExited') && clockWaits.has(event.state.name)) {
    return [event.type === 'StateEntered' ? 'WaitStateEntered' : 'WaitStateExited'];
  }
  switch (event.type) {
    case 'ExecutionStarted':
    case 'ExecutionSucceeded':
    case 'ExecutionFailed':
      return [event.type];
    case 'ExecutionAborted':
    case 'ExecutionTimeout':
      return [event.type === 'ExecutionTimeout' ? 'ExecutionTimedOut' : 'ExecutionAborted'];
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
    case 'ParallelBranchStarted':
    case 'ParallelBranchSucceeded':
    case 'ParallelBranchFailed':
      return [event.type];
    case 'StateEntered': {
      const type = event.state.type;
      // A `.sync` service integration (a child execution) is also TaskSubmitted once the child started.
      if (type === 'Task') return ['TaskStateEntered', 'TaskScheduled', 'TaskStarted', ...(syncTasks.has(event.state.name) ? ['TaskSubmitted'] : [])];
      if (type === 'Map') return ['MapStateEntered', 'MapStateStarted'];
      if (type === 'Parallel') return ['ParallelStateEntered', 'ParallelStateStarted'];
      return [`${type}StateEntered`];
    }
    case 'StateExited': {
      const type = event.state.type;
      if (type === 'Task') return ['TaskSucceeded', 'TaskStateExited'];
      if (type === 'Map') return ['MapStateSucceeded', 'MapStateExited'];
      if (type === 'Parallel') return ['ParallelStateSucceeded', 'ParallelStateExited'];
      return [`${type}StateExited`];
    }
    case 'StateFailed':
      return event.state.type === 'Task' ? ['TaskFailed'] : [];
    case 'StateRetried':
      // The failed attempt, and the task scheduled and started again.
      return ['TaskFailed', 'TaskScheduled', 'TaskStarted'];
    case 'StateCaught':
      return [];
    default:
      return [];
  }
}

/** Counts an execution's history as AWS would, failing it at the quota. */
export class ExecutionHistory {
  private readonly counter = new HistoryCounter();

  /** `syncTasks`: the names of the execution's `.sync` Task states; `clockWaits`: its Wait states, run locally as Tasks. */
  constructor(
    private readonly syncTasks: ReadonlySet<string> = new Set(),
    private readonly clockWaits: ReadonlySet<string> = new Set(),
  ) {}

  get events(): number {
    return this.counter.count;
  }

  /** Throws the quota's States.Runtime error when the event would pass 25,000. */
  record(event: EventLog): void {
    for (const type of awsHistoryEvents(event, this.syncTasks, this.clockWaits)) this.counter.record(type);
  }
}
