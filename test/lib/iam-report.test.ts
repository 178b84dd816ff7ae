/**
 * `npm run iam-report`: the grants of the locally exercised roles against the
 * calls the tests recorded. Matching (IAM wildcards, the per-test table
 * prefix, NotResource), the justifications read off the roles' metadata, and
 * what fails the report, on a tiny template; then the roles it finds in the
 * real stack, and the script's exit code.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { justifyUnusedGrants, UNUSED_GRANT_JUSTIFICATIONS } from '../../lib/unused-grants.ts';
import { Resolver, type CfnTemplate } from '../../local/template.ts';
import { stackTemplate } from '../support/local-system.ts';
import { buildIamReport, exercisedRoles, formatIamReport, grantAllows, iamMatches, justificationsOf, parseUsage, type Usage } from '../../scripts/iam/report.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const ARN = (service: string, resource: string) => `arn:aws:${service}:ap-southeast-1:000000000000:${resource}`;
const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** One function, one state machine and one schedule, each with its role; a function of CDK's (no bhxh:entry) is not exercised. */
function tinyTemplate(): CfnTemplate {
  return {
    Resources: {
      Ledger: { Type: 'AWS::DynamoDB::Table' },
      Logs: { Type: 'AWS::Logs::LogGroup' },
      Queue: { Type: 'AWS::SQS::Queue' },
      Fn: { Type: 'AWS::Lambda::Function', Metadata: { 'bhxh:entry': 'lambdas/functions/x/handler.ts' }, Properties: { Role: getAtt('FnRole') } },
      FnRole: {
        Type: 'AWS::IAM::Role',
        Metadata: {
          'aws:cdk:path': 'Stack/FnRole/Resource',
          [UNUSED_GRANT_JUSTIFICATIONS]: [
            { actions: ['logs:PutLogEvents'], reason: 'the runtime writes the logs' },
            { actions: ['dynamodb:DeleteItem'], resources: [getAtt('Ledger')], reason: 'a retry deletes' },
          ],
        },
      },
      FnPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'FnRole' }],
          PolicyDocument: {
            Statement: [
              { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: getAtt('Ledger') },
              { Effect: 'Allow', Action: 'dynamodb:Query', Resource: { 'Fn::Join': ['', [getAtt('Ledger'), '/index/*']] } },
              { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: getAtt('Logs') },
              { Effect: 'Allow', Action: 'sns:Publish', NotResource: 'arn:aws:sns:*:*:*' },
              { Effect: 'Deny', Action: 'dynamodb:Scan', Resource: '*' },
            ],
          },
        },
      },
      CdkProvider: { Type: 'AWS::Lambda::Function', Properties: { Role: getAtt('CdkProviderRole') } },
      CdkProviderRole: { Type: 'AWS::IAM::Role' },
      Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { RoleArn: getAtt('MachineRole') } },
      MachineRole: { Type: 'AWS::IAM::Role' },
      MachinePolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: [{ Ref: 'MachineRole' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: getAtt('Fn') }] } },
      },
      Tick: { Type: 'AWS::Scheduler::Schedule', Properties: { Target: { Arn: getAtt('Queue'), RoleArn: getAtt('DeliveryRole') } } },
      DeliveryRole: {
        Type: 'AWS::IAM::Role',
        Properties: { Policies: [{ PolicyName: 'send', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: getAtt('Queue') }] } }] },
      },
    },
  };
}

/** Every grant of the tiny template used, except what its justifications cover; tables under a per-test prefix. */
const EVERYTHING_USED: Usage[] = [
  { role: 'FnRole', action: 'dynamodb:GetItem', resource: ARN('dynamodb', 'table/t1a2b3c4d_Ledger') },
  { role: 'FnRole', action: 'dynamodb:PutItem', resource: ARN('dynamodb', 'table/t9f8e7d6c_Ledger') },
  { role: 'FnRole', action: 'dynamodb:Query', resource: ARN('dynamodb', 'table/t1a2b3c4d_Ledger/index/byDueDate') },
  { role: 'FnRole', action: 'sns:Publish', resource: '*' },
  { role: 'MachineRole', action: 'lambda:InvokeFunction', resource: ARN('lambda', 'function:Fn') },
  { role: 'DeliveryRole', action: 'sqs:SendMessage', resource: ARN('sqs', 'Queue') },
];

const kinds = (usage: Usage[]) => buildIamReport(tinyTemplate(), usage).problems.map((p) => p.kind);

