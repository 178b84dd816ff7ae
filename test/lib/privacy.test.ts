/**
 * Personal data only where the README says, for as long as it says (README
 * "Privacy"): what the stack sets so that names, phone numbers and BHXH
 * numbers expire, stay out of execution histories, and cannot be recovered
 * from the look-up counters.
 */
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app.ts';
import { logRetentionAtMost } from '../../lib/config.ts';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string | string[] };

function synth(context: Record<string, unknown> = {}): Template {
  const { stack } = buildApp({ context: { 'aws:cdk:bundling-stacks': [], ...context }, nag: false });
  return Template.fromStack(stack);
}

const template = synth();
const resources = (t: Template, type: string): Record<string, Resource> => t.findResources(type) as Record<string, Resource>;
const one = (t: Template, type: string, prefix: string): [string, Resource] => {
  const found = Object.entries(resources(t, type)).filter(([id]) => id.startsWith(prefix));
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0]!;
};
const variables = (t: Template, prefix: string): Record<string, unknown> => one(t, 'AWS::Lambda::Function', prefix)[1].Properties.Environment.Variables;

/** A CloudFormation value as text: Fn::Join flattened, Ref and GetAtt as <Name> and <Id.Attr>. */
function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v?.['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flat).join(v['Fn::Join'][0]);
  if (v?.Ref) return `<${v.Ref}>`;
  if (v?.['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
  return JSON.stringify(value);
}
const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** The retention the stack sets on each SNS delivery-status log group (the custom resources' PutRetentionPolicy calls). */
function deliveryStatusRetentions(t: Template): number[] {
  const calls = Object.values(resources(t, 'Custom::AWS')).map((r) => JSON.parse(flat(r.Properties.Create)) as { action: string; parameters: Record<string, any> });
  const onSnsGroups = calls.filter((c) => String(c.parameters.logGroupName ?? '').includes('DirectPublishToPhoneNumber'));
  expect(onSnsGroups.filter((c) => c.action === 'deleteRetentionPolicy')).toEqual([]);
  return onSnsGroups.filter((c) => c.action === 'putRetentionPolicy').map((c) => c.parameters.retentionInDays as number);
}

const archiveRetention = (t: Template): number => one(t, 'AWS::Events::Archive', 'EventIntakeArchive')[1].Properties.RetentionDays;

describe('dossier lifecycle executions carry the dossier number only', () => {
  it('every Task of the definition reads $.dossierNo, none reads the dossier ($.dossier)', () => {
    const [, machine] = one(template, 'AWS::StepFunctions::StateMachine', 'DossiersDossierLifecycle');
    const definition = flat(machine.Properties.DefinitionString);
    expect(definition).not.toContain('$.dossier.');
    expect(definition).not.toMatch(/"\$\.dossier"/);
    const states = JSON.parse(definition).States as Record<string, { Type: string; Parameters?: Record<string, unknown> & { Payload?: Record<string, unknown> } }>;
    // A lambda:invoke task's payload, or a direct invocation's parameters (payloadResponseOnly).
    const payloads = Object.values(states)
      .filter((s) => s.Type === 'Task')
      .map((s) => s.Parameters?.Payload ?? s.Parameters ?? {});
    expect(payloads).toHaveLength(4);
    for (const payload of payloads) {
      expect(payload['dossierNo.$']).toBe('$.dossierNo');
      expect(Object.keys(payload).filter((k) => /subject|phone|reason|dossier\b|dossier\.\$/.test(k))).toEqual([]);
    }
  });
});

describe('the dossiers and collections tables expire', () => {
  it('have a TTL on expiresAt', () => {
    for (const prefix of ['DossiersDossiersTable', 'CampaignsCollectionsTable']) {
      expect(one(template, 'AWS::DynamoDB::Table', prefix)[1].Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    }
  });

  it('tell the functions that write them the retention: 400 days for dossiers, 90 for collections, by default', () => {
    expect(variables(template, 'EventIntakeIntakeFunction')).toMatchObject({ DOSSIER_RETENTION_DAYS: '400', COLLECTION_RETENTION_DAYS: '90' });
    expect(variables(template, 'DossiersDossierStepFunction')).toMatchObject({ DOSSIER_RETENTION_DAYS: '400' });
  });

  it('take bhxh:dossierRetentionDays and bhxh:collectionRetentionDays from the context', () => {
    const t = synth({ 'bhxh:dossierRetentionDays': 500, 'bhxh:collectionRetentionDays': 30 });
    expect(variables(t, 'EventIntakeIntakeFunction')).toMatchObject({ DOSSIER_RETENTION_DAYS: '500', COLLECTION_RETENTION_DAYS: '30' });
    expect(variables(t, 'DossiersDossierStepFunction')).toMatchObject({ DOSSIER_RETENTION_DAYS: '500' });
  });

  it('refuse a dossier retention shorter than a lifecycle can wait (a year), and a collection retention under 2 days', () => {
    expect(() => synth({ 'bhxh:dossierRetentionDays': 365 })).toThrow(/bhxh:dossierRetentionDays must be at least 366/);
    expect(() => synth({ 'bhxh:collectionRetentionDays': 1 })).toThrow(/bhxh:collectionRetentionDays must be at least 2/);
  });
});

describe('the SNS delivery-status log groups (phone numbers) keep lines no longer than the ledger keeps numbers', () => {
  it('by default 30 days (bhxh:messageTextRetentionDays), not the 90 days of the other logs', () => {
    expect(deliveryStatusRetentions(template)).toEqual([30, 30]);
  });

  it.each([
    [{ 'bhxh:messageTextRetentionDays': 14 }, 14],
    // CloudWatch has no 45-day retention: the longest one under it
    [{ 'bhxh:messageTextRetentionDays': 45 }, 30],
    // Shorter logs stay shorter
    [{ 'bhxh:logRetentionDays': 7 }, 7],
    // Logs kept forever: not these
    [{ 'bhxh:logRetentionDays': 9999 }, 30],
  ])('with %j: %i days', (context, days) => {
    expect(deliveryStatusRetentions(synth(context))).toEqual([days, days]);
  });

  it('logRetentionAtMost picks the longest CloudWatch retention not over the days given', () => {
    expect([1, 2, 30, 31, 59, 400, 10_000].map(logRetentionAtMost)).toEqual([1, 1, 30, 30, 30, 400, 3653]);
  });
});

describe('the bus archive (events with names and numbers) keeps them no longer than the ledger keeps texts', () => {
  it('by default 30 days', () => {
    expect(archiveRetention(template)).toBe(30);
  });

  it('follows bhxh:messageTextRetentionDays', () => {
    expect(archiveRetention(synth({ 'bhxh:messageTextRetentionDays': 14 }))).toBe(14);
  });
});

describe('the look-up counters are keyed by a secret only the intake reads', () => {
  const [secretId, secret] = one(template, 'AWS::SecretsManager::Secret', 'EventIntakeLookupCounterKey');

  it('is a generated Secrets Manager secret', () => {
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(secret.Properties.SecretString).toBeUndefined();
  });

  it('is named in the intake contract (LOOKUP_KEY_SECRET_ARN) and readable by the intake alone, with GetSecretValue only', () => {
    expect(variables(template, 'EventIntakeIntakeFunction').LOOKUP_KEY_SECRET_ARN).toEqual({ Ref: secretId });
    const intakeRole: string = one(template, 'AWS::Lambda::Function', 'EventIntakeIntakeFunction')[1].Properties.Role['Fn::GetAtt'][0];
    const statements = Object.values(resources(template, 'AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Array<Record<string, any>>).map((s): Record<string, any> => ({ roles: list<{ Ref: string }>(p.Properties.Roles).map(flat), ...s })),
    );
    const secretStatements = statements.filter(
      (s) => list<string>(s.Action).some((a) => a.startsWith('secretsmanager:')) || list(s.Resource).some((r) => flat(r) === `<${secretId}>`),
    );
    expect(secretStatements).toHaveLength(1);
    expect(secretStatements[0]).toMatchObject({ Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: secretId } });
    expect(secretStatements[0]!.roles).toEqual([`<${intakeRole}>`]);
  });
});
