/**
 * The pure part of `npm run iam-report` (scripts/iam-report.ts): which roles
 * the local run exercises, each Allow grant of theirs (one action pattern ×
 * one resource pattern), which of them some recorded call used, and which of
 * the unused ones the stack justifies (lib/unused-grants.ts).
 *
 * A recorded call is `<role logical id>|<action>|<resource ARN>` as the local
 * run resolved it (local/iam/authorizer.ts). Grants are resolved the same way
 * (local/template.ts Resolver), with `*` as the table prefix: each local
 * system names its tables `<random prefix><logical id>`.
 */
import { UNUSED_GRANT_JUSTIFICATIONS, type UnusedGrantJustification } from '../../lib/unused-grants.ts';
import { LOCAL_REGION } from '../../local/dynamodb-local.ts';
import { type CfnResource, type CfnTemplate, Resolver, resourcesOfType } from '../../local/template.ts';

export interface Grant {
  /** The policy that grants it (an AWS::IAM::Policy's logical id, or `<role>/<inline policy name>`). */
  policy: string;
  action: string;
  /** The resource pattern, resolved as the local run resolves ARNs. */
  resource: string;
  /** Set for a NotResource statement: the action on every resource but these (`resource` then reads `NOT …`). */
  notResources?: string[];
}

export interface RoleUnderReport {
  logicalId: string;
  /** The role's construct path (`aws:cdk:path` metadata): where its grants are made. */
  path: string;
  /** What exercises the role locally: `function <id>`, `state machine <id>`, `schedules`. */
  exercisedBy: string[];
  grants: Grant[];
  /** Their resources resolved as the grants' are. */
  justifications: UnusedGrantJustification[];
}

export interface Usage {
  role: string;
  action: string;
  resource: string;
}

export interface UnusedGrant {
  role: RoleUnderReport;
  grant: Grant;
  /** The reason the stack gives for keeping it, if any. */
  justification?: string;
}

export interface IamProblem {
  kind: 'no-usage' | 'unreadable' | 'unjustified' | 'stale-justification';
  message: string;
}

export interface IamReport {
  roles: RoleUnderReport[];
  usageCount: number;
  unused: UnusedGrant[];
  /** What fails the report: no usage recorded, grants it cannot read, unjustified unused grants, stale justifications. */
  problems: IamProblem[];
}

/** IAM wildcard matching: `*` any run of characters, `?` one character; actions ignore case, ARNs do not. */
export function iamMatches(pattern: string, value: string, options: { ignoreCase?: boolean } = {}): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, options.ignoreCase ? 'is' : 's').test(value);
}

/** Whether a recorded call is one the grant allows: the same role, a matching action, a matching resource. */
export function grantAllows(roleId: string, grant: Grant, usage: Usage): boolean {
  if (usage.role !== roleId || !iamMatches(grant.action, usage.action, { ignoreCase: true })) return false;
  if (grant.notResources) return !grant.notResources.some((pattern) => iamMatches(pattern, usage.resource));
  return iamMatches(grant.resource, usage.resource);
}

/** Recorded calls, one JSON string per line (the files of the usage directory); blank lines are skipped. */
export function parseUsage(text: string): Usage[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const record: unknown = JSON.parse(line);
      if (typeof record !== 'string') throw new Error(`IAM usage line is not a JSON string: ${line}`);
      const [role, action, ...resource] = record.split('|');
      if (!role || !action || resource.length === 0) throw new Error(`IAM usage record is not <role>|<action>|<resource>: ${record}`);
      return { role, action, resource: resource.join('|') };
    });
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** The logical id of the role behind a `{"Fn::GetAtt": [role, "Arn"]}`, or undefined when it is not one. */
function roleIdOf(roleArn: unknown): string | undefined {
  const getAtt = (roleArn as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  const [id, attribute] = Array.isArray(getAtt) ? getAtt : typeof getAtt === 'string' ? getAtt.split('.') : [];
  return attribute === 'Arn' && typeof id === 'string' ? id : undefined;
}

/**
 * The roles the local run exercises, with what exercises each: our functions
 * (those with `bhxh:entry` metadata), the state machines, and the roles
 * Scheduler delivers with (a schedule's Target RoleArn).
 */
export function exercisedRoles(template: CfnTemplate): { roles: Map<string, string[]>; problems: IamProblem[] } {
  const roles = new Map<string, string[]>();
  const problems: IamProblem[] = [];
  const add = (roleArn: unknown, by: string) => {
    const id = roleIdOf(roleArn);
    if (!id || template.Resources[id]?.Type !== 'AWS::IAM::Role') {
      problems.push({ kind: 'unreadable', message: `${by}: its role ${JSON.stringify(roleArn)} is not a role of the template` });
      return;
    }
    const list = roles.get(id) ?? [];
    if (!list.includes(by)) list.push(by);
    roles.set(id, list);
  };
  for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) if (fn.Metadata?.['bhxh:entry']) add(fn.Properties?.Role, `function ${id}`);
  for (const [id, machine] of resourcesOfType(template, 'AWS::StepFunctions::StateMachine')) add(machine.Properties?.RoleArn, `state machine ${id}`);
  for (const [, schedule] of resourcesOfType(template, 'AWS::Scheduler::Schedule')) add((schedule.Properties?.Target as { RoleArn?: unknown } | undefined)?.RoleArn, 'schedules');
  return { roles, problems };
}

