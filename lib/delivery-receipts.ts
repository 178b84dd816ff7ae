/**
 * Delivery receipts: the stack turns on SNS SMS delivery-status logging (the
 * role SNS writes with, success sampling from configuration), owns the two
 * status log groups SNS writes to, and subscribes the receipts function to
 * both, so receipts arrive in batches rather than by per-message log queries
 * (which AWS throttles at a few calls per second).
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterPattern, LogGroup, SubscriptionFilter, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { InternalDetailType } from '../lambdas/domain/catalogue.ts';
import { recurringTick, type TickTarget } from './reminders.ts';
import { RECEIPT_WAIT_HOURS } from '../lambdas/domain/ledger.ts';
import { PROVIDER_MESSAGE_INDEX } from '../lambdas/stores/table-schema.ts';
import { NotifyFunction } from './notify-function.ts';
import { RECEIPTS_ENVIRONMENT } from '../lambdas/aws/environment.ts';
import type { OperatorAlerts } from './operator-alerts.ts';

export interface DeliveryReceiptsProps {
  ledger: Table;
  controlTable: Table;
  logRetention: RetentionDays;
  /** Percentage of successful deliveries SNS logs (failures are always logged). */
  successSamplingRate: number;
  alerts: OperatorAlerts;
  /** Where the six-hourly receipt deadline check is delivered (the intake queue; the intake runs it). */
  scheduleTarget: TickTarget;
}

export class DeliveryReceipts extends Construct {
  readonly receiptsFunction: NotifyFunction;

  constructor(scope: Construct, id: string, props: DeliveryReceiptsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // SNS names these groups itself; creating them first gives them our retention and lets us subscribe.
    const base = `sns/${stack.region}/${stack.account}/DirectPublishToPhoneNumber`;
    const delivered = new LogGroup(this, 'DeliveredLogGroup', { logGroupName: base, retention: props.logRetention });
    const failed = new LogGroup(this, 'FailedLogGroup', { logGroupName: `${base}/Failure`, retention: props.logRetention });

    const snsRole = new Role(this, 'SnsDeliveryStatusRole', {
      assumedBy: new ServicePrincipal('sns.amazonaws.com'),
      description: 'Lets SNS write SMS delivery receipts to the two delivery-status log groups',
    });
    snsRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy'],
        resources: [delivered.logGroupArn, failed.logGroupArn],
      }),
    );

    const setAttributes = {
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes: { DeliveryStatusIAMRole: snsRole.roleArn, DeliveryStatusSuccessSamplingRate: String(props.successSamplingRate) } },
      physicalResourceId: PhysicalResourceId.of('bhxh-notify-sms-delivery-status'),
    };
    const enable = new AwsCustomResource(this, 'EnableDeliveryStatusLogging', {
      onCreate: setAttributes,
      onUpdate: setAttributes,
      installLatestAwsSdk: false,
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['sns:SetSMSAttributes'], resources: ['*'] }),
        new PolicyStatement({ actions: ['iam:PassRole'], resources: [snsRole.roleArn] }),
      ]),
    });
    Validations.of(enable).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'sns:SetSMSAttributes is an account-level setting with no resource to name.' });
    // The one function CDK provides to run AwsCustomResource calls, at stack level.
    const provider = stack.node.tryFindChild(AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '').replace(/^/, 'AWS'));
    if (provider) {
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's AwsCustomResource provider runs once per deployment to call SNS SetSMSAttributes; its role only writes its own logs.",
      });
    }

    this.receiptsFunction = new NotifyFunction(this, 'ReceiptsFunction', {
      entry: 'lambdas/functions/receipts/handler.ts',
      serviceName: 'receipts',
      description: 'Applies SNS SMS delivery receipts to the ledger',
      timeout: Duration.seconds(60),
      logRetention: props.logRetention,
      contract: RECEIPTS_ENVIRONMENT,
    });
    const fn = this.receiptsFunction;
    fn.bindTable('LEDGER_TABLE_NAME', props.ledger, ['dynamodb:GetItem', 'dynamodb:UpdateItem']).grantIndex(props.ledger, PROVIDER_MESSAGE_INDEX);
    // Receipts that arrive before their message is recorded as sent are parked in the control table.
    fn.bindTable('CONTROL_TABLE_NAME', props.controlTable, ['dynamodb:PutItem']);
    for (const [name, group] of [['Delivered', delivered], ['Failed', failed]] as const) {
      new SubscriptionFilter(this, `${name}Receipts`, { logGroup: group, destination: new LambdaDestination(fn), filterPattern: FilterPattern.allEvents() });
    }
    props.alerts.alarmOnFunctionErrors('ReceiptsErrors', fn);

    recurringTick(this, 'ReceiptDeadlineCheck', {
      target: props.scheduleTarget,
      cron: 'cron(15 0,6,12,18 * * ? *)',
      description: `Sent SMS without a delivery receipt for ${RECEIPT_WAIT_HOURS} hours become temporary failures`,
      detailType: InternalDetailType.ReceiptDeadlineCheck,
      idPrefix: 'receipt-deadlines',
      detail: {},
    });
  }
}
