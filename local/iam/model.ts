/**
 * The IAM of the synthesized template, as the local run enforces it: each
 * role's identity policies (inline, AWS::IAM::Policy, AWS::IAM::ManagedPolicy
 * attached to it) and trust policy, and the resource policies AWS checks on
 * the targets (queue policies, topic policies, the event bus policy, Lambda
 * permissions, key policies).
 */
import type { CfnTemplate, Resolver } from '../template.ts';
import { LOCAL_ACCOUNT, resourcesOfType } from '../template.ts';

export interface PolicyDocument {
  Version?: string;
  Statement: Array<Record<string, unknown>>;
}

export interface RoleModel {
  logicalId: string;
  arn: string;
  /** Identity policies by name (the policy's logical id, or `<role>/<inline name>`). */
  policies: Array<{ name: string; policy: PolicyDocument }>;
  trust?: PolicyDocument;
  /** AWS managed policies attached (not evaluated here: their content is not in the template). */
  managedPolicyArns: string[];
}

export interface IamModel {
  roles: Map<string, RoleModel>;
  /** Resource policies by the ARN of the resource they protect. */
  resourcePolicies: Map<string, PolicyDocument>;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

function document(value: unknown, what: string): PolicyDocument {
  if (value === null || typeof value !== 'object' || !Array.isArray((value as PolicyDocument).Statement)) throw new Error(`${what} is not a policy document`);
  return value as PolicyDocument;
}

export function buildIamModel(template: CfnTemplate, resolver: Resolver): IamModel {
  const roles = new Map<string, RoleModel>();
  for (const [id, role] of resourcesOfType(template, 'AWS::IAM::Role')) {
    const p = (resolver.resolve(role.Properties ?? {}) ?? {}) as Record<string, unknown>;
    roles.set(id, {
      logicalId: id,
      arn: resolver.getAtt(id, 'Arn'),
      policies: asArray(p.Policies).map((inline, i) => {
        const named = inline as { PolicyName?: string; PolicyDocument?: unknown };
        return { name: `${id}/${named.PolicyName ?? i}`, policy: document(named.PolicyDocument, `${id} inline policy`) };
      }),
      ...(p.AssumeRolePolicyDocument ? { trust: document(p.AssumeRolePolicyDocument, `${id} trust policy`) } : {}),
      managedPolicyArns: asArray(p.ManagedPolicyArns).map(String),
    });
  }
  const attach = (policyId: string, policy: PolicyDocument, roleRefs: unknown) => {
    // A role's Ref is its logical id locally (see Resolver.ref).
    for (const roleId of asArray(resolver.resolve(roleRefs))) roles.get(String(roleId))?.policies.push({ name: policyId, policy });
  };
  for (const [id, resource] of [...resourcesOfType(template, 'AWS::IAM::Policy'), ...resourcesOfType(template, 'AWS::IAM::ManagedPolicy')]) {
    const p = resource.Properties ?? {};
    attach(id, document(resolver.resolve(p.PolicyDocument), id), p.Roles);
  }

  const resourcePolicies = new Map<string, PolicyDocument>();
  const protect = (arn: string, policy: PolicyDocument) => {
    const existing = resourcePolicies.get(arn);
    resourcePolicies.set(arn, existing ? { Version: '2012-10-17', Statement: [...existing.Statement, ...policy.Statement] } : policy);
  };
  for (const [id, resource] of resourcesOfType(template, 'AWS::SQS::QueuePolicy')) {
    const p = resource.Properties ?? {};
    const policy = document(resolver.resolve(p.PolicyDocument), id);
    for (const queue of asArray(p.Queues)) protect(resolver.getAtt(resolver.logicalIdOf(resolver.resolveString(queue, `${id}.Queues`)), 'Arn'), policy);
  }
  for (const [id, resource] of resourcesOfType(template, 'AWS::SNS::TopicPolicy')) {
    const p = resource.Properties ?? {};
    const policy = document(resolver.resolve(p.PolicyDocument), id);
    for (const topic of asArray(p.Topics)) protect(resolver.resolveString(topic, `${id}.Topics`), policy);
  }
  for (const [id, resource] of resourcesOfType(template, 'AWS::Events::EventBusPolicy')) {
    const p = (resolver.resolve(resource.Properties ?? {}) ?? {}) as Record<string, unknown>;
    const busArn = resolver.arn('events', `event-bus/${String(p.EventBusName ?? 'default')}`);
    protect(busArn, p.Statement ? { Version: '2012-10-17', Statement: [p.Statement as Record<string, unknown>] } : document(p.Policy, id));
  }
  for (const [id, bus] of resourcesOfType(template, 'AWS::Events::EventBus')) {
    const policy = bus.Properties?.Policy;
    if (policy) protect(resolver.getAtt(id, 'Arn'), document(resolver.resolve(policy), `${id}.Policy`));
  }
  // KMS allows a use of a key only if its key policy does (by name, or by delegating to the account's IAM policies).
  for (const [id, key] of resourcesOfType(template, 'AWS::KMS::Key')) {
    const policy = key.Properties?.KeyPolicy;
    if (policy) protect(resolver.getAtt(id, 'Arn'), document(resolver.resolve(policy), `${id}.KeyPolicy`));
  }
  for (const [id, resource] of resourcesOfType(template, 'AWS::Lambda::Permission')) {
    const p = (resolver.resolve(resource.Properties ?? {}) ?? {}) as Record<string, string | undefined>;
    const functionArn = String(p.FunctionName);
    const condition: Record<string, Record<string, string>> = {};
    if (p.SourceArn) condition.ArnLike = { 'aws:SourceArn': p.SourceArn };
    if (p.SourceAccount) condition.StringEquals = { 'aws:SourceAccount': p.SourceAccount };
    const principal = String(p.Principal).endsWith('.amazonaws.com') ? { Service: p.Principal } : { AWS: p.Principal };
    protect(functionArn.replace(/:\*$/, ''), {
      Version: '2012-10-17',
      Statement: [{ Sid: id, Effect: 'Allow', Principal: principal, Action: p.Action, Resource: functionArn, ...(Object.keys(condition).length ? { Condition: condition } : {}) }],
    });
  }
  return { roles, resourcePolicies };
}

export const ACCOUNT = LOCAL_ACCOUNT;
