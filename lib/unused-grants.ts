/**
 * Least privilege, both ways: the local run authorizes every call against the
 * synthesized IAM (too little fails a test), and `npm run iam-report` lists
 * every grant of the locally exercised roles that no test used (too much).
 * A grant the tests cannot use (the Lambda runtime's log writes, X-Ray, Step
 * Functions' log delivery…) is justified here, next to the grant, as metadata
 * on the role that the report reads; any other unused grant is removed.
 */
import { CfnResource } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';

/** The metadata key on an AWS::IAM::Role: a list of {@link UnusedGrantJustification}. */
export const UNUSED_GRANT_JUSTIFICATIONS = 'bhxh:unused-grant-justifications';

export interface UnusedGrantJustification {
  /** IAM actions (wildcards allowed) of the role's grants that the tests never use. */
  actions: string[];
  /** Only the grants of those actions on these resources (the grants' own ARNs); every resource when absent. */
  resources?: string[];
  /** Why the deployed role needs them although no test uses them. */
  reason: string;
}

/** Records on the role (one this stack creates) that its grants of `actions` go unused in the tests, and why they stay. */
export function justifyUnusedGrants(role: IRole, actions: readonly string[], reason: string, resources?: readonly string[]): void {
  const resource = role.node.defaultChild;
  if (!CfnResource.isCfnResource(resource) || resource.cfnResourceType !== 'AWS::IAM::Role') {
    throw new Error(`${role.node.path}: unused grants can be justified only on a role this stack creates`);
  }
  if (actions.length === 0 || reason.trim() === '') throw new Error(`${role.node.path}: a justification names its actions and gives a reason`);
  const existing = (resource.getMetadata(UNUSED_GRANT_JUSTIFICATIONS) ?? []) as UnusedGrantJustification[];
  const justification: UnusedGrantJustification = { actions: [...actions], ...(resources ? { resources: [...resources] } : {}), reason };
  resource.addMetadata(UNUSED_GRANT_JUSTIFICATIONS, [...existing, justification]);
}