/** Each Allow of the role's policies as (action × resource) grants; what the report cannot read goes to `problems`. */
export function grantsOfRole(template: CfnTemplate, resolver: Resolver, roleId: string, problems: IamProblem[]): Grant[] {
  const role = template.Resources[roleId] as CfnResource;
  const documents: Array<{ policy: string; document: unknown }> = asArray(role.Properties?.Policies).map((inline, i) => {
    const named = inline as { PolicyName?: unknown; PolicyDocument?: unknown };
    return { policy: `${roleId}/${String(named.PolicyName ?? i)}`, document: named.PolicyDocument };
  });
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, policy] of resourcesOfType(template, type)) {
      if (asArray(policy.Properties?.Roles).some((ref) => (ref as { Ref?: unknown } | null)?.Ref === roleId))
        documents.push({ policy: id, document: policy.Properties?.PolicyDocument });
    }
  }
  for (const arn of asArray(role.Properties?.ManagedPolicyArns)) {
    problems.push({ kind: 'unreadable', message: `${roleId}: managed policy ${JSON.stringify(arn)} is attached; the report cannot see its grants` });
  }

  const grants: Grant[] = [];
  for (const { policy, document } of documents) {
    for (const statement of asArray((document as { Statement?: unknown } | undefined)?.Statement) as Array<Record<string, unknown>>) {
      if (statement.Effect !== 'Allow') continue;
      if (statement.NotAction !== undefined) {
        problems.push({ kind: 'unreadable', message: `${roleId} (${policy}): a NotAction statement; the report cannot tell which actions it grants` });
        continue;
      }
      const patterns = (value: unknown) => asArray(value).map((r) => resolver.resolveString(r, `${policy} statement resource`));
      const actions = asArray(statement.Action).map(String);
      if (statement.NotResource !== undefined) {
        const notResources = patterns(statement.NotResource);
        for (const action of actions) grants.push({ policy, action, resource: `NOT ${notResources.join(', ')}`, notResources });
        continue;
      }
      for (const action of actions) for (const resource of patterns(statement.Resource)) grants.push({ policy, action, resource });
    }
  }
  return grants;
}

/** Reads the stack's justifications off a role (lib/unused-grants.ts), their resources resolved as the grants' are. */
export function justificationsOf(role: CfnResource, resolver: Resolver): UnusedGrantJustification[] {
  const recorded = role.Metadata?.[UNUSED_GRANT_JUSTIFICATIONS];
  if (recorded === undefined) return [];
  if (!Array.isArray(recorded)) throw new Error(`${UNUSED_GRANT_JUSTIFICATIONS} is not a list: ${JSON.stringify(recorded)}`);
  return recorded.map((j) => {
    const { actions, resources, reason } = (j ?? {}) as Partial<Record<keyof UnusedGrantJustification, unknown>>;
    if (!Array.isArray(actions) || typeof reason !== 'string' || (resources !== undefined && !Array.isArray(resources))) {
      throw new Error(`${UNUSED_GRANT_JUSTIFICATIONS}: not {actions, resources?, reason}: ${JSON.stringify(j)}`);
    }
    return {
      actions: actions.map(String),
      ...(resources ? { resources: resources.map((r) => resolver.resolveString(r, `${UNUSED_GRANT_JUSTIFICATIONS} resource`)) } : {}),
      reason,
    };
  });
}

