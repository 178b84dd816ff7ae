/**
 * The stack as CloudFormation: the resources that matter for safety and
 * operations, and cdk-nag's AwsSolutions pack with every acknowledgement
 * justified.
 */
import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app.ts';
import { ALL_DETAIL_TYPES } from '../../lambdas/domain/catalogue.ts';

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const { stack } = buildApp({ context: NO_BUNDLING, nag: false });
const template = Template.fromStack(stack);
const resources = (type: string) => template.findResources(type);
const logicalIdStartingWith = (type: string, prefix: string) => {
  const ids = Object.keys(resources(type)).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0]!;
};
/** Our functions, by the handler each runs (NotifyFunction's `bhxh:entry` metadata). */
const OUR_FUNCTIONS = [
  'lambdas/functions/campaign-page/handler.ts',
  'lambdas/functions/dossier-step/handler.ts',
  'lambdas/functions/email-receipts/handler.ts',
  'lambdas/functions/intake/handler.ts',
  'lambdas/functions/province-campaign/handler.ts',
  'lambdas/functions/receipt-deadlines/handler.ts',
  'lambdas/functions/receipts/handler.ts',
  'lambdas/functions/registration-step/handler.ts',
  'lambdas/functions/sender/handler.ts',
  'lambdas/functions/status-events/handler.ts',
];
const functionRunning = (entry: string) => {
  const ids = Object.entries(resources('AWS::Lambda::Function'))
    .filter(([, fn]) => fn.Metadata?.['bhxh:entry'] === entry)
    .map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0]!;
};
/** The logical id of the role a function runs with. */
const roleOf = (functionId: string): string => resources('AWS::Lambda::Function')[functionId].Properties.Role['Fn::GetAtt'][0];
/** Every statement of the policies attached to one role, and only that role's. */
const statementsOfRole = (roleId: string): any[] =>
  Object.values(resources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: { Ref?: string }) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
const actionsOf = (statement: { Action: string | string[] }): string[] => [statement.Action].flat();

describe('event intake', () => {
  it('has the bus bhxh-notify with one rule per detail-type and a catch-all, all to the intake queue with a DLQ', () => {
    // Prepare
    const intakeQueue = logicalIdStartingWith('AWS::SQS::Queue', 'EventIntakeIntakeQueue');
    const urgentIntakeQueue = logicalIdStartingWith('AWS::SQS::Queue', 'EventIntakeUrgentIntakeQueue');
    const quarantine = logicalIdStartingWith('AWS::SQS::Queue', 'EventIntakeQuarantine');

    // Act
    // The SES events rule lives on the default bus (SES publishes nowhere else): see the e-mail test below.
    const rules = Object.values(resources('AWS::Events::Rule')).filter((r) => r.Properties.EventBusName !== 'default');

    // Assess
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'bhxh-notify' });
    expect(rules).toHaveLength(ALL_DETAIL_TYPES.length + 1);
    const routed = rules.flatMap((r) => r.Properties.EventPattern['detail-type']).filter((d) => typeof d === 'string');
    expect(routed.sort()).toEqual([...ALL_DETAIL_TYPES].sort());
    for (const rule of rules) {
      // One-time codes have their own intake queue, so a burst of other events never delays them.
      const queue = rule.Properties.EventPattern['detail-type'][0] === 'OtpIssued' ? urgentIntakeQueue : intakeQueue;
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({ Arn: { 'Fn::GetAtt': [queue, 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [quarantine, 'Arn'] } } }),
      ]);
    }
    const catchAll = rules.find((r) => r.Properties.EventPattern['detail-type'][0]['anything-but']);
    expect(catchAll?.Properties.EventPattern['detail-type'][0]['anything-but'].sort()).toEqual([...ALL_DETAIL_TYPES].sort());
  });

  it('quarantines poison messages from the intake queue after 5 receives', () => {
    const quarantine = logicalIdStartingWith('AWS::SQS::Queue', 'EventIntakeQuarantine');
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [quarantine, 'Arn'] }, maxReceiveCount: 5 },
    });
  });
});

