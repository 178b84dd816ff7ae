/**
 * Every state machine of the system, with the same operating defaults:
 * Standard type, X-Ray tracing, every event logged but no execution data
 * (names, numbers and texts stay out of the logs), and the two IAM wildcards
 * Step Functions needs, acknowledged for exactly this role.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType, type IChainable } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

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