/** Whether the justification covers the grant: one of its actions is (or matches) the grant's, on one of its resources if it names any. */
export function justifies(justification: UnusedGrantJustification, grant: Grant): boolean {
  const action = justification.actions.some((a) => a.toLowerCase() === grant.action.toLowerCase() || iamMatches(a, grant.action, { ignoreCase: true }));
  return action && (justification.resources === undefined || justification.resources.some((r) => r === grant.resource || iamMatches(r, grant.resource)));
}

/** The report: every exercised role's grants against the recorded calls, and what fails it. */
export function buildIamReport(template: CfnTemplate, usage: readonly Usage[]): IamReport {
  const resolver = new Resolver(template, LOCAL_REGION, '*');
  const { roles: exercised, problems } = exercisedRoles(template);
  if (usage.length === 0) {
    problems.push({ kind: 'no-usage', message: 'No IAM usage was recorded (the usage directory is empty): run npm test first, then npm run iam-report.' });
  }

  const roles: RoleUnderReport[] = [...exercised].map(([logicalId, exercisedBy]) => {
    const resource = template.Resources[logicalId] as CfnResource;
    return {
      logicalId,
      path: String(resource.Metadata?.['aws:cdk:path'] ?? logicalId),
      exercisedBy,
      grants: grantsOfRole(template, resolver, logicalId, problems),
      justifications: justificationsOf(resource, resolver),
    };
  });

  const unused: UnusedGrant[] = [];
  for (const role of roles) {
    const usageOfRole = usage.filter((u) => u.role === role.logicalId);
    const unusedOfRole = role.grants.filter((grant) => !usageOfRole.some((u) => grantAllows(role.logicalId, grant, u)));
    for (const grant of unusedOfRole) {
      const justification = role.justifications.find((j) => justifies(j, grant))?.reason;
      unused.push({ role, grant, ...(justification ? { justification } : {}) });
      if (!justification) {
        problems.push({ kind: 'unjustified', message: `${role.logicalId} (${role.path}): ${grant.action} on ${grant.resource} is never used and not justified` });
      }
    }
    // Each action a justification names must still cover an unused grant: once the tests use it, the justification goes.
    for (const j of role.justifications) {
      for (const action of j.actions) {
        if (unusedOfRole.some((grant) => justifies({ ...j, actions: [action] }, grant))) continue;
        const on = j.resources ? ` on ${j.resources.join(', ')}` : '';
        problems.push({
          kind: 'stale-justification',
          message: `${role.logicalId} (${role.path}): ${action}${on} is justified as unused ("${j.reason}") but no unused grant matches: remove the justification`,
        });
      }
    }
  }
  return { roles, usageCount: usage.length, unused, problems };
}

/** The report as text: per role, its unused grants under their justification (UNJUSTIFIED first), then what fails it. */
export function formatIamReport(report: IamReport): string {
  const lines: string[] = [`IAM grants of the locally exercised roles, against ${report.usageCount} recorded calls`, ''];
  for (const role of report.roles) {
    const unused = report.unused.filter((u) => u.role === role);
    lines.push(`${role.logicalId}  ${role.path}  (${role.exercisedBy.join(', ')})`);
    lines.push(`  ${role.grants.length} grants: ${role.grants.length - unused.length} used, ${unused.length} unused`);
    const actionWidth = Math.max(0, ...unused.map((u) => u.grant.action.length));
    const groups = new Map<string, UnusedGrant[]>();
    for (const u of [...unused].sort((x, y) => Number(x.justification !== undefined) - Number(y.justification !== undefined))) {
      const heading = u.justification === undefined ? 'UNJUSTIFIED' : `justified: ${u.justification}`;
      groups.set(heading, [...(groups.get(heading) ?? []), u]);
    }
    for (const [heading, grants] of groups) {
      lines.push(`    ${heading}`);
      for (const u of grants) lines.push(`      ${u.grant.action.padEnd(actionWidth)}  ${u.grant.resource}`);
    }
    lines.push('');
  }
  const unjustified = report.problems.filter((p) => p.kind === 'unjustified').length;
  if (report.problems.length === 0) lines.push('OK: every grant is used by the tests or justified in code.');
  if (unjustified > 0) lines.push(`FAILED: ${unjustified} unused grant(s) UNJUSTIFIED above: remove each, or justify it next to the grant (justifyUnused, lib/unused-grants.ts).`);
  for (const p of report.problems) if (p.kind !== 'unjustified') lines.push(`FAILED: ${p.message}`);
  return `${lines.join('\n')}\n`;
}
