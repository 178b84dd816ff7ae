/**
 * The e-mail channel in the synthesized stack (SPEC rule 12): a DKIM-signed
 * domain identity, a configuration set that suppresses bounces and complaints,
 * SES's events taken from the default bus without the address, and the
 * sender's grant to send through that identity and set only.
 */
import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app.ts';

const { stack } = buildApp({ context: { 'aws:cdk:bundling-stacks': [], 'bhxh:emailDomain': 'thongbao.example.vn' }, nag: false });
const template = Template.fromStack(stack);
const resources = (type: string) => template.findResources(type);
const statementsOfFunction = (entry: string): any[] => {
  const [id] = Object.entries(resources('AWS::Lambda::Function')).find(([, f]) => f.Metadata?.['bhxh:entry'] === entry) ?? [];
  const role = resources('AWS::Lambda::Function')[id as string].Properties.Role['Fn::GetAtt'][0];
  return Object.values(resources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
};

describe('e-mail channel', () => {
  it('has the domain identity (Easy DKIM) and a configuration set that suppresses bounces and complaints and requires TLS', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'thongbao.example.vn', ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() } });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'bhxh-notify',
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: { Enabled: true, MatchingEventTypes: Match.arrayWith(['delivery', 'bounce', 'complaint']), EventBridgeDestination: Match.anyValue() },
    });
  });

  it("takes this configuration set's SES events from the default bus, keeping no address", () => {
    // Act
    const [rule] = Object.values(resources('AWS::Events::Rule')).filter((r) => r.Properties.EventBusName === 'default');

    // Assess
    expect(rule?.Properties.EventPattern).toEqual({
      source: ['aws.ses'],
      detail: { eventType: ['Delivery', 'Bounce', 'Complaint', 'Reject', 'Rendering Failure'], mail: { tags: { 'ses:configuration-set': ['bhxh-notify'] } } },
    });
    const [target] = rule?.Properties.Targets ?? [];
    const paths = Object.values(target.InputTransformer.InputPathsMap) as string[];
    expect(paths.sort()).toEqual([
      '$.detail.bounce.bounceSubType',
      '$.detail.bounce.bounceType',
      '$.detail.complaint.complaintFeedbackType',
      '$.detail.eventType',
      '$.detail.mail.messageId',
      '$.time',
    ]);
    expect(JSON.stringify(target)).not.toContain('destination');
    expect(target.DeadLetterConfig).toBeDefined();
  });

  it('lets the sender SendEmail through that identity and configuration set only, and read the 01-XN files only', () => {
    // Act
    const statements = statementsOfFunction('lambdas/functions/sender/handler.ts');

    // Assess
    const ses = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('ses:')));
    expect(ses).toHaveLength(1);
    expect(ses[0].Action).toBe('ses:SendEmail');
    expect(JSON.stringify(ses[0].Resource)).toContain(':identity/thongbao.example.vn');
    expect(JSON.stringify(ses[0].Resource)).toContain(':configuration-set/bhxh-notify');
    expect(JSON.stringify(ses[0].Resource)).not.toContain('*');
    const s3 = statements.filter((s) => [s.Action].flat().includes('s3:GetObject'));
    expect(JSON.stringify(s3.map((s) => s.Resource))).toContain('/01-XN/*');
  });

  it('refuses an e-mail domain that is not a domain name, at synth', () => {
    expect(() => buildApp({ context: { 'aws:cdk:bundling-stacks': [], 'bhxh:emailDomain': 'not a domain' }, nag: false })).toThrow(/bhxh:emailDomain must be a domain name/);
  });
});
