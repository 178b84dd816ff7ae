/**
 * What AWS enforces, enforced in the local run: built from the synthesized
 * template, it authorizes the functions' SDK calls (through SdkInterception),
 * the services' deliveries (EventBridge rules and Scheduler to queues, Step
 * Functions and CloudWatch Logs to functions), and checks at start what AWS
 * checks when the stack deploys (an event source mapping's role, a
 * subscription's permission) or what would fail every invocation (a function
 * environment that breaks its contract, an alarm that cannot notify).
 *
 * Every decision is kept: denials for the run's report, the grants that
 * allowed a call for `npm run iam-report` (written when BHXH_IAM_USAGE_DIR is
 * set, one file per local system).
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { CONTRACT_OF_ENTRY, environmentProblems } from '../function-code.ts';
import type { FunctionDef, MappingDef, StateMachineDef, StreamMappingDef } from '../emulators/definitions.ts';
import type { CfnTemplate, Resolver } from '../template.ts';
import { LOCAL_ACCOUNT, resourcesOfType } from '../template.ts';
import { AccessDenied, Authorizer, type IamDecision, type IamRequest } from './authorizer.ts';
import { buildIamModel, type PolicyDocument, type RoleModel } from './model.ts';
import { putEventsRequests, type ArnResolver } from './requests.ts';

/**
 * What Lambda's stream poller does with the function's role. ListStreams, which AWS's documented policy also
 * names, takes no resource in IAM (a grant on the stream's ARN allows nothing more): the poller reads the stream
 * its mapping names, so it is not checked.
 */
const STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetShardIterator', 'dynamodb:GetRecords'];

export class IamEnforcement {
  readonly authorizer: Authorizer;
  /** Every call AWS would have refused, in the order they happened. */
  readonly accessDenied: IamDecision[] = [];
  private readonly usedGrants = new Set<string>();
  readonly arns: ArnResolver;

  constructor(
    private readonly template: CfnTemplate,
    private readonly resolver: Resolver,
  ) {
    this.authorizer = new Authorizer(buildIamModel(template, resolver), {
      onDecision: (decision) => {
        if (!decision.allowed) this.accessDenied.push(decision);
        for (const grant of decision.grants) this.usedGrants.add(grant);
      },
    });
    this.arns = {
      tableArn: (name) => resolver.arn('dynamodb', `table/${name}`),
      queueArn: (url) => resolver.getAtt(resolver.logicalIdOf(url), 'Arn'),
      busArn: (nameOrArn) => (nameOrArn.startsWith('arn:') ? nameOrArn : resolver.arn('events', `event-bus/${nameOrArn}`)),
      scheduleArn: (group, name) => resolver.arn('scheduler', `schedule/${group}/${name}`),
    };
  }

  roleOf(logicalId: string): RoleModel {
    return this.authorizer.role(logicalId);
  }

  /** EventBridge → queue: the queue policy must let events.amazonaws.com send for this rule. */
  async ruleMayDeliver(rule: { logicalId: string; arn: string }, queueArn: string): Promise<boolean> {
    return this.allowed({ service: 'events.amazonaws.com', name: `events.amazonaws.com (rule ${rule.logicalId})` }, [
      { action: 'sqs:SendMessage', resource: queueArn, context: { 'aws:SourceArn': rule.arn, 'aws:SourceAccount': LOCAL_ACCOUNT } },
    ]);
  }

  /** Scheduler → queue: Scheduler assumes the schedule's role (its trust), then sends with it (its policies and the queue's). */
  async scheduleMayDeliver(schedule: string, target: { Arn: string; RoleArn: string }): Promise<boolean> {
    const role = this.authorizer.roleByArn(target.RoleArn);
    if (!role) return this.deny(`scheduler.amazonaws.com (schedule ${schedule})`, 'sts:AssumeRole', target.RoleArn);
    const trusted = await this.allowed(
      { service: 'scheduler.amazonaws.com', name: `scheduler.amazonaws.com (schedule ${schedule})` },
      [{ action: 'sts:AssumeRole', resource: role.arn, context: { 'aws:SourceAccount': LOCAL_ACCOUNT } }],
      () => role.trust,
    );
    // A queue target is sent to, a function target invoked (asynchronously), with the schedule's role.
    const action = target.Arn.startsWith('arn:aws:lambda:') ? 'lambda:InvokeFunction' : 'sqs:SendMessage';
    return trusted && this.allowed({ role, name: `${role.logicalId} (schedule ${schedule})` }, [{ action, resource: target.Arn }]);
  }

