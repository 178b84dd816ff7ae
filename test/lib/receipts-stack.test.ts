/**
 * Delivery receipts as CloudFormation: a failed batch has somewhere to go
 * (an encrypted, alarmed on-failure queue the function's role may send to),
 * the 72-hour check runs in its own function on its own schedule with a
 * timeout sized for its 50,000 keys, and only where SNS logs every success.
 */
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app.ts';
import { RECEIPT_DEADLINES_MEASURED_MS_PER_KEY } from '../../lib/receipt-deadlines.ts';
import { RECEIPT_CHECK_KEYS_PER_RUN } from '../../lambdas/domain/ledger.ts';

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const templateWith = (context: Record<string, unknown> = {}) => Template.fromStack(buildApp({ context: { ...NO_BUNDLING, ...context }, nag: false }).stack);
const template = templateWith();
const resources = (t: Template, type: string) => t.findResources(type);
const functionRunning = (t: Template, entry: string) => Object.entries(resources(t, 'AWS::Lambda::Function')).find(([, fn]) => fn.Metadata?.['bhxh:entry'] === entry)?.[0];
const roleOf = (t: Template, functionId: string): string => resources(t, 'AWS::Lambda::Function')[functionId].Properties.Role['Fn::GetAtt'][0];
const statementsOfRole = (t: Template, roleId: string): any[] =>
  Object.values(resources(t, 'AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: { Ref?: string }) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
const grants = (t: Template, roleId: string, action: string) => statementsOfRole(t, roleId).filter((s) => [s.Action].flat().includes(action));
const queueId = (t: Template) => Object.keys(resources(t, 'AWS::SQS::Queue')).find((id) => id.startsWith('DeliveryReceiptsUnappliedReceipts'));

describe('receipts: a failed batch is kept, not dropped', () => {
  it('sends a batch that failed three attempts to an encrypted queue, which the function role may send to', () => {
    // Prepare
    const receipts = functionRunning(template, 'lambdas/functions/receipts/handler.ts') as string;
    const queue = queueId(template) as string;

    // Act
    const configs = Object.values(resources(template, 'AWS::Lambda::EventInvokeConfig')).filter((c) => c.Properties.FunctionName.Ref === receipts);

    // Assess: AWS's two retries, then the queue; KMS-encrypted, TLS only, kept no longer than SQS can (14 days)
    expect(configs).toHaveLength(1);
    expect(configs[0]?.Properties).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } } });
    const properties = resources(template, 'AWS::SQS::Queue')[queue].Properties;
    expect(properties.KmsMasterKeyId).toBeDefined();
    expect(properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(grants(template, roleOf(template, receipts), 'sqs:SendMessage').map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [queue, 'Arn'] }]);
  });

  it('alarms when a batch waits on the queue, and when Lambda could not put one there', () => {
    // Prepare
    const queue = queueId(template) as string;
    const alarms = Object.values(resources(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);

    // Assess
    expect(alarms.some((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions).includes(queue))).toBe(true);
    expect(alarms.some((a) => a.MetricName === 'DestinationDeliveryFailures')).toBe(true);
  });

  it('keeps the batches, whose lines hold phone numbers, no longer than the message texts', () => {
    // Act
    const short = templateWith({ 'bhxh:messageTextRetentionDays': 7, 'bhxh:ledgerRetentionDays': 400 });

    // Assess
    expect(resources(short, 'AWS::SQS::Queue')[queueId(short) as string].Properties.MessageRetentionPeriod).toBe(7 * 24 * 3600);
  });
});

describe('the 72-hour check: its own function, its own schedule', () => {
  it('is invoked by Scheduler every six hours, not through the intake, with a role that may invoke that function only', () => {
    // Prepare
    const deadlines = functionRunning(template, 'lambdas/functions/receipt-deadlines/handler.ts') as string;
    const schedules = Object.values(resources(template, 'AWS::Scheduler::Schedule')).filter((s) => s.Properties.ScheduleExpression === 'cron(15 0,6,12,18 * * ? *)');

    // Assess
    expect(schedules).toHaveLength(1);
    const target = schedules[0]?.Properties.Target;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [deadlines, 'Arn'] });
    const schedulerRole = target.RoleArn['Fn::GetAtt'][0];
    expect(statementsOfRole(template, schedulerRole)).toEqual([expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [deadlines, 'Arn'] } })]);
  });

  it('has a timeout that fits 50,000 keys at the measured cost per key, with a margin', () => {
    // Prepare
    const deadlines = functionRunning(template, 'lambdas/functions/receipt-deadlines/handler.ts') as string;

    // Act
    const timeout = resources(template, 'AWS::Lambda::Function')[deadlines].Properties.Timeout as number;

    // Assess: more than the measured cost of a full run, twice over; within Lambda's 15 minutes; not the intake's 30 seconds
    expect(timeout * 1000).toBeGreaterThanOrEqual(2 * RECEIPT_DEADLINES_MEASURED_MS_PER_KEY * RECEIPT_CHECK_KEYS_PER_RUN);
    expect(timeout).toBeLessThanOrEqual(900);
  });

  it('takes the receipt-deadline index away from the intake', () => {
    // Prepare
    const intake = functionRunning(template, 'lambdas/functions/intake/handler.ts') as string;
    const deadlines = functionRunning(template, 'lambdas/functions/receipt-deadlines/handler.ts') as string;
    const onIndex = (t: Template, fn: string) => grants(t, roleOf(t, fn), 'dynamodb:Query').filter((s) => JSON.stringify(s.Resource).includes('/index/byReceiptDueDay'));

    // Assess
    expect(onIndex(template, intake)).toEqual([]);
    expect(onIndex(template, deadlines)).toHaveLength(1);
  });

  it('is off when SNS samples successful deliveries: an unlogged success would look like a silent carrier', () => {
    // Act
    const sampled = templateWith({ 'bhxh:deliveryStatusSuccessSamplingRate': 50 });

    // Assess: no function, no schedule; the receipts themselves still apply
    expect(functionRunning(sampled, 'lambdas/functions/receipt-deadlines/handler.ts')).toBeUndefined();
    expect(JSON.stringify(resources(sampled, 'AWS::Scheduler::Schedule'))).not.toContain('ReceiptDeadlineCheck');
    expect(functionRunning(sampled, 'lambdas/functions/receipts/handler.ts')).toBeDefined();
  });
});
