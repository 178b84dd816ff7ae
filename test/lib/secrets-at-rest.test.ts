/**
 * "No secret at rest, anywhere", in the template: the queues hold their bodies
 * under a customer-managed key whose policy allows no direct use, the secret
 * key lets exactly the intake encrypt and the sender decrypt, the archive
 * keeps no event with a field spelt like a secret's, and the intake gives up
 * on an event with a secret before its queue's redrive policy would move it.
 */
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app.ts';
import { KEY_ADMIN_ACTIONS } from '../../lib/kms.ts';
import { SECRET_FIELD_SPELLINGS } from '../../lambdas/domain/redact.ts';
import { SECRET_EVENT_ATTEMPTS } from '../../lambdas/functions/intake/handler.ts';

const { stack } = buildApp({ context: { 'aws:cdk:bundling-stacks': [] }, nag: false });
const template = Template.fromStack(stack);
const resources = (type: string): Record<string, any> => template.findResources(type);
const only = (type: string, prefix: string): string => {
  const ids = Object.keys(resources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}*`).toHaveLength(1);
  return ids[0]!;
};
const list = <T>(value: T | T[]): T[] => [value].flat() as T[];
const functionRunning = (entry: string): string => {
  const [id] = Object.entries(resources('AWS::Lambda::Function')).find(([, f]) => f.Metadata?.['bhxh:entry'] === entry)!;
  return id;
};
const roleOf = (functionId: string): string => resources('AWS::Lambda::Function')[functionId].Properties.Role['Fn::GetAtt'][0];
/** Every identity statement that names `keyId`, by the roles its policy is attached to. */
const grantsOn = (keyId: string): Array<{ role: string; actions: string[]; condition: unknown }> =>
  Object.values(resources('AWS::IAM::Policy')).flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as any[])
      .filter((s) => JSON.stringify(s.Resource ?? s.NotResource ?? '').includes(`"${keyId}"`))
      .flatMap((s) => (p.Properties.Roles as Array<{ Ref: string }>).map((r) => ({ role: r.Ref, actions: list<string>(s.Action).sort(), condition: s.Condition }))),
  );
const USE_ACTIONS = /^kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|CreateGrant|\*)/;

const queueKey = only('AWS::KMS::Key', 'QueueKey');
const secretKey = only('AWS::KMS::Key', 'SecretKey');
const intakeRole = roleOf(functionRunning('lambdas/functions/intake/handler.ts'));
const senderRole = roleOf(functionRunning('lambdas/functions/sender/handler.ts'));
const viaSqs = { StringEquals: { 'kms:ViaService': 'sqs.ap-southeast-1.amazonaws.com', 'kms:CallerAccount': { Ref: 'AWS::AccountId' } } };

describe('the queue key', () => {
  it('encrypts every queue that holds message bodies, and rotates', () => {
    const queues = resources('AWS::SQS::Queue');
    expect(
      Object.keys(queues)
        .map((id) => id.replace(/[0-9A-F]{8}$/, ''))
        .sort(),
    ).toEqual(
      [
        'DeliveryReceiptsUnappliedReceipts',
        'EventIntakeIntakeQueue',
        'EventIntakeQuarantine',
        'EventIntakeUrgentIntakeQueue',
        'SenderSendDeadLetterQueue',
        'SenderSendQueue',
        'SenderUrgentSendQueue',
        'StatusEventsFailedStatusBatches',
        'EmailEmailEventsQueue',
        'EmailEmailEventsDeadLetterQueue',
      ].sort(),
    );
    for (const queue of Object.values(queues)) {
      expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [queueKey, 'Arn'] });
      expect(queue.Properties.SqsManagedSseEnabled).toBeUndefined();
    }
    expect(resources('AWS::KMS::Key')[queueKey].Properties.EnableKeyRotation).toBe(true);
  });

  it('has a policy that allows no direct use: the account manages it, EventBridge rules of the bus and IAM principals use it through SQS only', () => {
    const statements: any[] = resources('AWS::KMS::Key')[queueKey].Properties.KeyPolicy.Statement;
    const uses = statements.filter((s) => list<string>(s.Action).some((a) => USE_ACTIONS.test(a)));
    const admin = statements.filter((s) => !uses.includes(s));
    expect(admin).toEqual([expect.objectContaining({ Sid: 'KeyAdministrationOnly', Action: KEY_ADMIN_ACTIONS })]);
    expect(uses).toEqual([
      expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Condition: {
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:ap-southeast-1:', { Ref: 'AWS::AccountId' }, ':rule/bhxh-notify/*']] } },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
      }),
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Condition: viaSqs }),
    ]);
  });

  it('is granted to each role with exactly what it does through SQS: producers encrypt, consumers decrypt', () => {
    const grants = grantsOn(queueKey);
    const deliveryRole = only('AWS::IAM::Role', 'EventIntakeRemindersDeliveryRole');
    // Every grant through SQS only, never Encrypt, ReEncrypt or a grant.
    for (const grant of grants) {
      expect(grant.condition).toEqual(viaSqs);
      expect(grant.actions.every((a) => ['kms:Decrypt', 'kms:GenerateDataKey'].includes(a))).toBe(true);
    }
    const rolesWith = (action: string) => [...new Set(grants.filter((g) => g.actions.includes(action)).map((g) => g.role))].sort();
    // Producers: the intake (send queues, quarantine), the workflows' functions (send queue), Scheduler's delivery role (intake queue).
    expect(rolesWith('kms:GenerateDataKey')).toEqual(
      expect.arrayContaining([
        intakeRole,
        deliveryRole,
        roleOf(functionRunning('lambdas/functions/dossier-step/handler.ts')),
        roleOf(functionRunning('lambdas/functions/campaign-page/handler.ts')),
      ]),
    );
    // The sender only reads its queues.
    const sender = grants.filter((g) => g.role === senderRole);
    expect(sender.length).toBeGreaterThan(0);
    expect(sender.every((g) => g.actions.join() === 'kms:Decrypt')).toBe(true);
    expect(rolesWith('kms:Decrypt')).toEqual(expect.arrayContaining([senderRole, intakeRole]));
    expect(rolesWith('kms:GenerateDataKey')).not.toContain(senderRole);
  });
});

describe('the secret key', () => {
  it('lets the intake only encrypt and the sender only decrypt, by name in its policy; the account only manages it', () => {
    const statements: any[] = resources('AWS::KMS::Key')[secretKey].Properties.KeyPolicy.Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Sid: 'KeyAdministrationOnly', Action: KEY_ADMIN_ACTIONS }),
        expect.objectContaining({ Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': [intakeRole, 'Arn'] } }, Action: 'kms:Encrypt' }),
        expect.objectContaining({ Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': [senderRole, 'Arn'] } }, Action: 'kms:Decrypt' }),
      ]),
    );
    expect(statements).toHaveLength(3);
    expect(KEY_ADMIN_ACTIONS.filter((a) => USE_ACTIONS.test(a))).toEqual([]);
    expect(resources('AWS::KMS::Key')[secretKey].Properties.EnableKeyRotation).toBe(true);
  });

  it('is in the identity policies of those two roles only, with that one action each, and in their environments only', () => {
    expect(grantsOn(secretKey).map(({ role, actions }) => ({ role, actions }))).toEqual(
      expect.arrayContaining([
        { role: intakeRole, actions: ['kms:Encrypt'] },
        { role: senderRole, actions: ['kms:Decrypt'] },
      ]),
    );
    expect(grantsOn(secretKey)).toHaveLength(2);
    const withKey = Object.entries(resources('AWS::Lambda::Function'))
      .filter(([, f]) => f.Properties.Environment?.Variables?.SECRET_KEY_ARN)
      .map(([id, f]) => [f.Metadata?.['bhxh:entry'], f.Properties.Environment.Variables.SECRET_KEY_ARN, id]);
    expect(withKey.map(([entry, arn]) => [entry, arn])).toEqual(
      expect.arrayContaining([
        ['lambdas/functions/intake/handler.ts', { 'Fn::GetAtt': [secretKey, 'Arn'] }],
        ['lambdas/functions/sender/handler.ts', { 'Fn::GetAtt': [secretKey, 'Arn'] }],
      ]),
    );
    expect(withKey).toHaveLength(2);
  });
});

describe('the bus archive', () => {
  it('keeps no event whose detail has a field spelt like a secret, whatever its detail-type', () => {
    const [archive] = Object.values(resources('AWS::Events::Archive'));
    expect(archive.Properties.EventPattern.detail).toEqual(Object.fromEntries(SECRET_FIELD_SPELLINGS.map((f) => [f, [{ exists: false }]])));
    expect(archive.Properties.EventPattern['detail-type']).toEqual([{ 'anything-but': ['EAccountRegistrationReviewed', 'TemporaryPasswordIssued', 'OtpIssued'] }]);
  });
});

describe('the intake queues', () => {
  it('let the intake quarantine an event with a secret, redacted, before their redrive policy moves it there untouched', () => {
    for (const prefix of ['EventIntakeIntakeQueue', 'EventIntakeUrgentIntakeQueue']) {
      const maxReceiveCount = resources('AWS::SQS::Queue')[only('AWS::SQS::Queue', prefix)].Properties.RedrivePolicy.maxReceiveCount;
      // At least one spare receive: a timed-out last try would otherwise still reach the redrive.
      expect(SECRET_EVENT_ATTEMPTS).toBeLessThan(maxReceiveCount - 1);
    }
  });
});
