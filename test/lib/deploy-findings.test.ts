/**
 * Deploy review: what the first `cdk deploy` in a real account needs from the
 * template (F1-F3, F8-F12, F15). Synthesized for a known account so ARNs read
 * as text; `<AWS::Partition>` stands for the partition, as cdk-nag writes it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, type BuildAppOptions } from '../../lib/app.ts';

const ACCOUNT = '111122223333';
const REGION = 'ap-southeast-1';
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** The app as `cdk deploy` builds it in a real account (whose CLI profile may name another region). */
function synth(options: BuildAppOptions = {}, env: Record<string, string> = {}) {
  vi.stubEnv('CDK_DEFAULT_ACCOUNT', ACCOUNT);
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  try {
    return buildApp({ nag: false, ...options, context: { ...NO_BUNDLING, ...options.context } });
  } finally {
    vi.unstubAllEnvs();
  }
}

const { stack } = synth();
const template = Template.fromStack(stack);
const resources = (type: string): Record<string, any> => template.findResources(type);
const only = (type: string, prefix: string): [string, any] => {
  const found = Object.entries(resources(type)).filter(([id]) => id.startsWith(prefix));
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0]!;
};

/** A CloudFormation value as text: Fn::Join flattened, Ref and GetAtt as <Name> and <Id.Attr> (cdk-nag's notation). */
function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v?.['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flat).join(v['Fn::Join'][0]);
  if (v?.Ref) return `<${v.Ref}>`;
  if (v?.['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
  return JSON.stringify(value);
}
const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const statementsOfRole = (roleId: string): any[] =>
  Object.values(resources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: { Ref?: string }) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
/** Custom::AWS calls, parsed: { id, create, update, delete, dependsOn }. */
const sdkCalls = () =>
  Object.entries(resources('Custom::AWS')).map(([id, r]) => ({
    id,
    create: r.Properties.Create ? JSON.parse(flat(r.Properties.Create)) : undefined,
    update: r.Properties.Update ? JSON.parse(flat(r.Properties.Update)) : undefined,
    delete: r.Properties.Delete ? JSON.parse(flat(r.Properties.Delete)) : undefined,
    dependsOn: list<string>(r.DependsOn),
  }));

const SNS_GROUPS = [`sns/${REGION}/${ACCOUNT}/DirectPublishToPhoneNumber`, `sns/${REGION}/${ACCOUNT}/DirectPublishToPhoneNumber/Failure`];
const groupArn = (name: string) => `arn:<AWS::Partition>:logs:${REGION}:${ACCOUNT}:log-group:${name}`;

afterEach(() => vi.unstubAllEnvs());

describe('F1: the SNS delivery-status log groups are adopted, not owned', () => {
  it('declares no log group named by SNS (a group left by SMS logging, a rollback or a destroy must not fail the deploy)', () => {
    const named = Object.values(resources('AWS::Logs::LogGroup')).filter((g) => flat(g.Properties.LogGroupName ?? '').includes('DirectPublishToPhoneNumber'));
    expect(named).toEqual([]);
  });

  it('creates each group if missing (an existing one is fine) and sets its retention, on create and update, and deletes nothing', () => {
    const calls = sdkCalls();
    for (const name of SNS_GROUPS) {
      const create = calls.filter((c) => c.create?.action === 'createLogGroup' && c.create.parameters.logGroupName === name);
      expect(create).toHaveLength(1);
      expect(create[0]!.create).toMatchObject({ service: 'CloudWatchLogs', ignoreErrorCodesMatching: 'ResourceAlreadyExistsException' });
      expect(create[0]!.update).toMatchObject({ action: 'createLogGroup', ignoreErrorCodesMatching: 'ResourceAlreadyExistsException' });
      expect(create[0]!.delete).toBeUndefined();

      const retention = calls.filter((c) => c.create?.action === 'putRetentionPolicy' && c.create.parameters.logGroupName === name);
      expect(retention).toHaveLength(1);
      // The lines carry phone numbers: kept as long as the ledger keeps numbers (30 days), not the 90 days of the other logs.
      expect(retention[0]!.create.parameters.retentionInDays).toBe(30);
      expect(retention[0]!.update).toEqual(retention[0]!.create);
      expect(retention[0]!.delete).toBeUndefined();
      // The retention is set on a group that exists.
      expect(retention[0]!.dependsOn).toContain(create[0]!.id);
    }
  });

  it('lets the custom resources create and set retention on those two groups only (no wildcard)', () => {
    const adopters = sdkCalls().filter((c) => ['createLogGroup', 'putRetentionPolicy'].includes(c.create?.action));
    expect(adopters).toHaveLength(4);
    const logsStatements = Object.values(resources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s) => list<string>(s.Action).some((a) => a === 'logs:CreateLogGroup' || a === 'logs:PutRetentionPolicy'));
    for (const s of logsStatements) {
      for (const r of list(s.Resource)) expect(SNS_GROUPS.map(groupArn)).toContain(flat(r));
    }
  });

  it('subscribes the receipts function to both groups by name, once each group exists', () => {
    const filters = Object.values(resources('AWS::Logs::SubscriptionFilter'));
    expect(filters.map((f) => flat(f.Properties.LogGroupName)).sort()).toEqual([...SNS_GROUPS].sort());
    const creators = sdkCalls().filter((c) => c.create?.action === 'createLogGroup');
    for (const filter of filters) {
      const creator = creators.find((c) => c.create.parameters.logGroupName === flat(filter.Properties.LogGroupName))!;
      expect(list(filter.DependsOn)).toContain(creator.id);
    }
  });
});

describe('F2: schedules wait for their schedule group', () => {
  it('every schedule references the group or depends on it', () => {
    const [groupId] = only('AWS::Scheduler::ScheduleGroup', 'EventIntakeReminders');
    const schedules = Object.entries(resources('AWS::Scheduler::Schedule'));
    // Seven campaign runs, the campaign sweep, the 72-hour receipt check.
    expect(schedules).toHaveLength(9);
    for (const [id, schedule] of schedules) {
      const name = schedule.Properties.GroupName;
      const references = name?.Ref === groupId || name?.['Fn::GetAtt']?.[0] === groupId;
      expect(references || list(schedule.DependsOn).includes(groupId), id).toBe(true);
    }
  });
});

describe('F3: CloudWatch alarms may publish to the operator topic', () => {
  it('the topic policy allows cloudwatch.amazonaws.com to publish, for alarms of this account, and still denies non-TLS', () => {
    const [topicId] = only('AWS::SNS::Topic', 'OperatorAlertsTopic');
    const [, policy] = only('AWS::SNS::TopicPolicy', 'OperatorAlertsTopicPolicy');
    const statements: any[] = policy.Properties.PolicyDocument.Statement;
    const allow = statements.filter((s) => s.Effect === 'Allow' && s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(allow).toHaveLength(1);
    expect(list(allow[0].Action)).toEqual(['sns:Publish']);
    expect(allow[0].Resource).toEqual({ Ref: topicId });
    expect(allow[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT });
    expect(flat(allow[0].Condition.ArnLike['aws:SourceArn'])).toBe(`arn:<AWS::Partition>:cloudwatch:${REGION}:${ACCOUNT}:alarm:*`);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it('the topic key lets CloudWatch encrypt what it publishes', () => {
    const [topicId, topic] = only('AWS::SNS::Topic', 'OperatorAlertsTopic');
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    const keyPolicy: any[] = resources('AWS::KMS::Key')[keyId].Properties.KeyPolicy.Statement;
    expect(topicId).toBeDefined();
    expect(keyPolicy).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']) }),
    );
  });
});

describe('F8: the intake may describe the executions it starts by name', () => {
  it('grants states:DescribeExecution on the executions of the dossier, campaign, province campaign and e-registration machines, and nothing else', () => {
    const [intakeId] = Object.entries(resources('AWS::Lambda::Function')).find(([, f]) => f.Metadata?.['bhxh:entry'] === 'lambdas/functions/intake/handler.ts')!;
    const role = resources('AWS::Lambda::Function')[intakeId].Properties.Role['Fn::GetAtt'][0];
    const describe = statementsOfRole(role).filter((s) => list<string>(s.Action).includes('states:DescribeExecution'));
    expect(new Set(describe.flatMap((s) => list<string>(s.Action)))).toEqual(new Set(['states:DescribeExecution']));
    expect(
      describe
        .flatMap((s) => list(s.Resource))
        .map(flat)
        .sort(),
    ).toEqual(
      ['BhxhNotify-Campaign', 'BhxhNotify-DossierLifecycle', 'BhxhNotify-ProvinceCampaign', 'BhxhNotify-RegistrationLifecycle'].map(
        (m) => `arn:<AWS::Partition>:states:${REGION}:${ACCOUNT}:execution:${m}:*`,
      ),
    );
    // And nobody else may, but the campaign day's role, on the executions of its own parts (it waits for them, .sync).
    const elsewhere = Object.values(resources('AWS::IAM::Policy'))
      .filter((p) => !p.Properties.Roles.some((r: { Ref?: string }) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s) => list<string>(s.Action).some((a) => a === 'states:DescribeExecution' || a === 'states:*'));
    expect(elsewhere.map((s) => JSON.stringify(s.Resource))).toEqual([expect.stringMatching(/:execution:.*CampaignsShardPart.*\*/)]);
  });
});

describe('F9: the role SNS writes delivery receipts with', () => {
  const [roleId, role] = only('AWS::IAM::Role', 'DeliveryReceiptsSnsDeliveryStatusRole');

  it('may create the two groups by their bare ARN, and write streams under them', () => {
    const statements = statementsOfRole(roleId);
    const on = (action: string) =>
      statements
        .filter((s) => list<string>(s.Action).includes(action))
        .flatMap((s) => list(s.Resource))
        .map(flat)
        .sort();
    expect(on('logs:CreateLogGroup')).toEqual(SNS_GROUPS.map(groupArn).sort());
    expect(on('logs:CreateLogStream')).toEqual(SNS_GROUPS.map((n) => `${groupArn(n)}:*`).sort());
    expect(on('logs:PutLogEvents')).toEqual(SNS_GROUPS.map((n) => `${groupArn(n)}:*`).sort());
  });

  it('may be assumed by SNS for this account only', () => {
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'sns.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } }),
    ]);
  });
});

describe('F10: the region is the bhxh:region context, not the CLI profile', () => {
  it('is ap-southeast-1 by default, even when the CLI says us-east-1', () => {
    expect(synth({}, { CDK_DEFAULT_REGION: 'us-east-1' }).stack.region).toBe('ap-southeast-1');
  });

  it('is the bhxh:region context when given, and the account is the CLI one', () => {
    const { stack: elsewhere } = synth({ context: { 'bhxh:region': 'eu-west-1' } }, { CDK_DEFAULT_REGION: 'us-east-1' });
    expect(elsewhere.region).toBe('eu-west-1');
    expect(elsewhere.account).toBe(ACCOUNT);
    // The SNS group names follow the region.
    const names = Object.values(Template.fromStack(elsewhere).findResources('AWS::Logs::SubscriptionFilter')).map((f) => flat(f.Properties.LogGroupName));
    expect(names.sort()).toEqual([`sns/eu-west-1/${ACCOUNT}/DirectPublishToPhoneNumber`, `sns/eu-west-1/${ACCOUNT}/DirectPublishToPhoneNumber/Failure`]);
  });

  it('refuses something that is not a region name', () => {
    expect(() => synth({ context: { 'bhxh:region': 'Singapore' } })).toThrow('bhxh:region');
  });
});

describe('F11: destroying the stack clears the account-wide SMS delivery-status setting', () => {
  it('calls SetSMSAttributes with an empty role and sampling rate on delete', () => {
    const enable = sdkCalls().find((c) => c.id.startsWith('DeliveryReceiptsEnableDeliveryStatusLogging'))!;
    expect(enable.delete).toMatchObject({
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes: { DeliveryStatusIAMRole: '', DeliveryStatusSuccessSamplingRate: '' } },
    });
    // The same physical id throughout, so an update never replaces it (a replacement would clear what it just set).
    expect(enable.delete.physicalResourceId).toEqual(enable.create.physicalResourceId);
  });
});

