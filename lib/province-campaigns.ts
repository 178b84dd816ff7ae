/**
 * Province campaigns (SPEC "Province campaigns", seed 001): a province's own
 * message to its own list, sent only after the IT Centre's approval. One
 * Standard execution per campaign, `campaign-<id>`, whose states an operator
 * reads in the console:
 *
 *   Validate the proposal → Wait for the IT Centre's review (14 days) →
 *   Apply the IT Centre's decision (and the agency's budget) → Wait for the
 *   send window → Send a page of recipients ⟲ Keep to the campaign's pace →
 *   Report the outcome.
 *
 * The campaigns table holds each proposal, its status and history, and each
 * agency's monthly budget; the rows table the accepted rows (phone numbers,
 * texts) until they expire; the campaign files bucket the agencies'
 * recipients files (`recipients/<agency>/`) and the reports written next to
 * them.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Choice, Condition, IntegrationPattern, JsonPath, Succeed, TaskInput, Timeout, Wait, WaitTime, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { PROVINCE_CAMPAIGN_ENVIRONMENT } from '../lambdas/aws/environment.ts';
import { CAMPAIGN_FILES_RETENTION_DAYS, REVIEW_TIMEOUT_SECONDS } from '../lambdas/domain/province-campaigns.ts';
import type { NotifyConfig } from './config.ts';
import { NotifyFunction } from './notify-function.ts';
import type { OperatorAlerts } from './operator-alerts.ts';
import { publishOwnEvents } from './producers.ts';
import { durableTable } from './tables.ts';
import { STEP_RETRY, workflow } from './workflow.ts';

export interface ProvinceCampaignsProps {
  config: NotifyConfig;
  busName: string;
  ledger: Table;
  contacts: Table;
  sendQueue: Queue;
  alerts: OperatorAlerts;
  /** Where the campaign files bucket logs its accesses. */
  accessLogs: Bucket;
}

/** Fixed so that the step function can answer its own task tokens without a dependency cycle. */
export const PROVINCE_CAMPAIGN_STATE_MACHINE_NAME = 'BhxhNotify-ProvinceCampaign';

