/**
 * Scheduled notifications: the due-date index, the campaign state machine
 * (one Standard execution per kind and day, named `<kind>-<YYYY-MM-DD>`, that
 * pages through the day's due items shard by shard and hands them to the send
 * queue), and the recurring schedules that start each run in Asia/Ho_Chi_Minh.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { AttributeType, ProjectionType, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { campaignStateMachines } from './campaign-runs.ts';
import { Construct } from 'constructs';
import { PENDING_DUE_INDEX } from '../lambdas/stores/table-schema.ts';
import { InternalDetailType } from '../lambdas/domain/catalogue.ts';
import type { DueKind } from '../lambdas/domain/due-items.ts';
import { runTimeOf } from '../lambdas/domain/due-plans.ts';
import { recurringTick, type TickTarget } from './reminders.ts';
import type { NotifyConfig } from './config.ts';
import { NotifyFunction } from './notify-function.ts';
import { bindMessaging } from './messaging-grants.ts';
import { CAMPAIGN_PAGE_ENVIRONMENT } from '../lambdas/aws/environment.ts';
import type { OperatorAlerts } from './operator-alerts.ts';
import { durableTable } from './tables.ts';
import { publishOwnEvents } from './producers.ts';

export interface CampaignsProps {
  config: NotifyConfig;
  /** The bus on which CollectionDailySummaryReady is published. */
  busName: string;
  ledger: Table;
  contacts: Table;
  sendQueue: Queue;
  alerts: OperatorAlerts;
  /** Where the recurring schedules deliver their ticks (the intake queue), and the role they use. */
  scheduleTarget: TickTarget;
}

/** Each kind's run, in Vietnam time (seeds 000, 001, 003, 004 and SPEC rule 6), at the times of lambdas/domain/due-plans.ts. */
export function campaignSchedules(config: NotifyConfig): Array<{ kind: DueKind; cron: string; description: string }> {
  const at = (kind: DueKind, days: string) => {
    const [hour, minute] = runTimeOf(kind, config.quietHoursStart).split(':').map(Number);
    return `cron(${minute} ${hour} ${days} * ? *)`;
  };
  return [
    { kind: 'quiet-hours-release', cron: at('quiet-hours-release', '*'), description: 'Sends what waited through quiet hours' },
    { kind: 'health-card-expiring', cron: at('health-card-expiring', '*'), description: 'Household health cards ending in 30 days' },
    { kind: 'voluntary-term-ending', cron: at('voluntary-term-ending', '*'), description: 'Voluntary contributors on day 15 of their last paid month' },
    { kind: 'password-change-due', cron: at('password-change-due', '*'), description: 'VssID passwords last changed 6 months ago' },
    { kind: 'collector-summary', cron: at('collector-summary', '*'), description: "Collection services' form 01-XN of the previous day, before 08:00" },
    { kind: 'unit-monthly-statement', cron: at('unit-monthly-statement', '1'), description: "Units' statements of the previous month, on the 1st" },
    { kind: 'facility-claims-summary', cron: at('facility-claims-summary', '6'), description: "Health facilities' claims summaries, on the 6th" },
  ];
}

/**
 * The sweep: every hour of the sending window (at :15), each kind's run again, taking what became due by then
 * and was stored after its run (a fact published late, a confirmation after 07:30, a deferral written at
 * 06:59:59 that reached the index after the 07:00 Query). Each sweep is an execution of its own,
 * `<kind>-sweep-<date>T<HHMM>`; one that finds nothing costs a few state transitions per shard.
 */
export function sweepSchedule(config: NotifyConfig): string {
  const first = Number(config.quietHoursStart.split(':')[0]);
  const last = Number(config.quietHoursEnd.split(':')[0]) - 1;
  return `cron(15 ${first}-${last} * * ? *)`;
}

export { CAMPAIGN_STATE_MACHINE_NAME } from './campaign-runs.ts';

export class Campaigns extends Construct {
  readonly dueItems: Table;
  /** Confirmations per collector and day, for form 01-XN. */
  readonly collections: Table;
  /** Form 01-XN CSV files, encrypted, private. */
  readonly reports: Bucket;
  /** Where the reports bucket (and the campaign files bucket) log their accesses. */
  readonly accessLogs: Bucket;
  /** One execution per kind and day (or sweep). */
  readonly stateMachine: StateMachine;
  /** One execution per part of a shard of a run. */
  readonly partStateMachine: StateMachine;
  readonly pageFunction: NotifyFunction;