  /** Lambda → a function's on-failure destination (an SQS queue): Lambda sends the record with the function's own role. */
  async functionMayDeliverFailure(fn: FunctionDef, destinationArn: string): Promise<boolean> {
    const role = this.authorizer.role(fn.roleLogicalId);
    return this.allowed({ role, name: `${fn.logicalId} (on-failure destination)` }, [{ action: 'sqs:SendMessage', resource: destinationArn }]);
  }

  /**
   * A producer publishing on the bus. Its identity policies are the
   * BhxhNotify-Publish-* managed policies whose source registers it as a
   * producer (what it is told to attach); a principal of another account
   * brings its own IAM, taken as allowing PutEvents, so the bus policy alone
   * decides for it.
   */
  async producerMayPublish(producerArn: string, entries: ReadonlyArray<{ Source?: string; DetailType?: string; EventBusName?: string }>): Promise<boolean> {
    const sameAccount = producerArn.includes(`:${LOCAL_ACCOUNT}:`);
    const policies = sameAccount
      ? this.publishPolicies()
          .filter((p) => p.producers.includes(producerArn))
          .map((p) => ({ name: p.name, policy: p.policy }))
      : [{ name: 'own-account', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] } }];
    const role: RoleModel = { logicalId: producerArn, arn: producerArn, policies, managedPolicyArns: [] };
    return this.allowed({ role, name: `producer ${producerArn}` }, putEventsRequests(entries as Array<Record<string, unknown>>, this.arns));
  }

  /** The managed publish policies of the template, with the producers their source's bus-policy statement names. */
  private publishPolicies(): Array<{ name: string; policy: PolicyDocument; producers: string[] }> {
    const busPolicy = JSON.stringify([...this.authorizer.resourcePolicies()].map(([, p]) => p));
    return resourcesOfType(this.template, 'AWS::IAM::ManagedPolicy').flatMap(([id, resource]) => {
      const policy = this.resolver.resolve(resource.Properties?.PolicyDocument) as PolicyDocument;
      const source = JSON.stringify(policy).match(/"events:source":\["([^"]+)"\]/)?.[1];
      if (!source) return [];
      // The Deny statement of that source lists its producers (ArnNotLike aws:PrincipalArn).
      const statements = (JSON.parse(busPolicy) as PolicyDocument[]).flatMap((d) => d.Statement);
      const deny = statements.find((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition ?? {}).includes(`"${source}"`));
      const producers = [(deny?.Condition as Record<string, Record<string, unknown>> | undefined)?.ArnNotLike?.['aws:PrincipalArn'] ?? []].flat().map(String);
      return [{ name: id, policy, producers }];
    });
  }

  /**
   * A Task's service call, as the state machine's role: lambda:InvokeFunction for a function, states:StartExecution
   * (and what `.sync` needs to watch the child) for a child execution.
   */
  async stateMachineCalls(machine: StateMachineDef, requests: Array<{ action: string; resource: string }>): Promise<void> {
    const role = this.authorizer.role(machine.roleLogicalId);
    await this.authorizer.authorize({ role, name: `${role.logicalId} (state machine ${machine.logicalId})` }, requests);
  }

  /** CloudWatch Logs → function (a subscription filter): the function's resource policy must let logs.amazonaws.com invoke it. */
  async logsMayInvoke(logGroupArn: string, functionArn: string): Promise<boolean> {
    return this.allowed({ service: 'logs.amazonaws.com', name: 'logs.amazonaws.com (subscription filter)' }, [
      { action: 'lambda:InvokeFunction', resource: functionArn, context: { 'aws:SourceArn': logGroupArn, 'aws:SourceAccount': LOCAL_ACCOUNT } },
    ]);
  }

  /**
   * What AWS refuses at deploy time, or what fails every invocation: each
   * problem names its check. Empty when the template passes.
   */
  async startupProblems(functions: readonly FunctionDef[], mappings: readonly MappingDef[], streams: readonly StreamMappingDef[] = []): Promise<string[]> {
    const problems = environmentContractProblems(functions);
    // CreateEventSourceMapping checks that the function's role can read the queue.
    for (const mapping of mappings) {
      const fn = functions.find((f) => f.logicalId === mapping.functionLogicalId);
      if (!fn) continue;
      const role = this.authorizer.role(fn.roleLogicalId);
      const requests: IamRequest[] = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].map((action) => ({ action, resource: mapping.queueArn }));
      if (!(await this.allowed({ role, name: fn.logicalId }, requests)))
        problems.push(`event source mapping: ${fn.logicalId} may not read ${mapping.queueArn} (${this.lastDenial()})`);
    }
    // CreateEventSourceMapping on a table stream checks that the function's role can read the stream (Lambda's poller reads it with that role).
    for (const mapping of streams) {
      const fn = functions.find((f) => f.logicalId === mapping.functionLogicalId);
      if (!fn) continue;
      const role = this.authorizer.role(fn.roleLogicalId);
      const requests: IamRequest[] = STREAM_READ_ACTIONS.map((action) => ({ action, resource: mapping.streamArn }));
      if (!(await this.allowed({ role, name: `${fn.logicalId} (event source mapping)` }, requests)))
        problems.push(`event source mapping: ${fn.logicalId} may not read the stream ${mapping.streamArn} (${this.lastDenial()})`);
    }
    // PutSubscriptionFilter checks that CloudWatch Logs may invoke the destination.
    for (const [id, filter] of resourcesOfType(this.template, 'AWS::Logs::SubscriptionFilter')) {
      const p = this.resolver.resolve(filter.Properties ?? {}) as { LogGroupName: string; DestinationArn: string };
      const logGroupArn = this.resolver.arn('logs', `log-group:${p.LogGroupName}:*`);
      if (!(await this.logsMayInvoke(logGroupArn, p.DestinationArn)))
        problems.push(`subscription filter ${id}: CloudWatch Logs may not invoke ${p.DestinationArn} (${this.lastDenial()})`);
    }
    // An alarm whose topic refuses CloudWatch never notifies anyone.
    for (const [id, alarm] of resourcesOfType(this.template, 'AWS::CloudWatch::Alarm')) {
      const actions = (this.resolver.resolve(alarm.Properties?.AlarmActions ?? []) as unknown[]).map(String).filter((a) => a.startsWith('arn:aws:sns:'));
      for (const topic of actions) {
        const request = {
          action: 'sns:Publish',
          resource: topic,
          context: { 'aws:SourceArn': this.resolver.arn('cloudwatch', `alarm:${id}`), 'aws:SourceAccount': LOCAL_ACCOUNT },
        };
        if (!(await this.allowed({ service: 'cloudwatch.amazonaws.com', name: `cloudwatch.amazonaws.com (alarm ${id})` }, [request]))) {
          problems.push(`alarm ${id}: CloudWatch may not publish to ${topic} (${this.lastDenial()})`);
        }
      }
    }
    return problems;
  }

  /** Writes the grants this run used, for `npm run iam-report`. */
  flushUsage(): void {
    const dir = process.env.BHXH_IAM_USAGE_DIR;
    if (!dir || this.usedGrants.size === 0) return;
    mkdirSync(dir, { recursive: true });
    appendFileSync(path.join(dir, `${process.pid}-${randomUUID().slice(0, 8)}.jsonl`), `${[...this.usedGrants].map((g) => JSON.stringify(g)).join('\n')}\n`);
    this.usedGrants.clear();
  }

  private lastDenial(): string {
    const last = this.accessDenied.at(-1);
    return last ? `${last.action} on ${last.resource} denied` : 'denied';
  }

  private async allowed(principal: Parameters<Authorizer['authorize']>[0], requests: IamRequest[], resourcePolicyOf?: Parameters<Authorizer['authorize']>[2]): Promise<boolean> {
    try {
      await this.authorizer.authorize(principal, requests, resourcePolicyOf);
      return true;
    } catch (error) {
      if (error instanceof AccessDenied) return false;
      throw error;
    }
  }

  private deny(caller: string, action: string, resource: string): false {
    this.accessDenied.push({ caller, action, resource, allowed: false, grants: [] });
    return false;
  }
}

/** What Lambda would lack at its first invocation: each function's variables against its contract (lambdas/aws/environment.ts). */
export function environmentContractProblems(functions: readonly FunctionDef[]): string[] {
  const problems: string[] = [];
  for (const fn of functions) {
    const contract = CONTRACT_OF_ENTRY[fn.entry];
    if (!contract) problems.push(`environment contract: ${fn.logicalId} (${fn.entry}) has no contract in lambdas/aws/environment.ts`);
    else for (const problem of environmentProblems(contract, fn.environment)) problems.push(`environment contract: ${fn.logicalId} (${fn.entry}): ${problem}`);
  }
  return problems;
}