describe('data at rest', () => {
  it('keeps every table on demand, encrypted, with point-in-time recovery and deletion protection', () => {
    const tables = Object.values(resources('AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(10); // ledger, contacts, send control, dossiers, look-ups, due items, collections, campaigns, campaign rows, registrations
    for (const table of tables) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      });
      expect(table.DeletionPolicy).toBe('Retain');
    }
  });

  it('expires ledger items by TTL', () => {
    const ledger = logicalIdStartingWith('AWS::DynamoDB::Table', 'LedgerTable');
    expect(resources('AWS::DynamoDB::Table')[ledger].Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('encrypts every queue with the customer-managed queue key and refuses non-TLS access to it', () => {
    const queues = resources('AWS::SQS::Queue');
    const queueKey = logicalIdStartingWith('AWS::KMS::Key', 'QueueKey');
    expect(Object.keys(queues)).toHaveLength(10); // intake, urgent intake, quarantine, send, urgent send, send DLQ, failed receipt batches, failed status batches, SES events and their DLQ
    for (const [id, queue] of Object.entries(queues)) {
      expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [queueKey, 'Arn'] });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });

  it('encrypts the operator topic with a rotating customer key and refuses non-TLS publishing', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('campaigns', () => {
  it('start each run from a recurring schedule in Asia/Ho_Chi_Minh, and sweep every hour of the sending window', () => {
    const ticks = Object.values(resources('AWS::Scheduler::Schedule'))
      .map((r) => ({
        input: r.Properties.Target.Input ? JSON.parse(r.Properties.Target.Input) : undefined,
        cron: r.Properties.ScheduleExpression,
        zone: r.Properties.ScheduleExpressionTimezone,
      }))
      .filter((t) => t.input?.['detail-type'] === 'CampaignDue');
    expect(ticks.map((t) => [t.input.detail.kind ?? 'every kind', t.input.detail.sweep === true, t.cron, t.zone])).toEqual(
      expect.arrayContaining([
        ['quiet-hours-release', false, 'cron(0 7 * * ? *)', 'Asia/Ho_Chi_Minh'],
        ['collector-summary', false, 'cron(30 7 * * ? *)', 'Asia/Ho_Chi_Minh'],
        ['health-card-expiring', false, 'cron(0 8 * * ? *)', 'Asia/Ho_Chi_Minh'],
        ['voluntary-term-ending', false, 'cron(0 8 * * ? *)', 'Asia/Ho_Chi_Minh'],
        ['unit-monthly-statement', false, 'cron(0 8 1 * ? *)', 'Asia/Ho_Chi_Minh'],
        ['facility-claims-summary', false, 'cron(0 8 6 * ? *)', 'Asia/Ho_Chi_Minh'],
        ['every kind', true, 'cron(15 7-20 * * ? *)', 'Asia/Ho_Chi_Minh'],
      ]),
    );
    expect(ticks).toHaveLength(8);
  });

  it('page through a sparse index of pending due items with Query, never Scan', () => {
    const dueTable = logicalIdStartingWith('AWS::DynamoDB::Table', 'CampaignsDueItemsTable');
    expect(resources('AWS::DynamoDB::Table')[dueTable].Properties.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({
        IndexName: 'byPendingDue',
        KeySchema: [
          { AttributeName: 'pendingKey', KeyType: 'HASH' },
          { AttributeName: 'dueOrder', KeyType: 'RANGE' },
        ],
      }),
    ]);
    const statements = Object.values(resources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.some((s) => [s.Action].flat().includes('dynamodb:Scan'))).toBe(false);
  });

  it('are Standard state machines: the day with an inline Map over the shards, its parts as child executions (both run locally)', () => {
    const machine = (name: string) => Object.values(resources('AWS::StepFunctions::StateMachine')).find((m) => m.Properties.StateMachineName === name)?.Properties;
    const [day, part] = [machine('BhxhNotify-Campaign'), machine('BhxhNotify-CampaignShard')];
    expect([day?.StateMachineType, part?.StateMachineType]).toEqual(['STANDARD', 'STANDARD']);
    expect(JSON.stringify(day?.DefinitionString)).toContain('States.ArrayRange(0, 7, 1)');
    expect(JSON.stringify(day?.DefinitionString)).not.toContain('ItemReader');
    expect(JSON.stringify(day?.DefinitionString)).toContain(':states:::states:startExecution.sync:2');
    expect(JSON.stringify(part?.DefinitionString)).toContain('Queue a page of due messages');
  });
});

describe('delivery receipts', () => {
  it('subscribes the receipts function to the SNS delivery-status log groups, named from the region and account (adopted, not owned)', () => {
    // Prepare: the names SNS writes to, sns/<region>/<account>/DirectPublishToPhoneNumber[/Failure], for this stack's region and account
    const snsLogGroupNames = (of: typeof stack) => {
      const base = `sns/${of.region}/${of.account}/DirectPublishToPhoneNumber`;
      return [of.resolve(base), of.resolve(`${base}/Failure`)];
    };
    // The same stack for another region (bhxh:region): the names must follow it
    const { stack: elsewhere } = buildApp({ context: { ...NO_BUNDLING, 'bhxh:region': stack.region === 'eu-west-1' ? 'us-east-1' : 'eu-west-1' }, nag: false });
    const filtersOf = (of: Template) => Object.values(of.findResources('AWS::Logs::SubscriptionFilter')).map((f) => [f.Properties.LogGroupName, f.Properties.DestinationArn]);

    // Act
    const filters = filtersOf(template);
    const filtersElsewhere = filtersOf(Template.fromStack(elsewhere));

    // Assess: both groups subscribed to the receipts function, by name; none declared (a fixed name would block the next deploy)
    expect(elsewhere.region).not.toBe(stack.region);
    const receipts = functionRunning('lambdas/functions/receipts/handler.ts');
    expect(filters).toEqual(expect.arrayContaining(snsLogGroupNames(stack).map((name) => [name, { 'Fn::GetAtt': [receipts, 'Arn'] }])));
    expect(filters).toHaveLength(2);
    expect(filtersElsewhere.map(([name]) => name)).toEqual(expect.arrayContaining(snsLogGroupNames(elsewhere)));
    const declared = Object.values(resources('AWS::Logs::LogGroup')).filter((g) => JSON.stringify(g.Properties?.LogGroupName ?? '').includes('DirectPublishToPhoneNumber'));
    expect(declared).toEqual([]);
  });

  it('turns on SMS delivery-status logging with a role SNS can use and the configured success sampling', () => {
    const custom = resources('Custom::AWS')[logicalIdStartingWith('Custom::AWS', 'DeliveryReceiptsEnableDeliveryStatusLogging')];
    const create = JSON.stringify(custom?.Properties.Create);
    expect(create).toContain('setSMSAttributes');
    expect(create).toContain('DeliveryStatusSuccessSamplingRate');
    expect(create).toContain('\\"100\\"');
    // The role named in the call is one that SNS may assume and that may write to the delivery-status log groups only
    const role = logicalIdStartingWith('AWS::IAM::Role', 'DeliveryReceiptsSnsDeliveryStatusRole');
    expect(custom?.Properties.Create['Fn::Join'][1]).toContainEqual({ 'Fn::GetAtt': [role, 'Arn'] });
    expect(resources('AWS::IAM::Role')[role].Properties.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'sns.amazonaws.com' } })]);
    const written = statementsOfRole(role).flatMap((s) => [s.Resource].flat().map((r) => stack.resolve(r)));
    // The two groups (group-level actions) and their streams (`:*`), nothing else
    expect(written).toHaveLength(4);
    for (const resource of written) expect(JSON.stringify(resource)).toContain('DirectPublishToPhoneNumber');
  });

  it('indexes the ledger by provider id, paused kind, receipt deadline and number suffix, keys only', () => {
    const ledgerTable = logicalIdStartingWith('AWS::DynamoDB::Table', 'LedgerTable');
    const indexes = resources('AWS::DynamoDB::Table')[ledgerTable].Properties.GlobalSecondaryIndexes as Array<{ IndexName: string; Projection: unknown }>;
    expect(indexes.map((i) => i.IndexName)).toEqual(['byProviderMessageId', 'byPausedKind', 'byReceiptDueDay', 'byRecipientTail', 'byUnknownDay']);
    // Keys only: status changes do not write to the indexes, which keeps each message at one index write per index.
    for (const index of indexes) expect(index.Projection).toEqual({ ProjectionType: 'KEYS_ONLY' });
  });

  it('checks for receipts every six hours in Vietnam time, in its own function (test/lib/receipts-stack.test.ts)', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 0,6,12,18 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      Target: Match.objectLike({ Input: Match.stringLikeRegexp('ReceiptDeadlineCheck') }),
    });
  });
});