export class ProvinceCampaigns extends Construct {
  readonly table: Table;
  readonly rows: Table;
  readonly files: Bucket;
  readonly stepFunction: NotifyFunction;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: ProvinceCampaignsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.table = durableTable(this, 'CampaignsTable', 'campaignId');
    this.rows = durableTable(this, 'CampaignRowsTable', 'campaignId', { sortKey: { name: 'row', type: AttributeType.NUMBER }, timeToLiveAttribute: 'expiresAt' });
    this.files = new Bucket(this, 'CampaignFilesBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'campaign-files/',
      // Recipients files hold phone numbers: they go with the rows kept for the send.
      lifecycleRules: [{ expiration: Duration.days(CAMPAIGN_FILES_RETENTION_DAYS), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const recipientsObjects = this.files.arnForObjects('recipients/*');
    const bucketLogicalId = stack.getLogicalId(this.files.node.defaultChild as never);

    // What an agency's uploader attaches: put a recipients file, nothing else (the proposal names it; validation
    // refuses a file outside the proposing agency's own prefix).
    const upload = new ManagedPolicy(this, 'UploadRecipients', {
      managedPolicyName: 'BhxhNotify-UploadCampaignRecipients',
      description: 'Lets a provincial agency upload a campaign recipients CSV under recipients/<agency>/ of the campaign files bucket',
      statements: [new PolicyStatement({ actions: ['s3:PutObject'], resources: [recipientsObjects] })],
    });
    Validations.of(upload).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/recipients/*]`,
      reason: "Recipients files are named by the agencies; confined to the recipients/ prefix, and a proposal may only name its own agency's prefix.",
    });

    const fn = new NotifyFunction(this, 'ProvinceCampaignFunction', {
      entry: 'lambdas/functions/province-campaign/handler.ts',
      serviceName: 'province-campaign',
      description: 'Steps of a province campaign: validate, review, send pages, report',
      // Validation holds the file and its rows in memory: about 110 MB per 100,000 rows (npm run bench), 2,000,000 at most.
      memorySize: 3008,
      // Validating 2,000,000 rows and writing them for the send is the longest step; every other step takes seconds.
      timeout: Duration.minutes(15),
      logRetention: props.config.logRetention,
      contract: PROVINCE_CAMPAIGN_ENVIRONMENT,
    });
    this.stepFunction = fn;
    fn.bindTable('CAMPAIGNS_TABLE_NAME', this.table, ['dynamodb:GetItem', 'dynamodb:UpdateItem'])
      .bindTable('CAMPAIGN_ROWS_TABLE_NAME', this.rows, ['dynamodb:BatchWriteItem', 'dynamodb:Query'])
      .bindTable('LEDGER_TABLE_NAME', props.ledger, ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem'])
      .bindTable('CONTACTS_TABLE_NAME', props.contacts, ['dynamodb:GetItem'])
      .bindQueue('SEND_QUEUE_URL', props.sendQueue)
      .setVariable('LEDGER_RETENTION_DAYS', props.config.ledgerRetentionDays)
      .setVariable('MESSAGE_TEXT_RETENTION_DAYS', props.config.messageTextRetentionDays)
      .setVariable('QUIET_HOURS_START', props.config.quietHoursStart)
      .setVariable('QUIET_HOURS_END', props.config.quietHoursEnd)
      .setVariable('CAMPAIGN_FILES_BUCKET_NAME', this.files.bucketName)
      .setVariable('EVENT_BUS_NAME', props.busName)
      .setVariable('SMS_PARTS_PER_SECOND', props.config.smsPartsPerSecond)
      .setVariable('CAMPAIGN_MONTHLY_PARTS', JSON.stringify(props.config.campaignMonthlyParts));
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [recipientsObjects] }));
    Validations.of(fn.ownRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/recipients/*]`,
      reason: 'Reads the recipients file a proposal names and writes its reports next to it; confined to the recipients/ prefix.',
    });
    fn.addToRolePolicy(publishOwnEvents(stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: props.busName })));
    const machineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: PROVINCE_CAMPAIGN_STATE_MACHINE_NAME,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // A review or cancellation recorded before the wait stored its token: the wait answers itself.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [machineArn] }));
    fn.justifyUnused(['dynamodb:UpdateItem'], 'Counting a duplicate when a page retried after a crash records a row the ledger already has; no test crashes a page yet.', [
      props.ledger.tableArn,
    ]);

    this.stateMachine = workflow(this, 'ProvinceCampaign', {
      stateMachineName: PROVINCE_CAMPAIGN_STATE_MACHINE_NAME,
      definition: this.definition(fn),
      comment: 'One execution per province campaign, named campaign-<id>: validate, wait for the IT Centre, wait for the window, send, report',
      logRetention: props.config.logRetention,
    });
    props.alerts.alarmOnFunctionErrors('ProvinceCampaignStepErrors', fn);
    props.alerts.alarmOnMetric(
      'ProvinceCampaignExecutionsFailed',
      this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      'A province campaign execution failed: open it in the Step Functions console (its steps are idempotent; ops campaign <id> shows where it stopped)',
    );
  }

  private definition(fn: NotifyFunction) {
    const campaignId = JsonPath.stringAt('$.campaignId');
    const step = (name: string, payload: Record<string, unknown>, resultPath: string) =>
      new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: fn,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject(payload),
        resultPath,
        retryOnServiceExceptions: true,
      }).addRetry(STEP_RETRY);
    const validate = step('Validate the proposal', { action: 'validate', campaignId }, '$.validation');
    const refused = new Succeed(this, 'Proposal refused');
    const cancelled = new Succeed(this, 'Campaign cancelled');
    const waitFor = (name: string, timeout: Timeout, extra: Record<string, unknown> = {}) =>
      new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: fn,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: TaskInput.fromObject({ action: 'await-answer', campaignId, taskToken: JsonPath.taskToken, ...extra }),
        taskTimeout: timeout,
        resultPath: '$.answer',
      });
    const review = waitFor("Wait for the IT Centre's review", Timeout.duration(Duration.seconds(REVIEW_TIMEOUT_SECONDS)));
    const expire = step('Expire the unreviewed proposal', { action: 'expire', campaignId }, '$.expiry');
    review.addCatch(expire.next(new Succeed(this, 'Proposal expired')), { errors: ['States.Timeout'], resultPath: '$.timeout' });
    const decide = step("Apply the IT Centre's decision", { action: 'decide', campaignId }, '$.Payload');
    // The decision and each page's result are at $.Payload, like the dossier's waits: the window's TimeoutSecondsPath
    // ($.Payload.waitSeconds) then points at the same number whether it is read from the state's input (Step Functions)
    // or from its Parameters (aws-local-stepfunctions, which the tests run).
    const window = waitFor('Wait for the send window', Timeout.at('$.Payload.waitSeconds'), { waitSeconds: JsonPath.numberAt('$.Payload.waitSeconds') });
    const sendPage = step(
      'Send a page of recipients',
      { action: 'send-page', campaignId, after: JsonPath.numberAt('$.Payload.after'), totals: JsonPath.objectAt('$.Payload.totals') },
      '$.Payload',
    );
    // Its window came, or a cancellation answered the wait: the page looks at the campaign and sends, or stops.
    window.addCatch(sendPage, { errors: ['States.Timeout'], resultPath: '$.timeout' });
    window.next(sendPage);
    const pace = new Wait(this, "Keep to the campaign's pace (or wait for the morning)", { time: WaitTime.secondsPath('$.Payload.waitSeconds') });
    const report = step('Report the outcome', { action: 'report', campaignId }, '$.report');
    sendPage.next(
      new Choice(this, 'More recipients to send?')
        .when(Condition.stringEquals('$.Payload.next', 'wait'), pace.next(sendPage))
        .otherwise(report.next(new Succeed(this, 'Campaign finished'))),
    );
    const decision = new Choice(this, 'What did the IT Centre decide?')
      .when(Condition.stringEquals('$.Payload.next', 'wait'), window)
      .when(Condition.stringEquals('$.Payload.next', 'rejected'), new Succeed(this, 'Proposal rejected'))
      .when(Condition.stringEquals('$.Payload.next', 'over-budget'), new Succeed(this, "Over the agency's monthly budget"))
      .when(Condition.stringEquals('$.Payload.next', 'cancelled'), cancelled)
      // Answered without a decision to apply (cannot happen by design): wait for the review again.
      .otherwise(review);
    review.next(decide).next(decision);
    return validate.next(
      new Choice(this, 'Is the proposal valid?')
        .when(Condition.stringEquals('$.validation.status', 'awaiting-review'), review)
        .when(Condition.stringEquals('$.validation.status', 'cancelled'), cancelled)
        .otherwise(refused),
    );
  }
}
