/**
 * Every AWS call the local run makes on a function's behalf is authorized
 * before it reaches DynamoDB Local or an emulator, the way AWS does: the
 * caller's identity policies and, where AWS checks one, the target's resource
 * policy, evaluated by @cloud-copilot/iam-simulate (actions, resources,
 * conditions, explicit denies). A denied call fails like AWS fails it, with an
 * AccessDeniedException naming the caller, the action and the resource.
 *
 * Every decision is recorded: the allowing statements feed `npm run
 * iam-report` (grants no scenario ever used), the denials are kept on the
 * local system for the run's report.
 */
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT, type IamModel, type PolicyDocument, type RoleModel } from './model.ts';

/** Who makes a call: a role of the template (a function, a state machine, a schedule), or an AWS service delivering to a resource. */
export type IamPrincipal = { role: RoleModel; name: string } | { service: string; name: string };

export interface IamRequest {
  action: string;
  resource: string;
  /** Request context keys (events:source, aws:SourceArn…); AWS sets the principal's own. */
  context?: Record<string, string | string[]>;
}

export interface IamDecision {
  caller: string;
  action: string;
  resource: string;
  allowed: boolean;
  /** For a role's allowed request, `<role>|<action>|<resource>`: what `npm run iam-report` matches against each grant. */
  grants: string[];
}

export class AccessDenied extends Error {
  override name = 'AccessDeniedException';
  readonly $metadata = { httpStatusCode: 400 };
  constructor(
    readonly caller: string,
    readonly action: string,
    readonly resource: string,
    why: string,
  ) {
    super(`User: ${caller} is not authorized to perform: ${action} on resource: ${resource} because ${why}`);
  }
}

export interface AuthorizerOptions {
  onDecision?(decision: IamDecision): void;
}

export class Authorizer {
  private readonly cache = new Map<string, Promise<{ allowed: boolean; why: string; grants: string[] }>>();

  constructor(
    private readonly model: IamModel,
    private readonly options: AuthorizerOptions = {},
  ) {}

  role(logicalId: string): RoleModel {
    const role = this.model.roles.get(logicalId);
    if (!role) throw new Error(`The template has no role ${logicalId}`);
    return role;
  }

  roleByArn(arn: string): RoleModel | undefined {
    return [...this.model.roles.values()].find((r) => r.arn === arn);
  }

  /** Every resource policy, by the ARN of what it protects. */
  resourcePolicies(): Iterable<[string, PolicyDocument]> {
    return this.model.resourcePolicies.entries();
  }

  resourcePolicy(arn: string): PolicyDocument | undefined {
    return this.model.resourcePolicies.get(arn);
  }

  /** Authorizes each request in turn (a transaction needs every item's action); throws at the first denial. */
  /** `resourcePolicyOf` overrides where the resource policy comes from (a role's trust policy for sts:AssumeRole); by default the policy that protects the request's resource. */
  async authorize(principal: IamPrincipal, requests: readonly IamRequest[], resourcePolicyOf?: (request: IamRequest) => PolicyDocument | undefined): Promise<void> {
    for (const request of requests) {
      const resourcePolicy = resourcePolicyOf ? resourcePolicyOf(request) : this.model.resourcePolicies.get(request.resource.replace(/:\*$/, ''));
      const decision = await this.decide(principal, request, resourcePolicy);
      this.options.onDecision?.({ caller: principal.name, action: request.action, resource: request.resource, allowed: decision.allowed, grants: decision.grants });
      if (!decision.allowed) throw new AccessDenied(principal.name, request.action, request.resource, decision.why);
    }
  }

  private decide(principal: IamPrincipal, request: IamRequest, resourcePolicy: PolicyDocument | undefined) {
    const key = JSON.stringify([principal.name, request, resourcePolicy]);
    let decision = this.cache.get(key);
    if (!decision) {
      decision = this.simulate(principal, request, resourcePolicy);
      this.cache.set(key, decision);
    }
    return decision;
  }

  private async simulate(principal: IamPrincipal, request: IamRequest, resourcePolicy: PolicyDocument | undefined) {
    const isRole = 'role' in principal;
    const context: Record<string, string | string[]> = {
      'aws:SecureTransport': 'true',
      ...(isRole ? { 'aws:PrincipalArn': principal.role.arn, 'aws:PrincipalAccount': ACCOUNT } : { 'aws:PrincipalServiceName': principal.service }),
      ...request.context,
    };
    const simulation: Simulation = {
      identityPolicies: isRole ? principal.role.policies : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
      request: {
        principal: isRole ? principal.role.arn : principal.service,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: context,
      },
    };
    const result = await runSimulation(simulation, {});
    let overall: string;
    if (result.resultType === 'error') {
      // The Service Authorization Reference lists no resource type for states:SendTask* (so the simulator wants "*"), yet AWS
      // evaluates them against the execution's state machine, and refuses a grant on another one (AccessDenied "on resource:
      // arn:aws:states:…:stateMachine:…"). Those are evaluated as AWS does, without the reference's check.
      if (!/must\.use\.wildcard/.test(JSON.stringify(result.errors)) || !request.action.startsWith('states:SendTask')) {
        // Not a denial: the request itself is malformed (an action or resource ARN AWS does not know), a bug of the local run's mapping.
        throw new Error(`IAM simulation of ${request.action} on ${request.resource} for ${principal.name} failed: ${JSON.stringify(result.errors).slice(0, 600)}`);
      }
      overall = runUnsafeSimulation(simulation, {});
    } else {
      overall = result.overallResult;
    }
    const allowed = overall === 'Allowed';
    const grants = isRole && allowed ? [`${principal.role.logicalId}|${request.action}|${request.resource}`] : [];
    const why =
      overall === 'ExplicitlyDenied'
        ? 'an explicit deny in a policy applies'
        : isRole
          ? `no identity-based policy of ${principal.role.logicalId} allows it${resourcePolicy ? ' and no resource-based policy allows it either' : ''}`
          : resourcePolicy
            ? 'the resource-based policy does not allow the service'
            : 'the resource has no resource-based policy that allows the service';
    return { allowed, why, grants };
  }
}