describe('operations dashboard and alarms', () => {
  it('has one dashboard with throughput against the quota, queue depths, failed executions, overdue dossiers and delivery rate', () => {
    const dashboard = resources('AWS::CloudWatch::Dashboard')[logicalIdStartingWith('AWS::CloudWatch::Dashboard', 'OperationsDashboard')];
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const part of [
      'Sender throughput against the quota',
      'SMS parts per day',
      'Messages by kind and outcome',
      'BhxhNotify,kind,outcome,service',
      'Queue depths',
      'Failed executions, overdue dossiers',
      'Delivery rate',
      'sms-parts-sent',
      'ExecutionsFailed',
      'dossier-overdue',
      'ApproximateNumberOfMessagesVisible',
      'e-registration executions failed',
      'e-mail events DLQ',
      'registration-started',
    ]) {
      expect(body).toContain(part);
    }
    // Each machine's failures are on it: the e-registration machine's ARN is in the widget, not only its label.
    expect(body).toContain(logicalIdStartingWith('AWS::StepFunctions::StateMachine', 'RegistrationsRegistrationLifecycle'));
  });

  it('alarms when the delivery rate drops and when SNS keeps refusing, and on spend only when a budget is given', () => {
    const alarms = Object.values(resources('AWS::CloudWatch::Alarm'));
    expect(alarms.some((a) => a.Properties.ComparisonOperator === 'LessThanThreshold' && a.Properties.Threshold === 0.9)).toBe(true);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'sender-retry', Threshold: 50 });
    expect(alarms.some((a) => a.Properties.MetricName === 'SMSMonthToDateSpentUSD')).toBe(false);

    const { stack: budgeted } = buildApp({ context: { ...NO_BUNDLING, 'bhxh:monthlySmsBudgetUsd': 50000 }, nag: false });
    Template.fromStack(budgeted).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'SMSMonthToDateSpentUSD', Threshold: 40000 });
  });
});