describe('matching a grant with a recorded call', () => {
  it('reads IAM wildcards: * any run of characters, ? one; everything else literally, anchored', () => {
    expect(iamMatches('dynamodb:*', 'dynamodb:GetItem')).toBe(true);
    expect(iamMatches('dynamodb:Get?tem', 'dynamodb:GetItem')).toBe(true);
    expect(iamMatches('dynamodb:Get?tem', 'dynamodb:GetIItem')).toBe(false);
    expect(iamMatches('*', 'arn:aws:sqs:ap-southeast-1:000000000000:Queue')).toBe(true);
    expect(iamMatches('arn:aws:s3:::bucket/01-XN/*', 'arn:aws:s3:::bucket/01-XN/2019/a.csv')).toBe(true);
    expect(iamMatches('arn:aws:s3:::bucket/01-XN/*', 'arn:aws:s3:::bucket/02-XN/a.csv')).toBe(false);
    // A dot is a dot, and the whole value must match
    expect(iamMatches('a.b', 'axb')).toBe(false);
    expect(iamMatches('table/Ledger', 'table/Ledger/index/byKey')).toBe(false);
  });

  it('ignores case in actions, not in resources', () => {
    const grant = { policy: 'P', action: 'DynamoDB:GetItem', resource: ARN('dynamodb', 'table/*Ledger') };
    expect(grantAllows('R', grant, { role: 'R', action: 'dynamodb:getitem', resource: ARN('dynamodb', 'table/t1_Ledger') })).toBe(true);
    expect(grantAllows('R', grant, { role: 'R', action: 'dynamodb:GetItem', resource: ARN('dynamodb', 'table/t1_ledger') })).toBe(false);
    // Another role's call never uses this role's grant
    expect(grantAllows('R', grant, { role: 'Other', action: 'dynamodb:GetItem', resource: ARN('dynamodb', 'table/t1_Ledger') })).toBe(false);
  });

  it('matches a table under any per-test prefix, an index only by an index grant', () => {
    const report = buildIamReport(tinyTemplate(), [
      { role: 'FnRole', action: 'dynamodb:Query', resource: ARN('dynamodb', 'table/t1a2b3c4d_Ledger') },
      { role: 'FnRole', action: 'dynamodb:GetItem', resource: ARN('dynamodb', 'table/t1a2b3c4d_Ledger/index/byDueDate') },
    ]);
    const fnUnused = report.unused.filter((u) => u.role.logicalId === 'FnRole').map((u) => `${u.grant.action} ${u.grant.resource}`);

    expect(fnUnused).toEqual(expect.arrayContaining([`dynamodb:Query ${ARN('dynamodb', 'table/*Ledger/index/*')}`, `dynamodb:GetItem ${ARN('dynamodb', 'table/*Ledger')}`]));
    expect(buildIamReport(tinyTemplate(), EVERYTHING_USED).unused.map((u) => u.grant.action)).not.toContain('dynamodb:Query');
  });

  it('counts a NotResource grant used by a call on a resource outside the excluded ones only', () => {
    const notTopics = { policy: 'P', action: 'sns:Publish', resource: 'NOT arn:aws:sns:*:*:*', notResources: ['arn:aws:sns:*:*:*'] };
    expect(grantAllows('R', notTopics, { role: 'R', action: 'sns:Publish', resource: '*' })).toBe(true);
    expect(grantAllows('R', notTopics, { role: 'R', action: 'sns:Publish', resource: ARN('sns', 'alerts') })).toBe(false);
  });

  it('reads the usage files: one JSON string <role>|<action>|<resource> per line', () => {
    const text = `${JSON.stringify(`FnRole|sqs:SendMessage|${ARN('sqs', 'Queue')}`)}\n\n${JSON.stringify('FnRole|s3:PutObject|arn:aws:s3:::b/a|b.csv')}\n`;
    expect(parseUsage(text)).toEqual([
      { role: 'FnRole', action: 'sqs:SendMessage', resource: ARN('sqs', 'Queue') },
      { role: 'FnRole', action: 's3:PutObject', resource: 'arn:aws:s3:::b/a|b.csv' },
    ]);
    expect(() => parseUsage('{"role":"FnRole"}')).toThrow(/not a JSON string/);
    expect(() => parseUsage('"FnRole"')).toThrow(/<role>\|<action>\|<resource>/);
  });
});

