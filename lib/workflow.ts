/**
 * Every state machine of the system, with the same operating defaults:
 * Standard type, X-Ray tracing, every event logged but no execution data
 * (names, numbers and texts stay out of the logs), and the two IAM wildcards
 * Step Functions needs, acknowledged for exactly this role.
 */
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType, type IChainable, type IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag.ts';
import type { NotifyFunction } from './notify-function.ts';

export interface WorkflowProps {
  stateMachineName: string;
  definition: IChainable;
  comment: string;
  logRetention: RetentionDays;
  /** The function its Task states invoke. */
  stepFunction: IFunction;
}

export function workflow(scope: Construct, id: string, props: WorkflowProps): StateMachine {
  const machine = new StateMachine(scope, id, {
    stateMachineName: props.stateMachineName,
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromChainable(props.definition),
    comment: props.comment,
    tracingEnabled: true,
    logs: { destination: new LogGroup(scope, `${id}Logs`, { retention: props.logRetention }), level: LogLevel.ALL, includeExecutionData: false },
  });
  Validations.of(machine.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${Stack.of(scope).getLogicalId(props.stepFunction.node.defaultChild as never)}.Arn>:*]`,
    reason: 'Invoking its one step function, any version: the ":*" is the version qualifier CDK grants with lambda:InvokeFunction.',
  });
  Validations.of(machine.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'CloudWatch Logs delivery (logs:CreateLogDelivery and friends) and X-Ray (xray:PutTraceSegments) do not support resource-level permissions.',
  });
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
export function grantStartByName(starter: NotifyFunction, machine: IStateMachine, stateMachineName: string): void {
  machine.grantStartExecution(starter);
  const executions = Stack.of(starter).formatArn({ service: 'states', resource: 'execution', resourceName: `${stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  starter.addToRolePolicy(new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }));
  acknowledgeWildcardResource(starter.ownRole, executions, `Executions are named at run time from the work they do; the wildcard is the executions of ${stateMachineName} only.`);
}