describe('F12: the queue policies do not grow with the rules', () => {
  const QUEUES = ['EventIntakeIntakeQueue', 'EventIntakeUrgentIntakeQueue', 'EventIntakeQuarantine'];
  const busRules = `arn:<AWS::Partition>:events:${REGION}:${ACCOUNT}:rule/bhxh-notify/*`;

  const check = (t: Template) => {
    const queues = t.findResources('AWS::SQS::Queue');
    const policies = Object.values(t.findResources('AWS::SQS::QueuePolicy'));
    for (const prefix of QUEUES) {
      const queueId = Object.keys(queues).find((id) => id.startsWith(prefix) && !id.includes('Policy'))!;
      const policy = policies.filter((p) => p.Properties.Queues.some((q: { Ref?: string }) => q.Ref === queueId));
      expect(policy).toHaveLength(1);
      const document = policy[0]!.Properties.PolicyDocument;
      const statements: any[] = document.Statement;
      expect(statements.length, prefix).toBeLessThanOrEqual(3);
      expect(JSON.stringify(document).length, prefix).toBeLessThan(8192);
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
      const fromRules = statements.filter((s) => s.Principal?.Service === 'events.amazonaws.com');
      expect(fromRules).toHaveLength(1);
      expect(fromRules[0]).toMatchObject({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } });
      expect(Object.keys(fromRules[0].Condition)).toEqual(['ArnLike']);
      expect(flat(fromRules[0].Condition.ArnLike['aws:SourceArn'])).toBe(busRules);
    }
  };

  it('one statement lets every rule of the bus send to the intake, urgent intake and quarantine queues', () => {
    check(template);
  });

  it('stays the same with 40 more routes', () => {
    const { stack: more } = synth();
    const rulesBefore = Object.keys(resources('AWS::Events::Rule')).length;
    for (let i = 0; i < 40; i++) {
      more.intake.route(`ExtraRoute${i}`, { description: `extra ${i}`, eventPattern: { detailType: [`Extra${i}`] }, urgent: i % 2 === 0 });
    }
    const t = Template.fromStack(more);
    expect(Object.keys(t.findResources('AWS::Events::Rule'))).toHaveLength(rulesBefore + 40);
    check(t);
  });
});

