/**
 * Every state machine of the system, with the same operating defaults:
 * Standard type, X-Ray tracing, every event logged but no execution data
 * (names, numbers and texts stay out of the logs), and the one IAM wildcard
 * Step Functions needs (log delivery and X-Ray), acknowledged for exactly this
 * role; the grants only the service itself uses are justified for the IAM
 * report (lib/unused-grants.ts).
 */
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, Errors, LogLevel, StateMachine, StateMachineType, type IChainable, type IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag.ts';
import type { NotifyFunction } from './notify-function.ts';
import { justifyUnusedGrants } from './unused-grants.ts';

/**
 * A Lambda step that failed is tried again: 5 s, 10 s, 20 s, 40 s, 80 s, 160 s (about 5 minutes), then the
 * execution fails and alarms. For steps that are idempotent (every step of this system's machines).
 */
export const STEP_RETRY = { errors: [Errors.ALL], interval: Duration.seconds(5), maxAttempts: 6, backoffRate: 2 };

export interface WorkflowProps {
  stateMachineName: string;
  definition: IChainable;
  comment: string;
  logRetention: RetentionDays;
}

/** What CDK grants a state machine's role for `logs` (CloudWatch Logs delivery) and `tracingEnabled` (X-Ray). */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
const TRACING_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'];

export function workflow(scope: Construct, id: string, props: WorkflowProps): StateMachine {
  const machine = new StateMachine(scope, id, {
    stateMachineName: props.stateMachineName,
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromChainable(props.definition),
    comment: props.comment,
    tracingEnabled: true,
    logs: { destination: new LogGroup(scope, `${id}Logs`, { retention: props.logRetention }), level: LogLevel.ALL, includeExecutionData: false },
  });
  // lambda:InvokeFunction names the step function's unqualified ARN only (NotifyFunction.resourceArnsForGrantInvoke).
  Validations.of(machine.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'CloudWatch Logs delivery (logs:CreateLogDelivery and friends) and X-Ray (xray:PutTraceSegments) do not support resource-level permissions.',
  });
  justifyUnusedGrants(
    machine.role,
    LOG_DELIVERY_ACTIONS,
    "Step Functions itself sets up and keeps the delivery of the machine's execution history to its log group; no task of the definition calls CloudWatch Logs.",
  );
  justifyUnusedGrants(machine.role, TRACING_ACTIONS, 'Tracing enabled: the Step Functions service sends the trace segments and reads the sampling rules, not a task.');
  return machine;
}

/**
 * May start executions of the machine under names that identify the work, so
 * a StartExecution may meet an execution of the same name. Step Functions'
 * idempotency check for that case (same name and input: the existing
 * execution is returned) needs states:DescribeExecution on the execution. So:
 * StartExecution on the machine, and DescribeExecution on its executions,
 * `execution:<machine name>:*`, nothing more.
 */
export function grantStartByName(starter: NotifyFunction, machine: IStateMachine, stateMachineName: string, options: { exercisedByTests?: boolean } = {}): void {
  machine.grantStartExecution(starter);
  const executions = Stack.of(starter).formatArn({ service: 'states', resource: 'execution', resourceName: `${stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  starter.addToRolePolicy(new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }));
  acknowledgeWildcardResource(starter.ownRole, executions, `Executions are named at run time from the work they do; the wildcard is the executions of ${stateMachineName} only.`);
  if (options.exercisedByTests) return;
  starter.justifyUnused(
    ['states:DescribeExecution'],
    `Checked by AWS only when a StartExecution meets an execution of the same name (a start retried after a crash, a tick delivered twice); no test repeats a start of ${stateMachineName} yet.`,
    [executions],
  );
}
