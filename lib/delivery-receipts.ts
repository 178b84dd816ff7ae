/**
 * Delivery receipts: the stack turns on SNS SMS delivery-status logging (the
 * role SNS writes with, success sampling from configuration), adopts the two
 * status log groups SNS writes to, and subscribes the receipts function to
 * both, so receipts arrive in batches rather than by per-message log queries
 * (which AWS throttles at a few calls per second).
 *
 * The groups are adopted, not owned: SNS names them itself
 * (`sns/<region>/<account>/DirectPublishToPhoneNumber[/Failure]`), so one may
 * already exist (SMS logging turned on before, a stack rolled back or
 * destroyed), and a CloudFormation LogGroup of that name would fail the
 * deploy. A custom resource creates each group if it is missing and sets its
 * retention; nothing deletes them, so they outlive the stack and the next
 * deploy adopts them again.
 *
 * Every delivery-status line carries the destination phone number: the groups
 * keep their lines no longer than the ledger keeps message texts and numbers
 * (bhxh:messageTextRetentionDays), whatever the retention of the other logs.
 *
 * CloudWatch Logs invokes the receipts function asynchronously: a batch that
 * fails its three attempts is kept on an on-failure queue (encrypted, alarmed,
 * its numbers kept no longer than the groups keep them) for an operator to
 * apply again (`npm run ops -- receipts redrive`), never dropped.
 */
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterPattern, LogGroup, type RetentionDays, SubscriptionFilter } from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId, type AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { IDestination } from 'aws-cdk-lib/aws-lambda';
import type { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { logRetentionAtMost, readConfig } from './config.ts';
import { grantSendOnly, secureQueue } from './queues.ts';
import { ReceiptDeadlines } from './receipt-deadlines.ts';
import { PROVIDER_MESSAGE_INDEX } from '../lambdas/stores/table-schema.ts';
import { NotifyFunction } from './notify-function.ts';
import { RECEIPTS_ENVIRONMENT } from '../lambdas/aws/environment.ts';
import { acknowledgeWildcardResource } from './nag.ts';
import type { OperatorAlerts } from './operator-alerts.ts';

export interface DeliveryReceiptsProps {
  ledger: Table;
  controlTable: Table;
  logRetention: RetentionDays;
  /** Percentage of successful deliveries SNS logs (failures are always logged). */
  successSamplingRate: number;
  alerts: OperatorAlerts;
  /** The Scheduler group the six-hourly receipt deadline check belongs to. */
  scheduleGroup: ScheduleGroup;
}

/** SQS keeps a message 14 days at most. */
const SQS_MAX_RETENTION_DAYS = 14;

export class DeliveryReceipts extends Construct {
  readonly receiptsFunction: NotifyFunction;
  /** Batches of receipts the function failed to apply after every attempt: Lambda's on-failure destination. */
  readonly failedReceipts: Queue;
  /** The 72-hour check; undefined when SNS samples successes (then the rule is off). */
  readonly deadlines?: ReceiptDeadlines;

  constructor(scope: Construct, id: string, props: DeliveryReceiptsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // CDK's AwsCustomResource calls all run in one provider function per stack; its logs expire like ours.
    const providerLogs = new LogGroup(this, 'CustomResourceProviderLogs', { retention: props.logRetention });
    const sdkCall = (cid: string, calls: { onCreate: AwsSdkCall; onUpdate?: AwsSdkCall; onDelete?: AwsSdkCall }, statements: PolicyStatement[]) =>
      new AwsCustomResource(this, cid, { ...calls, installLatestAwsSdk: false, logGroup: providerLogs, policy: AwsCustomResourcePolicy.fromStatements(statements) });

    // The names SNS writes to; the bare log-group ARN is what CreateLogGroup and PutRetentionPolicy are authorized on.
    const base = `sns/${stack.region}/${stack.account}/DirectPublishToPhoneNumber`;
    const groupArn = (name: string) => stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    // The numbers in these groups live no longer than the ledger keeps them (never "never expire", whatever logRetention says).
    const numbersRetention = Math.min(props.logRetention, logRetentionAtMost(readConfig(this.node).messageTextRetentionDays)) as RetentionDays;
    const groups = (
      [
        ['Delivered', base],
        ['Failed', `${base}/Failure`],
      ] as const
    ).map(([label, name]) => {
      // Create if missing; one that exists (from an earlier stack or SNS itself) is adopted as it is.
      const create: AwsSdkCall = {
        service: 'CloudWatchLogs',
        action: 'createLogGroup',
        parameters: { logGroupName: name },
        physicalResourceId: PhysicalResourceId.of(name),
        ignoreErrorCodesMatching: 'ResourceAlreadyExistsException',
      };
      // No onDelete: the stack never deletes a group (it may not have created it), so a rollback or destroy leaves it for the next deploy.
      const exists = sdkCall(`Adopt${label}LogGroup`, { onCreate: create, onUpdate: create }, [
        new PolicyStatement({ actions: ['logs:CreateLogGroup'], resources: [groupArn(name)] }),
      ]);
      const retention: AwsSdkCall = {
        service: 'CloudWatchLogs',
        action: 'putRetentionPolicy',
        parameters: { logGroupName: name, retentionInDays: numbersRetention },
        physicalResourceId: PhysicalResourceId.of(`${name}#retention`),
      };
      const retained = sdkCall(`${label}LogGroupRetention`, { onCreate: retention, onUpdate: retention }, [
        new PolicyStatement({ actions: ['logs:PutRetentionPolicy'], resources: [groupArn(name)] }),
      ]);
      retained.node.addDependency(exists);
      return { label, name, exists, group: LogGroup.fromLogGroupName(this, `${label}LogGroup`, name) };
    });

    const snsRole = new Role(this, 'SnsDeliveryStatusRole', {
      assumedBy: new ServicePrincipal('sns.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'Lets SNS write SMS delivery receipts to the two delivery-status log groups',
    });
    // Group-level actions are authorized on the bare group ARN (log-group:NAME), stream-level ones on its streams (log-group:NAME:log-stream:…).
    snsRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['logs:CreateLogGroup', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy'], resources: groups.map((g) => groupArn(g.name)) }),
    );
    const streams = groups.map((g) => `${groupArn(g.name)}:*`);
    snsRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: streams }));
    for (const arn of streams) {
      acknowledgeWildcardResource(snsRole, arn, 'SNS names the log streams of its delivery-status group itself; the wildcard is the streams of this one group.');
    }

    // Account-wide and per region: SNS has one delivery-status role per account and region (README "Deploy").
    // The physical id never changes, so an update never replaces the resource (a replacement's delete would clear what it just set).
    const setAttributes: AwsSdkCall = {
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes: { DeliveryStatusIAMRole: snsRole.roleArn, DeliveryStatusSuccessSamplingRate: String(props.successSamplingRate) } },
      physicalResourceId: PhysicalResourceId.of('bhxh-notify-sms-delivery-status'),
    };
    // On delete the setting is cleared: SNS must not keep pointing at the role the stack deletes.
    const clearAttributes: AwsSdkCall = {
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes: { DeliveryStatusIAMRole: '', DeliveryStatusSuccessSamplingRate: '' } },
      physicalResourceId: PhysicalResourceId.of('bhxh-notify-sms-delivery-status'),
    };
    const enable = sdkCall('EnableDeliveryStatusLogging', { onCreate: setAttributes, onUpdate: setAttributes, onDelete: clearAttributes }, [
      new PolicyStatement({ actions: ['sns:SetSMSAttributes'], resources: ['*'] }),
      new PolicyStatement({ actions: ['iam:PassRole'], resources: [snsRole.roleArn] }),
    ]);
    // Logging is turned on once both groups exist, so SNS never creates one itself.
    for (const g of groups) enable.node.addDependency(g.exists);
    Validations.of(enable).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'sns:SetSMSAttributes is an account-level setting with no resource to name.' });
    // The one function CDK provides to run AwsCustomResource calls, at stack level.
    const provider = stack.node.tryFindChild(AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '').replace(/^/, 'AWS'));
    if (provider) {
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's AwsCustomResource provider runs once per deployment to adopt the SNS log groups and call SNS SetSMSAttributes; its role only writes its own logs.",
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
    // Both belong to receipts that overtake the sender; test/flows/receipts.test.ts covers them by calling the flow directly, outside the local run.
    fn.justifyUnused(['dynamodb:PutItem'], 'Parking a receipt whose message is not recorded as sent yet (no ledger match, or still sending).', [props.controlTable.tableArn]);
    fn.justifyUnused(['dynamodb:GetItem'], "Reading a message's status when its receipt did not apply (is it still sending?): only for receipts that overtake the sender.", [
      props.ledger.tableArn,
    ]);
    for (const g of groups) {
      const filter = new SubscriptionFilter(this, `${g.label}Receipts`, { logGroup: g.group, destination: new LambdaDestination(fn), filterPattern: FilterPattern.allEvents() });
      // Subscribed by name: the group must exist first.
      filter.node.addDependency(g.exists);
    }
    props.alerts.alarmOnFunctionErrors('ReceiptsErrors', fn);

    // Lambda's record of a failed batch holds the batch, whose lines hold phone numbers: kept no longer than the groups keep them.
    this.failedReceipts = secureQueue(this, 'UnappliedReceipts', { retentionPeriod: Duration.days(Math.min(SQS_MAX_RETENTION_DAYS, numbersRetention)) });
    Validations.of(this.failedReceipts).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the receipts function's on-failure destination, a dead-letter queue in all but name: nothing consumes it but an operator's redrive, and it alarms when not empty.",
    });
    const failedQueue = this.failedReceipts;
    // Lambda sends the record with the function's role: sqs:SendMessage only (grantSendOnly), not CDK's SqsDestination grant.
    const onFailure: IDestination = {
      bind: () => {
        grantSendOnly(fn, failedQueue);
        return { destination: failedQueue.queueArn };
      },
    };
    // AWS's defaults made explicit: two retries, six hours; then the batch goes to the queue.
    fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure });
    props.alerts.alarmWhenQueueNotEmpty('FailedReceiptsWaiting', failedQueue, 'Delivery receipts failed three times: npm run ops -- receipts redrive (after a fix)');
    // A record Lambda could not put on the queue (a grant gone, a record too large) is lost: that is worth an alarm of its own.
    props.alerts.alarmOnMetric(
      'ReceiptsDestinationDeliveryFailures',
      fn.metric('DestinationDeliveryFailures', { period: Duration.minutes(5), statistic: 'Sum' }),
      'Lambda could not keep a failed batch of delivery receipts on its queue: read the delivery-status log groups for that time',
    );

    // The 72-hour rule only where SNS logs every success: with sampling, a delivered SMS may never get a receipt.
    if (props.successSamplingRate === 100) {
      this.deadlines = new ReceiptDeadlines(this, 'Deadlines', {
        ledger: props.ledger,
        logRetention: props.logRetention,
        alerts: props.alerts,
        scheduleGroup: props.scheduleGroup,
      });
    }
  }
}