describe('F15: the reports access-log bucket and the custom-resource logs', () => {
  it('no bucket uses a legacy ACL; S3 logging is allowed by the access-log bucket policy, for the reports and campaign files buckets only', () => {
    for (const bucket of Object.values(resources('AWS::S3::Bucket'))) expect(bucket.Properties.AccessControl).toBeUndefined();
    const [logsId, logs] = only('AWS::S3::Bucket', 'CampaignsReportsAccessLogs');
    const [reportsId] = only('AWS::S3::Bucket', 'CampaignsReportsBucket');
    const [filesId] = only('AWS::S3::Bucket', 'ProvinceCampaignsCampaignFilesBucket');
    expect(logs.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    const policy = Object.values(resources('AWS::S3::BucketPolicy')).find((p) => p.Properties.Bucket.Ref === logsId)!;
    const logging = policy.Properties.PolicyDocument.Statement.filter((s: any) => s.Principal?.Service === 'logging.s3.amazonaws.com');
    expect(logging).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:PutObject',
        Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [reportsId, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      }),
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:PutObject',
        Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [filesId, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      }),
    ]);
  });

  it('the custom-resource provider logs to a group with the configured retention', () => {
    const providers = Object.entries(resources('AWS::Lambda::Function')).filter(([id]) => id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'));
    expect(providers).toHaveLength(1);
    const group = providers[0]![1].Properties.LoggingConfig?.LogGroup?.Ref;
    expect(group).toBeDefined();
    expect(resources('AWS::Logs::LogGroup')[group].Properties.RetentionInDays).toBe(90);
  });
});

describe('extra (same class as F1): nothing is retained under a fixed name', () => {
  it('no resource kept on deletion or rollback has a fixed physical name (the next deploy would fail on it)', () => {
    const NAME_PROPERTIES = [
      'Name',
      'LogGroupName',
      'TableName',
      'BucketName',
      'QueueName',
      'TopicName',
      'StateMachineName',
      'RoleName',
      'FunctionName',
      'AliasName',
      'EventBusName',
    ];
    const retainedWithName = Object.entries(template.toJSON().Resources as Record<string, any>)
      .filter(([, r]) => r.DeletionPolicy === 'Retain' || r.UpdateReplacePolicy === 'Retain')
      .filter(([, r]) => NAME_PROPERTIES.some((p) => r.Properties?.[p] !== undefined))
      .map(([id, r]) => `${id} (${r.Type})`);
    expect(retainedWithName).toEqual([]);
  });
});