describe('the roles and grants under report', () => {
  it('are the roles of our functions, the state machines and the schedules, not those of CDK functions', () => {
    const { roles, problems } = exercisedRoles(tinyTemplate());
    expect(Object.fromEntries(roles)).toEqual({ FnRole: ['function Fn'], MachineRole: ['state machine Machine'], DeliveryRole: ['schedules'] });
    expect(problems).toEqual([]);
  });

  it('split each Allow statement into action × resource grants, from AWS::IAM::Policy and inline policies alike; denials are not grants', () => {
    const report = buildIamReport(tinyTemplate(), EVERYTHING_USED);
    const grants = Object.fromEntries(report.roles.map((r) => [r.logicalId, r.grants.map((g) => `${g.action} ${g.resource}`)]));

    expect(grants.FnRole).toEqual([
      `dynamodb:GetItem ${ARN('dynamodb', 'table/*Ledger')}`,
      `dynamodb:PutItem ${ARN('dynamodb', 'table/*Ledger')}`,
      `dynamodb:DeleteItem ${ARN('dynamodb', 'table/*Ledger')}`,
      `dynamodb:Query ${ARN('dynamodb', 'table/*Ledger/index/*')}`,
      `logs:PutLogEvents ${ARN('logs', 'log-group:Logs:*')}`,
      'sns:Publish NOT arn:aws:sns:*:*:*',
    ]);
    expect(grants.DeliveryRole).toEqual([`sqs:SendMessage ${ARN('sqs', 'Queue')}`]);
    expect(report.roles.find((r) => r.logicalId === 'FnRole')?.path).toBe('Stack/FnRole/Resource');
  });
});