  constructor(scope: Construct, id: string, props: CampaignsProps) {
    super(scope, id);
    this.dueItems = durableTable(this, 'DueItemsTable', 'pk', { timeToLiveAttribute: 'expiresAt' });
    // Sparse: only pending items carry pendingKey (`kind#shard`) and dueOrder (`dueDate#<random>`).
    this.dueItems.addGlobalSecondaryIndex({
      indexName: PENDING_DUE_INDEX,
      partitionKey: { name: 'pendingKey', type: AttributeType.STRING },
      sortKey: { name: 'dueOrder', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    // Names, BHXH numbers and amounts: each confirmation expires bhxh:collectionRetentionDays after its payment (the intake sets expiresAt).
    this.collections = durableTable(this, 'CollectionsTable', 'collectorDay', {
      sortKey: { name: 'confirmationCode', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
    });
    const accessLogs = new Bucket(this, 'ReportsAccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // ACLs off: S3 server access logging is allowed by this bucket's policy, which CDK writes for the reports bucket
      // (the @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy flag, lib/app.ts), not by the legacy LogDeliveryWrite ACL.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.accessLogs = accessLogs;
    Validations.of(accessLogs).acknowledge({ id: 'AwsSolutions-S1', reason: "This bucket receives the reports bucket's access logs; logging it to itself would loop." });
    this.reports = new Bucket(this, 'ReportsBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'reports/',
      lifecycleRules: [{ expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.pageFunction = new NotifyFunction(this, 'CampaignPageFunction', {
      entry: 'lambdas/functions/campaign-page/handler.ts',
      serviceName: 'campaign',
      description: "Turns one page of a day's due items into queued messages",
      timeout: Duration.seconds(60),
      logRetention: props.config.logRetention,
      contract: CAMPAIGN_PAGE_ENVIRONMENT,
    });
    const fn = this.pageFunction;
    bindMessaging(fn, { ...props, dueItems: this.dueItems });
    fn.justifyUnused(
      ['dynamodb:PutItem'],
      'Quiet hours: a page that runs outside the sending window (a run restarted at night) defers its messages to the due-date index; the tests run campaigns at 08:00.',
      [this.dueItems.tableArn],
    );
    fn.bindTable('COLLECTIONS_TABLE_NAME', this.collections, ['dynamodb:Query', 'dynamodb:UpdateItem']);
    fn.setVariable('REPORTS_BUCKET_NAME', this.reports.bucketName);
    fn.setVariable('EVENT_BUS_NAME', props.busName);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.reports.arnForObjects('01-XN/*')] }));
    fn.addToRolePolicy(
      // Only the system's own source: the bus policy refuses any other from this role anyway.
      publishOwnEvents(Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: props.busName })),
    );
    Validations.of(fn.ownRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.reports.node.defaultChild as never)}.Arn>/01-XN/*]`,
      reason: 'One CSV per collector and day, named at run time; confined to the 01-XN/ prefix of the reports bucket.',
    });
    fn.grantIndex(this.dueItems, PENDING_DUE_INDEX);
    // Settling a due item: it leaves the pending index with what became of it.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [this.dueItems.tableArn] }));
    // Which forms 01-XN of a collector's day went out already (a late confirmation gets a supplementary form).
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [props.ledger.tableArn] }));

    const machines = campaignStateMachines(this, { pageFunction: fn, config: props.config });
    this.stateMachine = machines.run;
    this.partStateMachine = machines.part;

    recurringTick(this, 'SweepCampaigns', {
      target: props.scheduleTarget,
      cron: sweepSchedule(props.config),
      description: 'Sends what became due and was stored after its run, for every kind',
      detailType: InternalDetailType.CampaignDue,
      idPrefix: 'campaign-sweep',
      detail: { sweep: true },
    });
    for (const schedule of campaignSchedules(props.config)) {
      // The intake starts the day's execution, named by kind and date, so a second tick starts nothing.
      recurringTick(this, `Run${schedule.kind.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`, {
        target: props.scheduleTarget,
        cron: schedule.cron,
        description: schedule.description,
        detailType: InternalDetailType.CampaignDue,
        idPrefix: `campaign-${schedule.kind}`,
        detail: { kind: schedule.kind },
      });
    }

    props.alerts.alarmOnFunctionErrors('CampaignPageErrors', fn);
    props.alerts.alarmOnMetric(
      'CampaignExecutionsFailed',
      this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      'A campaign run failed: open it in the Step Functions console and start it again (it sends nothing twice)',
    );
  }
}
