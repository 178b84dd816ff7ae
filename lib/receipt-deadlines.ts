/**
 * The 72-hour rule in its own function: EventBridge Scheduler invokes it every
 * six hours (Vietnam time); it reads the sparse receipt-deadline index of the
 * ledger page by page and marks what is still `sent` 72 hours on as
 * `temporary-failure`. Only where SNS logs every successful delivery (success
 * sampling 100 %): below that a delivered message may have no receipt at all,
 * and DeliveryReceipts does not create this construct.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule, type ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { InternalDetailType } from '../lambdas/domain/catalogue.ts';
import { RECEIPT_CHECK_KEYS_PER_RUN, RECEIPT_WAIT_HOURS } from '../lambdas/domain/ledger.ts';
import { RECEIPT_DEADLINES_ENVIRONMENT } from '../lambdas/aws/environment.ts';
import { RECEIPT_DUE_INDEX } from '../lambdas/stores/table-schema.ts';
import { NotifyFunction } from './notify-function.ts';
import type { OperatorAlerts } from './operator-alerts.ts';

/**
 * Sized for 50,000 keys, the most one run marks (RECEIPT_CHECK_KEYS_PER_RUN). `node --import tsx
 * bench/receipt-deadlines.ts 5000` measures a run (index pages read, one
 * conditional update per key, 16 in flight) against DynamoDB Local on a 2-core
 * machine: 1.5 to 2.0 ms per key over several runs, so 50,000 keys take 75 to
 * 100 s. Three times the slowest measure is 300 s: the margin covers a slower
 * DynamoDB (an UpdateItem from Lambda takes a few milliseconds; with 16 in
 * flight that is well under 1 ms per key) and a cold start. The run also stops
 * 15 seconds before the timeout, so a bigger backlog is never cut off in the
 * middle of a page but left to the next run.
 */
export const RECEIPT_DEADLINES_MEASURED_MS_PER_KEY = 2;
const MARGIN = 3;
export const RECEIPT_DEADLINES_TIMEOUT = Duration.seconds(Math.ceil((RECEIPT_DEADLINES_MEASURED_MS_PER_KEY * RECEIPT_CHECK_KEYS_PER_RUN * MARGIN) / 1000));

export interface ReceiptDeadlinesProps {
  ledger: Table;
  logRetention: RetentionDays;
  alerts: OperatorAlerts;
  /** The Scheduler group of the stack's own schedules. */
  scheduleGroup: ScheduleGroup;
}

export class ReceiptDeadlines extends Construct {
  readonly deadlinesFunction: NotifyFunction;

  constructor(scope: Construct, id: string, props: ReceiptDeadlinesProps) {
    super(scope, id);
    const fn = new NotifyFunction(this, 'ReceiptDeadlinesFunction', {
      entry: 'lambdas/functions/receipt-deadlines/handler.ts',
      serviceName: 'receipt-deadlines',
      description: `Marks SMS sent ${RECEIPT_WAIT_HOURS} hours ago without a delivery receipt as temporary failures`,
      timeout: RECEIPT_DEADLINES_TIMEOUT,
      logRetention: props.logRetention,
      contract: RECEIPT_DEADLINES_ENVIRONMENT,
    });
    this.deadlinesFunction = fn;
    fn.bindTable('LEDGER_TABLE_NAME', props.ledger, ['dynamodb:UpdateItem']).grantIndex(props.ledger, RECEIPT_DUE_INDEX);
    // No retries: a failed run changes nothing the next one cannot do, and the next one, six hours later, looks a week back; the failure is alarmed.
    fn.configureAsyncInvoke({ retryAttempts: 0 });
    props.alerts.alarmOnFunctionErrors('ReceiptDeadlinesErrors', fn);

    // Scheduler invokes the function (asynchronously) with a role of its own that may invoke this function and nothing else.
    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: 'Lets EventBridge Scheduler start the six-hourly receipt deadline check',
    });
    fn.grantInvoke(role);
    const schedule = new CfnSchedule(this, 'ReceiptDeadlineCheck', {
      groupName: props.scheduleGroup.scheduleGroupName,
      description: `Sent SMS without a delivery receipt for ${RECEIPT_WAIT_HOURS} hours become temporary failures`,
      scheduleExpression: 'cron(15 0,6,12,18 * * ? *)',
      scheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: fn.functionArn,
        roleArn: role.roleArn,
        input: JSON.stringify({ check: InternalDetailType.ReceiptDeadlineCheck, scheduledTime: '<aws.scheduler.scheduled-time>' }),
        // A run missed for an hour is not worth starting late: the next one catches up.
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 3 },
      },
    });
    // The group's name is a plain string in the template, which makes no dependency by itself.
    schedule.node.addDependency(props.scheduleGroup);
  }
}