describe('reports bucket (form 01-XN)', () => {
  it('is encrypted, private, TLS-only, versioned and logs its access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'reports/' }),
    });
    for (const policy of Object.values(resources('AWS::S3::BucketPolicy'))) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      );
    }
  });
});

describe('reminders', () => {
  it('has a schedule group and a delivery role that may only send to the intake queue (and encrypt for it, through SQS)', () => {
    const intakeQueue = logicalIdStartingWith('AWS::SQS::Queue', 'EventIntakeIntakeQueue');
    const queueKey = logicalIdStartingWith('AWS::KMS::Key', 'QueueKey');
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'bhxh-notify-reminders' });
    const role = logicalIdStartingWith('AWS::IAM::Role', 'EventIntakeRemindersDeliveryRole');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: role }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [intakeQueue, 'Arn'] } }),
          Match.objectLike({
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: { 'Fn::GetAtt': [queueKey, 'Arn'] },
            Condition: { StringEquals: Match.objectLike({ 'kms:ViaService': Match.stringLikeRegexp('^sqs\\.') }) },
          }),
        ],
      },
    });
  });

  it('alarms on resolutions that never found their dossier', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'dossier-resolution-unmatched', Dimensions: [{ Name: 'service', Value: 'intake' }] });
  });
});

describe('secrets', () => {
  it('does not archive events that carry a password or a one-time code', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { 'detail-type': [{ 'anything-but': ['EAccountRegistrationReviewed', 'TemporaryPasswordIssued', 'OtpIssued'] }] },
    });
  });
});

