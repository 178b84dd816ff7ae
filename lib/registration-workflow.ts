/**
 * The e-registration lifecycle (seed 002): one Standard Step Functions
 * execution per registration, `registration-<number>`, that tells the citizen
 * at once to bring the signed form 01 and an identity document to a BHXH
 * office, waits for the review until day 7, reminds them, waits until the
 * deadline and then tells them the declaration was deleted.
 * EAccountRegistrationReviewed (through the intake) ends either wait.
 *
 * The execution's input is the registration number alone: the BHXH number,
 * the phone number and the e-mail address stay in the registrations table
 * (TTL), where the steps read them, and never reach the execution history.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Choice, Condition, Errors, IntegrationPattern, JsonPath, Succeed, TaskInput, Timeout, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { REGISTRATION_STEP_ENVIRONMENT } from '../lambdas/aws/environment.ts';
import type { NotifyConfig } from './config.ts';
import { bindMessaging, justifyRetriedStepDuplicates } from './messaging-grants.ts';
import { NotifyFunction } from './notify-function.ts';
import type { OperatorAlerts } from './operator-alerts.ts';
import { durableTable } from './tables.ts';
import { STEP_RETRY, workflow } from './workflow.ts';

export interface RegistrationWorkflowProps {
  config: NotifyConfig;
  ledger: Table;
  contacts: Table;
  sendQueue: Queue;
  alerts: OperatorAlerts;
}

/** Fixed so that the step function can be allowed to answer its own task tokens without a dependency cycle. */
export const REGISTRATION_STATE_MACHINE_NAME = 'BhxhNotify-RegistrationLifecycle';

export class RegistrationWorkflow extends Construct {
  readonly table: Table;
  readonly stateMachine: StateMachine;
  readonly stepFunction: NotifyFunction;

  constructor(scope: Construct, id: string, props: RegistrationWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Each write moves expiresAt to REGISTRATION_RETENTION_DAYS after it (the store sets it).
    this.table = durableTable(this, 'RegistrationsTable', 'registrationId', { timeToLiveAttribute: 'expiresAt' });
    const stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: REGISTRATION_STATE_MACHINE_NAME,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    this.stepFunction = new NotifyFunction(this, 'RegistrationStepFunction', {
      entry: 'lambdas/functions/registration-step/handler.ts',
      serviceName: 'registration',
      description: 'Steps of the e-registration lifecycle: tell, remind on day 7, tell of the deletion on day 10',
      timeout: Duration.seconds(30),
      logRetention: props.config.logRetention,
      contract: REGISTRATION_STEP_ENVIRONMENT,
    });
    const fn = this.stepFunction;
    bindMessaging(fn, props);
    justifyRetriedStepDuplicates(fn, props.ledger);
    fn.bindTable('REGISTRATIONS_TABLE_NAME', this.table, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    // A wait that finds the review already recorded answers itself.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [stateMachineArn] }));

    const step = (name: string, action: string, resultPath: string) =>
      new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: fn,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({ action, registrationId: JsonPath.stringAt('$.registrationId') }),
        resultPath,
        retryOnServiceExceptions: true,
        // Every step is idempotent (conditional status, ledger keys): a failed one is tried again rather than losing the notice.
      }).addRetry(STEP_RETRY);
    // The steps that decide the next wake-up put it at $.Payload (as the dossier lifecycle does: lib/dossier-workflow.ts).
    const waitForReview = (name: string) =>
      new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: fn,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        // The token is the execution's address for EAccountRegistrationReviewed; it is stored with the registration.
        payload: TaskInput.fromObject({
          action: 'await-review',
          registrationId: JsonPath.stringAt('$.registrationId'),
          taskToken: JsonPath.taskToken,
          timeoutSeconds: JsonPath.numberAt('$.Payload.timeoutSeconds'),
        }),
        taskTimeout: Timeout.at('$.Payload.timeoutSeconds'),
        resultPath: '$.review',
      });

    const received = step('Record the registration and tell the citizen', 'received', '$.Payload');
    const untilDay7 = waitForReview('Wait for the review until day 7');
    const reminder = step('Remind the citizen to bring form 01', 'remind', '$.Payload');
    const untilDeadline = waitForReview('Wait for the review until the deadline');
    const deletion = step('Tell the citizen the declaration was deleted', 'deleted', '$.Payload');
    const reviewed = new Succeed(this, 'Registration reviewed');

    untilDay7.addCatch(reminder, { errors: [Errors.TIMEOUT], resultPath: '$.timeout' });
    untilDeadline.addCatch(deletion, { errors: [Errors.TIMEOUT], resultPath: '$.timeout' });
    const definition = received.next(untilDay7.next(reviewed));
    reminder.next(untilDeadline.next(reviewed));
    deletion.next(
      new Choice(this, 'Was the declaration deleted?')
        .when(Condition.booleanEquals('$.Payload.deleted', true), new Succeed(this, 'Declaration deleted'))
        // The review came between the deadline and this step: nothing was sent.
        .otherwise(reviewed),
    );

    // No execution timeout of our own: the last wait ends 10 days (and a night) after the submission.
    this.stateMachine = workflow(this, 'RegistrationLifecycle', {
      stateMachineName: REGISTRATION_STATE_MACHINE_NAME,
      definition,
      comment: 'One execution per e-registration, registration-<number>: received, reminder on day 7, deletion on day 10, unless reviewed',
      logRetention: props.config.logRetention,
    });
    props.alerts.alarmOnFunctionErrors('RegistrationStepErrors', fn);
    props.alerts.alarmOnMetric(
      'RegistrationExecutionsFailed',
      this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      'An e-registration lifecycle execution failed: open it in the Step Functions console',
    );
  }

  /** Where this workflow's quiet-hours messages wait for the morning release. */
  connectDueItems(dueItems: Table): void {
    this.stepFunction.bindTable('DUE_ITEMS_TABLE_NAME', dueItems, ['dynamodb:PutItem']);
  }
}
