/**
 * The dossier lifecycle: one Standard Step Functions execution per dossier,
 * named from the dossier number, that tells the citizen the dossier was
 * received (or rejected), waits (for days) for its resolution, notices when
 * the promised date passes, and tells the citizen when it is resolved. Each
 * dossier's status is kept in the dossiers table for operators and the 8079
 * `BH HS` look-up.
 *
 * The execution's input is the dossier number alone: the applicant, the phone
 * number and the reason stay in the dossiers table (which expires them after
 * bhxh:dossierRetentionDays), where the steps read them, and never reach the
 * execution history that operators browse.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Choice, Condition, Errors, IntegrationPattern, JsonPath, Succeed, TaskInput, Timeout, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { EVENT_BUS_NAME } from '../lambdas/domain/catalogue.ts';
import type { NotifyConfig } from './config.ts';
import { NotifyFunction } from './notify-function.ts';
import { bindMessaging, justifyRetriedStepDuplicates } from './messaging-grants.ts';
import { DOSSIER_STEP_ENVIRONMENT } from '../lambdas/aws/environment.ts';
import type { OperatorAlerts } from './operator-alerts.ts';
import { durableTable } from './tables.ts';
import { STEP_RETRY, workflow } from './workflow.ts';
import { publishOwnEvents } from './producers.ts';

export interface DossierWorkflowProps {
  config: NotifyConfig;
  ledger: Table;
  contacts: Table;
  sendQueue: Queue;
  alerts: OperatorAlerts;
}

/** Fixed so that the step function can be allowed to answer its own task tokens without a dependency cycle. */
export const DOSSIER_STATE_MACHINE_NAME = 'BhxhNotify-DossierLifecycle';

export class DossierWorkflow extends Construct {
  readonly table: Table;
  readonly stateMachine: StateMachine;
  readonly stepFunction: NotifyFunction;

  constructor(scope: Construct, id: string, props: DossierWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Each write moves expiresAt to bhxh:dossierRetentionDays after it (the store sets it).
    this.table = durableTable(this, 'DossiersTable', 'dossierNo', { timeToLiveAttribute: 'expiresAt' });
    const stateMachineArn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: DOSSIER_STATE_MACHINE_NAME, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    this.stepFunction = new NotifyFunction(this, 'DossierStepFunction', {
      entry: 'lambdas/functions/dossier-step/handler.ts',
      serviceName: 'dossier',
      description: 'Steps of the dossier lifecycle: record, notify, wait, overdue check',
      timeout: Duration.seconds(30),
      logRetention: props.config.logRetention,
      contract: DOSSIER_STEP_ENVIRONMENT,
    });
    const fn = this.stepFunction;
    bindMessaging(fn, props);
    justifyRetriedStepDuplicates(fn, props.ledger);
    fn.bindTable('DOSSIERS_TABLE_NAME', this.table, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    fn.setVariable('DOSSIER_RETENTION_DAYS', props.config.dossierRetentionDays);
    fn.setVariable('EVENT_BUS_NAME', EVENT_BUS_NAME);
    fn.setVariable('DOSSIER_OVERDUE_APOLOGY', props.config.dossierOverdueApology);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [stateMachineArn] }));
    fn.addToRolePolicy(
      // Only the system's own source (DossierOverdue).
      publishOwnEvents(stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: EVENT_BUS_NAME })),
    );

    const step = (name: string, action: string, payload: Record<string, unknown>, resultPath: string) =>
      new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: fn,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({ action, ...payload }),
        resultPath,
        retryOnServiceExceptions: true,
        // The step's own failures too (a throttled write, a PutEvents entry refused): every step is idempotent, and a
        // dossier's execution that failed would leave it without its resolution SMS.
      }).addRetry(STEP_RETRY);

    // The execution's input is { dossierNo }: nothing personal in the history.
    const dossierNo = JsonPath.stringAt('$.dossierNo');
    // The steps that decide the next wake-up put their result at $.Payload: the wait's TimeoutSecondsPath
    // ($.Payload.timeoutSeconds) then points at the same number whether it is read from the state's input
    // (Step Functions) or from its Parameters (aws-local-stepfunctions, which the tests run).
    const received = step('Record receipt and tell the citizen', 'received', { dossierNo }, '$.Payload');
    const waitForResult = new LambdaInvoke(this, 'Wait for the result', {
      stateName: 'Wait for the result',
      lambdaFunction: fn,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      // The token is the execution's address for DossierResolved; it is stored with the dossier.
      payload: TaskInput.fromObject({
        action: 'await-result',
        dossierNo,
        taskToken: JsonPath.taskToken,
        timeoutSeconds: JsonPath.numberAt('$.Payload.timeoutSeconds'),
      }),
      // Wake up at the promised date (or every 20 days) to check for overdue dossiers.
      taskTimeout: Timeout.at('$.Payload.timeoutSeconds'),
      resultPath: '$.resolution',
    });
    const overdueCheck = step('Check whether the dossier is overdue', 'overdue-check', { dossierNo }, '$.Payload');
    const resolved = step('Tell the citizen the dossier is resolved', 'resolved', { dossierNo, resolution: JsonPath.objectAt('$.resolution') }, '$.Payload');

    waitForResult.addCatch(overdueCheck, { errors: [Errors.TIMEOUT], resultPath: '$.timeout' });
    overdueCheck.next(waitForResult);

    const definition = received.next(
      new Choice(this, 'Was the dossier accepted?')
        .when(Condition.booleanEquals('$.Payload.valid', false), new Succeed(this, 'Dossier rejected'))
        .otherwise(waitForResult.next(resolved.next(new Succeed(this, 'Dossier resolved')))),
    );

    // No execution timeout of our own: Standard executions end after a year anyway, and fail visibly then.
    this.stateMachine = workflow(this, 'DossierLifecycle', {
      stateMachineName: DOSSIER_STATE_MACHINE_NAME,
      definition,
      comment: 'One execution per dossier, named from the dossier number',
      logRetention: props.config.logRetention,
    });
    props.alerts.alarmOnFunctionErrors('DossierStepErrors', fn);
    props.alerts.alarmOnMetric(
      'DossiersOverdue',
      new Metric({ namespace: 'BhxhNotify', metricName: 'dossier-overdue', dimensionsMap: { service: 'dossier' }, statistic: 'Sum', period: Duration.hours(1) }),
      'Dossiers passed their promised result date without a resolution (DossierOverdue events on the bus)',
    );
    props.alerts.alarmOnMetric(
      'DossierExecutionsFailed',
      this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      'A dossier lifecycle execution failed: open it in the Step Functions console',
    );
  }

  /** Where this workflow's quiet-hours messages wait for the morning release. */
  connectDueItems(dueItems: Table): void {
    this.stepFunction.bindTable('DUE_ITEMS_TABLE_NAME', dueItems, ['dynamodb:PutItem']);
  }
}
