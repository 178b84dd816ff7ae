/**
 * Producers bound to their source (SPEC rule 11) in the synthesized template:
 * the bus policy, the managed policies producers attach, and the system's own
 * PutEvents grants conditioned on vn.gov.bhxh.notify.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { NOTIFY_SOURCE, Source } from '../../lambdas/domain/catalogue.ts';
import { buildApp } from '../../lib/app.ts';

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const synth = (context: Record<string, unknown> = {}) => {
  const { stack } = buildApp({ context: { ...NO_BUNDLING, ...context }, nag: false });
  return { stack, template: Template.fromStack(stack) };
};
const { stack, template } = synth();
type Statement = { Effect: string; Action: string | string[]; Condition?: Record<string, Record<string, unknown>>; Sid?: string; Principal?: unknown };

describe('the bus policy', () => {
  const statements = Object.values(template.findResources('AWS::Events::EventBusPolicy')).map((p) => p.Properties.Statement as Statement);

  it('denies each catalogue source to every principal but its producers, and the system source to all but the system', () => {
    // Assess
    for (const source of [...Object.values(Source), NOTIFY_SOURCE]) {
      const deny = statements.find((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition?.['ForAnyValue:StringEquals']) === JSON.stringify({ 'events:source': [source] }));
      expect(deny, source).toBeDefined();
      expect(deny?.Condition?.ArnNotLike?.['aws:PrincipalArn']).toBeDefined();
    }
  });

  it('lets a producer of another account publish its own source only', () => {
    // Prepare
    const { template: withForeign } = synth({ 'bhxh:producers': { 'vn.gov.bhxh.tnhs': ['arn:aws:iam::999999999999:role/tnhs-publisher'] } });

    // Act
    const allows = Object.values(withForeign.findResources('AWS::Events::EventBusPolicy'))
      .map((p) => p.Properties.Statement as Statement)
      .filter((s) => s.Effect === 'Allow');

    // Assess
    expect(allows).toHaveLength(1);
    expect(allows[0]?.Principal).toEqual({ AWS: 'arn:aws:iam::999999999999:role/tnhs-publisher' });
    expect(allows[0]?.Condition).toEqual({ 'ForAllValues:StringEquals': { 'events:source': ['vn.gov.bhxh.tnhs'] }, Null: { 'events:source': 'false' } });
  });

  it('refuses a producers setting that names a source outside the catalogue or a principal that is not an ARN', () => {
    expect(() => synth({ 'bhxh:producers': { 'vn.gov.bhxh.other': ['arn:aws:iam::1:role/x'] } })).toThrow(/names vn.gov.bhxh.other, which is not a source of the catalogue/);
    expect(() => synth({ 'bhxh:producers': { 'vn.gov.bhxh.tst': ['tst'] } })).toThrow(/bhxh:producers.vn.gov.bhxh.tst must be a list of principal ARNs/);
  });
});

describe('grants to publish', () => {
  it('has no PutEvents grant without a source condition anywhere in the stack', () => {
    // Act
    const grants = Object.values(template.findResources('AWS::IAM::Policy'))
      .concat(Object.values(template.findResources('AWS::IAM::ManagedPolicy')))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((s) => [s.Action].flat().some((a) => a === 'events:PutEvents' || a === 'events:*'));

    // Assess: the five functions' grants (intake, dossier step, campaign page, province campaign, status events) and the producer policies, each bound to its source
    expect(grants.length).toBe(5 + Object.values(Source).length);
    for (const grant of grants) {
      expect(grant.Condition?.['ForAllValues:StringEquals']?.['events:source']).toBeDefined();
      expect(grant.Condition?.Null).toEqual({ 'events:source': 'false' });
    }
    const systemGrants = grants.filter((g) => JSON.stringify(g.Condition).includes(NOTIFY_SOURCE));
    expect(systemGrants).toHaveLength(5);
  });

  it('outputs one managed policy per source for producer roles of this account', () => {
    // Assess
    const outputs = Object.keys(template.toJSON().Outputs).filter((k) => k.startsWith('PublishPolicy'));
    expect(outputs.sort()).toEqual(
      Object.values(Source)
        .map((source) => `PublishPolicy${source.split('.').at(-1)}`)
        .sort(),
    );
    // Named for the producer teams: BhxhNotify-Publish-<system>
    const names = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .map((p) => p.Properties.ManagedPolicyName)
      .filter((name) => name.startsWith('BhxhNotify-Publish-'))
      .sort();
    expect(names).toEqual(
      Object.values(Source)
        .map((source) => `BhxhNotify-Publish-${source.split('.').at(-1)}`)
        .sort(),
    );
    expect(stack.stackName).toBe('BhxhNotify');
  });
});