describe('sender', () => {
  it('keeps poison messages in a DLQ after 10 receives', () => {
    const dlq = logicalIdStartingWith('AWS::SQS::Queue', 'SenderSendDeadLetterQueue');
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 10 } });
  });

  it('is configured with the sender ID, Transactional type and the parts-per-second quota from context', () => {
    const { stack: custom } = buildApp({ context: { ...NO_BUNDLING, 'bhxh:smsPartsPerSecond': 40, 'bhxh:senderId': 'BHXHTEST' }, nag: false });
    Template.fromStack(custom).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SMS_SENDER_ID: 'BHXHTEST', SMS_TYPE: 'Transactional', SMS_PARTS_PER_SECOND: '40' }) },
    });
  });

  it('gives the e-mails a rate of their own: 14 a second by default (the SES sandbox-exit rate), or bhxh:emailsPerSecond', () => {
    const emailRates = (variables: Array<Record<string, string>>) => variables.filter((v) => v.EMAILS_PER_SECOND).map((v) => v.EMAILS_PER_SECOND);
    const variablesOf = (t: Template) => Object.values(t.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment?.Variables ?? {});
    const { stack: custom } = buildApp({ context: { ...NO_BUNDLING, 'bhxh:emailsPerSecond': 50 }, nag: false });

    expect(emailRates(variablesOf(template))).toEqual(['14']);
    expect(emailRates(variablesOf(Template.fromStack(custom)))).toEqual(['50']);
    expect(() => buildApp({ context: { ...NO_BUNDLING, 'bhxh:emailsPerSecond': 0 }, nag: false })).toThrow('bhxh:emailsPerSecond must be a whole number');
  });

  it('may publish SMS to phone numbers only, never to a topic; no other role may publish', () => {
    const senderRole = roleOf(functionRunning('lambdas/functions/sender/handler.ts'));
    const publishingPolicies = Object.values(resources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.PolicyDocument.Statement.some((s: any) => actionsOf(s).includes('sns:Publish')),
    );

    expect(publishingPolicies.map((p) => p.Properties.Roles)).toEqual([[{ Ref: senderRole }]]);
    expect(statementsOfRole(senderRole).filter((s) => actionsOf(s).includes('sns:Publish'))).toEqual([
      expect.objectContaining({ Effect: 'Allow', NotResource: 'arn:aws:sns:*:*:*' }),
    ]);
  });

  it('reports partial batch failures and caps its concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 2 } });
    for (const mapping of Object.values(resources('AWS::Lambda::EventSourceMapping'))) {
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });

  it('gives the sender the daily ceilings and the other writers the text retention, and alarms when a ceiling is reached', () => {
    const env = Object.values(resources('AWS::Lambda::Function')).map((f) => f.Properties.Environment?.Variables ?? {});
    expect(env.filter((v) => v.DAILY_CEILINGS).map((v) => JSON.parse(v.DAILY_CEILINGS))).toEqual([{ default: 500_000 }]);
    expect(env.filter((v) => v.LEDGER_RETENTION_DAYS).every((v) => v.MESSAGE_TEXT_RETENTION_DAYS === '30' && v.LEDGER_RETENTION_DAYS === '400')).toBe(true);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'daily-ceiling-reached', Namespace: 'BhxhNotify', Threshold: 1 });
    template.hasOutput('DailyCeilings', { Value: '{"default":500000}' });
  });

  it('refuses bad ceilings and a text retention longer than the ledger', () => {
    expect(() => buildApp({ context: { ...NO_BUNDLING, 'bhxh:dailyCeilings': '{"otp": 0}' }, nag: false })).toThrow('bhxh:dailyCeilings.otp must be a whole number ≥ 1');
    expect(() => buildApp({ context: { ...NO_BUNDLING, 'bhxh:dailyCeilings': 'lots' }, nag: false })).toThrow('bhxh:dailyCeilings must be a JSON object');
    expect(() => buildApp({ context: { ...NO_BUNDLING, 'bhxh:messageTextRetentionDays': 500 }, nag: false })).toThrow('must not be longer than bhxh:ledgerRetentionDays');
  });

  it('refuses a bad quota or sender ID at synth time', () => {
    expect(() => buildApp({ context: { ...NO_BUNDLING, 'bhxh:smsPartsPerSecond': 0 }, nag: false })).toThrow('bhxh:smsPartsPerSecond must be a whole number');
    expect(() => buildApp({ context: { ...NO_BUNDLING, 'bhxh:senderId': 'BHXH VIETNAM' }, nag: false })).toThrow('bhxh:senderId');
  });
});

