/**
 * Variants of the synthesized template with one thing taken away, to show
 * that the local run refuses what AWS would: a grant, a variable, a statement
 * of a resource policy.
 */
import type { CfnTemplate } from '../../local/template.ts';
import { stackTemplate } from './local-system.ts';

type Statement = { Action?: string | string[]; Effect?: string; Principal?: unknown };
type PolicyDocument = { Statement: Statement[] };

/** A copy of the stack's template (synthesized once for the run) to change. */
export const freshTemplate = (): CfnTemplate => stackTemplate();

/** The logical id of the one resource of `type` whose id starts with `prefix`. */
export function logicalId(template: CfnTemplate, type: string, prefix: string): string {
  const ids = Object.entries(template.Resources)
    .filter(([id, r]) => r.Type === type && id.startsWith(prefix))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}

/** Removes `action` from every statement of the policies attached to the role `rolePrefix*`; throws if it granted nothing. */
export function withoutGrant(template: CfnTemplate, rolePrefix: string, action: string): CfnTemplate {
  const role = logicalId(template, 'AWS::IAM::Role', rolePrefix);
  let removed = 0;
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const roles = JSON.stringify(resource.Properties?.Roles ?? []);
    if (!roles.includes(`"${role}"`)) continue;
    const document = resource.Properties?.PolicyDocument as PolicyDocument;
    for (const statement of document.Statement) {
      const actions = [statement.Action ?? []].flat();
      if (!actions.includes(action)) continue;
      statement.Action = actions.filter((a) => a !== action);
      removed += 1;
    }
    document.Statement = document.Statement.filter((s) => [s.Action ?? []].flat().length > 0);
  }
  if (removed === 0) throw new Error(`${role} has no grant of ${action}`);
  return template;
}

/** Removes an environment variable from a function (by logical id). */
export function withoutVariable(template: CfnTemplate, functionId: string, variable: string): CfnTemplate {
  const variables = (template.Resources[functionId]?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
  if (!variables || !(variable in variables)) throw new Error(`${functionId} has no variable ${variable}`);
  delete variables[variable];
  return template;
}

/** Removes the statements of `resourceType` policies (queue or topic policies) whose principal is `service`. */
export function withoutServiceStatements(template: CfnTemplate, resourceType: string, service: string): CfnTemplate {
  let removed = 0;
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== resourceType) continue;
    const document = resource.Properties?.PolicyDocument as PolicyDocument;
    const kept = document.Statement.filter((s) => !(s.Effect === 'Allow' && JSON.stringify(s.Principal ?? '').includes(service)));
    removed += document.Statement.length - kept.length;
    document.Statement = kept;
  }
  if (removed === 0) throw new Error(`no ${resourceType} statement lets ${service}`);
  return template;
}

/** Every function of ours: logical id, entry, variable names. */
export function ourFunctions(template: CfnTemplate): Array<{ id: string; entry: string; variables: string[] }> {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && typeof r.Metadata?.['bhxh:entry'] === 'string')
    .map(([id, r]) => ({
      id,
      entry: String(r.Metadata?.['bhxh:entry']),
      variables: Object.keys((r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}).filter((v) => !v.startsWith('POWERTOOLS_')),
    }));
}