describe('justifications', () => {
  it('are read off the role, their resources resolved like the grants (any table prefix)', () => {
    const template = tinyTemplate();
    expect(justificationsOf(template.Resources.FnRole!, new Resolver(template, 'ap-southeast-1', '*'))).toEqual([
      { actions: ['logs:PutLogEvents'], reason: 'the runtime writes the logs' },
      { actions: ['dynamodb:DeleteItem'], resources: [ARN('dynamodb', 'table/*Ledger')], reason: 'a retry deletes' },
    ]);
  });

  it('are written by justifyUnusedGrants as a list on the role, and only on a role of the stack', () => {
    const stack = new Stack(new App(), 'S');
    const role = new Role(stack, 'R', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    justifyUnusedGrants(role, ['xray:PutTraceSegments'], 'the runtime traces');
    justifyUnusedGrants(role, ['dynamodb:DeleteItem'], 'a retry deletes', ['arn:aws:dynamodb:::table/T']);

    const [metadata] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role')).map((r) => r.Metadata?.[UNUSED_GRANT_JUSTIFICATIONS]);
    expect(metadata).toEqual([
      { actions: ['xray:PutTraceSegments'], reason: 'the runtime traces' },
      { actions: ['dynamodb:DeleteItem'], resources: ['arn:aws:dynamodb:::table/T'], reason: 'a retry deletes' },
    ]);
    expect(() => justifyUnusedGrants(Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::1:role/x'), ['s3:GetObject'], 'no')).toThrow(/role this stack creates/);
    expect(() => justifyUnusedGrants(role, [], 'no actions')).toThrow(/names its actions/);
  });
});

describe('the report', () => {
  it('passes when every grant is used or justified, and says so', () => {
    const report = buildIamReport(tinyTemplate(), EVERYTHING_USED);

    expect(report.problems).toEqual([]);
    expect(report.unused.map((u) => [u.grant.action, u.justification])).toEqual([
      ['dynamodb:DeleteItem', 'a retry deletes'],
      ['logs:PutLogEvents', 'the runtime writes the logs'],
    ]);
    expect(formatIamReport(report)).toContain('OK: every grant is used by the tests or justified in code.');
  });

  it('fails on an unused grant nobody justified, naming the role, its construct path and the grant', () => {
    // Prepare: nothing puts to the ledger
    const usage = EVERYTHING_USED.filter((u) => u.action !== 'dynamodb:PutItem');

    // Act
    const report = buildIamReport(tinyTemplate(), usage);
    const text = formatIamReport(report);

    // Assess
    expect(report.problems).toEqual([
      { kind: 'unjustified', message: `FnRole (Stack/FnRole/Resource): dynamodb:PutItem on ${ARN('dynamodb', 'table/*Ledger')} is never used and not justified` },
    ]);
    expect(text).toMatch(/FnRole {2}Stack\/FnRole\/Resource {2}\(function Fn\)/);
    expect(text).toMatch(/UNJUSTIFIED\n\s+dynamodb:PutItem\s+arn:aws:dynamodb:ap-southeast-1:000000000000:table\/\*Ledger/);
    expect(text).toContain('FAILED: 1 unused grant(s) UNJUSTIFIED');
  });

  it('does not let a justification with resources cover the same action on another resource', () => {
    // Prepare: DeleteItem is justified on the ledger only; the grant moves to another table
    const template = tinyTemplate();
    template.Resources.Other = { Type: 'AWS::DynamoDB::Table' };
    const statements = (template.Resources.FnPolicy!.Properties as { PolicyDocument: { Statement: Array<Record<string, unknown>> } }).PolicyDocument.Statement;
    statements.push({ Effect: 'Allow', Action: 'dynamodb:DeleteItem', Resource: getAtt('Other') });

    // Act
    const report = buildIamReport(template, EVERYTHING_USED);

    // Assess
    expect(report.problems.map((p) => p.message)).toEqual([expect.stringContaining(`dynamodb:DeleteItem on ${ARN('dynamodb', 'table/*Other')} is never used`)]);
  });

  it('fails on a justification the tests have made stale (its grant is used now)', () => {
    const usage = [...EVERYTHING_USED, { role: 'FnRole', action: 'logs:PutLogEvents', resource: ARN('logs', 'log-group:Logs:*') }];
    const report = buildIamReport(tinyTemplate(), usage);

    expect(report.problems).toEqual([{ kind: 'stale-justification', message: expect.stringContaining('logs:PutLogEvents is justified as unused') }]);
    expect(formatIamReport(report)).toContain('FAILED: FnRole (Stack/FnRole/Resource): logs:PutLogEvents is justified as unused');
  });

  it('fails when nothing was recorded: run npm test first', () => {
    expect(kinds([])).toContain('no-usage');
    expect(formatIamReport(buildIamReport(tinyTemplate(), []))).toContain('run npm test first');
  });

  it('fails on grants it cannot read: an attached managed policy, a NotAction statement', () => {
    const template = tinyTemplate();
    template.Resources.DeliveryRole!.Properties!.ManagedPolicyArns = ['arn:aws:iam::aws:policy/AdministratorAccess'];
    (template.Resources.MachinePolicy!.Properties as { PolicyDocument: { Statement: unknown[] } }).PolicyDocument.Statement.push({
      Effect: 'Allow',
      NotAction: 'iam:*',
      Resource: '*',
    });
    expect(buildIamReport(template, EVERYTHING_USED).problems.map((p) => p.kind)).toEqual(['unreadable', 'unreadable']);
  });
});

describe('on the stack', () => {
  it('reports the seven functions, the four state machines and the Scheduler delivery roles, and can read all their grants', () => {
    const template = stackTemplate();
    const report = buildIamReport(template, [{ role: 'none', action: 'none:None', resource: '*' }]);

    expect(report.roles.map((r) => r.exercisedBy.join(', ')).sort()).toEqual([
      'function CampaignsCampaignPageFunctionD3ECEBAA',
      'function DeliveryReceiptsDeadlinesReceiptDeadlinesFunction90E05C5D',
      'function DeliveryReceiptsReceiptsFunction9129E535',
      'function DossiersDossierStepFunctionB79E72F1',
      'function EmailEmailReceiptsFunctionE2F44ABA',
      'function EventIntakeIntakeFunction1DCBC9C9',
      'function ProvinceCampaignsProvinceCampaignFunction4E46CB54',
      'function RegistrationsRegistrationStepFunction0B481302',
      'function SenderSenderFunction9D6B061C',
      'function StatusEventsStatusEventsFunctionF9B53C28',
      'schedules',
      'schedules',
      'state machine CampaignsCampaign522A4913',
      'state machine CampaignsShardPartB8460C1C',
      'state machine DossiersDossierLifecycle4DB06511',
      'state machine ProvinceCampaignsProvinceCampaign79E1852C',
      'state machine RegistrationsRegistrationLifecycleE9A2200C',
    ]);
    expect(report.problems.filter((p) => p.kind === 'unreadable')).toEqual([]);
  });

  it('npm run iam-report exits 1 without recorded usage, and says to run the tests first', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'bhxh-iam-usage-'));
    try {
      const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/iam-report.ts'], { cwd: REPO_ROOT, env: { ...process.env, BHXH_IAM_USAGE_DIR: empty } });
      await expect(run).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('run npm test first') });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