describe('functions and permissions', () => {
  it('runs every function on Node 22, ARM, traced, with its own log group and a retention', () => {
    const all = Object.entries(resources('AWS::Lambda::Function'));
    // Ours carry their source entry; the only other is CDK's AwsCustomResource provider.
    const functions = all.filter(([, fn]) => fn.Metadata?.['bhxh:entry']).map(([, fn]) => fn);
    expect(all.filter(([, fn]) => !fn.Metadata?.['bhxh:entry']).map(([id]) => id)).toEqual([expect.stringMatching(/^AWS679f53fac002430cb0da5b7982bd2287/)]);
    expect(functions.map((fn) => fn.Metadata['bhxh:entry']).sort()).toEqual(OUR_FUNCTIONS);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: expect.stringMatching(/Logs/) });
    }
    for (const group of Object.values(resources('AWS::Logs::LogGroup'))) expect(group.Properties.RetentionInDays).toBe(90);
  });

  it('uses no managed policies and no wildcard except for actions that have no resource ARNs (X-Ray, log delivery)', () => {
    const withoutResources = /^(xray:|logs:(Create|Get|Update|Delete|List)LogDeliver|logs:(PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$|sns:SetSMSAttributes$)/;
    // Only CDK's AwsCustomResource provider (it turns on SMS delivery-status logging) has a managed policy: its basic execution role.
    for (const [id, role] of Object.entries(resources('AWS::IAM::Role'))) {
      if (id.startsWith('AWS679f53fac002430cb0da5b7982bd2287')) expect(role.Properties.ManagedPolicyArns).toHaveLength(1);
      else expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    const statements = Object.values(resources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    for (const s of statements) {
      expect([s.Action].flat()).not.toContain('*');
      if (s.Resource === '*') expect([s.Action].flat().filter((a: string) => !withoutResources.test(a))).toEqual([]);
    }
  });

  it('gives functions item-level access to our own tables only', () => {
    const statements = Object.values(resources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const dynamo = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    const allowed = new Set(Object.keys(resources('AWS::DynamoDB::Table')));
    const tableOf = (r: any): string | undefined => r['Fn::GetAtt']?.[0] ?? r['Fn::Join']?.[1]?.[0]?.['Fn::GetAtt']?.[0];
    const onStream = (r: any) => r['Fn::GetAtt']?.[1] === 'StreamArn';
    for (const s of dynamo.filter((d) => [d.Resource].flat().some(onStream))) {
      // A table's stream: read by its mapping's function (Lambda's poller), and only that
      expect([s.Resource].flat().every(onStream)).toBe(true);
      expect([s.Action].flat().sort()).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);
    }
    for (const s of dynamo.filter((d) => ![d.Resource].flat().some(onStream))) {
      // Every resource is one of our tables (or an index of one), never "*"
      for (const r of [s.Resource].flat()) expect(allowed.has(tableOf(r)!)).toBe(true);
      // Item-level actions only (their batch forms included): no Scan, no table management
      expect(
        [s.Action]
          .flat()
          .filter(
            (a: string) =>
              ![
                'dynamodb:GetItem',
                'dynamodb:PutItem',
                'dynamodb:UpdateItem',
                'dynamodb:DeleteItem',
                'dynamodb:Query',
                'dynamodb:ConditionCheckItem',
                'dynamodb:BatchGetItem',
                'dynamodb:BatchWriteItem',
              ].includes(a),
          ),
      ).toEqual([]);
    }
  });
});

describe('dossier lifecycle', () => {
  const dossierMachine = () => logicalIdStartingWith('AWS::StepFunctions::StateMachine', 'DossiersDossierLifecycle');

  it('is a Standard state machine, traced, logging every event but no execution data (names, numbers)', () => {
    const machine = resources('AWS::StepFunctions::StateMachine')[dossierMachine()];
    expect(machine?.Properties).toMatchObject({
      StateMachineName: 'BhxhNotify-DossierLifecycle',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it('names its states in words an operator understands', () => {
    const definition = JSON.stringify(resources('AWS::StepFunctions::StateMachine')[dossierMachine()]?.Properties.DefinitionString);
    for (const state of [
      'Record receipt and tell the citizen',
      'Was the dossier accepted?',
      'Wait for the result',
      'Check whether the dossier is overdue',
      'Tell the citizen the dossier is resolved',
      'Dossier rejected',
      'Dossier resolved',
    ]) {
      expect(definition).toContain(`\\"${state}\\"`);
    }
  });

  it('alarms on overdue dossiers and failed executions', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'dossier-overdue', Namespace: 'BhxhNotify', Dimensions: [{ Name: 'service', Value: 'dossier' }] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsFailed', Namespace: 'AWS/States' });
  });

  it('lets the intake start executions and answer their task tokens', () => {
    // Prepare: the intake function's own role, and this state machine
    const intakeRole = roleOf(functionRunning('lambdas/functions/intake/handler.ts'));
    const machine = { Ref: dossierMachine() };

    // Act: what the intake's role may do to this state machine
    const onMachine = statementsOfRole(intakeRole).filter((s) => s.Effect === 'Allow' && [s.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(machine)));

    // Assess: SendTaskSuccess is the one task answer it gives (no SendTaskFailure or SendTaskHeartbeat)
    expect(onMachine.flatMap(actionsOf).sort()).toEqual(['states:SendTaskSuccess', 'states:StartExecution']);
  });
});

describe('alarms', () => {
  it('alarms on the quarantine and the send DLQ as soon as they hold a message, to the operator topic', () => {
    const topic = logicalIdStartingWith('AWS::SNS::Topic', 'OperatorAlerts');
    for (const prefix of ['EventIntakeQuarantine', 'SenderSendDeadLetterQueue']) {
      const queue = logicalIdStartingWith('AWS::SQS::Queue', prefix);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: topic }],
      });
    }
  });
});

describe('cdk-nag', () => {
  it('passes the AwsSolutions pack with no unacknowledged finding', () => {
    // Act: a fresh app with the checks, as `cdk synth` runs it; a finding makes synth throw
    const { app } = buildApp({ context: NO_BUNDLING });

    // Assess
    expect(() => app.synth()).not.toThrow();
  });

  it('fails the synth when a finding is not acknowledged (the check is live)', async () => {
    const { app, stack: nagged } = buildApp({ context: NO_BUNDLING });
    const { Queue } = await import('aws-cdk-lib/aws-sqs');
    new Queue(nagged, 'UnencryptedQueueWithoutDlq');

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});
