/**
 * What the local run refuses before it starts, checked without starting it (no
 * DynamoDB Local, no emulators): for tests that take a template apart one grant
 * or variable at a time.
 */
import { checkTemplate } from './assembly.ts';
import { LOCAL_REGION } from './dynamodb-local.ts';
import { Provisioning } from './emulators/provisioning.ts';
import { environmentContractProblems, IamEnforcement } from './iam/enforcement.ts';
import { type CfnTemplate, Resolver } from './template.ts';

/**
 * Everything the local run refuses before it starts, without starting it:
 * the template checks (quotas, state machine definitions) and what AWS refuses
 * at deploy or on every invocation (environment contracts, event source
 * mappings' and subscriptions' permissions, alarms that cannot notify).
 */
export async function deployProblems(template: CfnTemplate): Promise<string[]> {
  const resolver = new Resolver(template, LOCAL_REGION, 'check_');
  const provisioning = new Provisioning(template, resolver);
  return [
    ...checkTemplate(template),
    ...(await new IamEnforcement(template, resolver).startupProblems(provisioning.functions(), provisioning.mappings(), provisioning.streamMappings())),
  ];
}

/** The environment-contract part of deployProblems alone: cheap enough to run once per variable of the template. */
export function environmentContractProblemsOf(template: CfnTemplate): string[] {
  return environmentContractProblems(new Provisioning(template, new Resolver(template, LOCAL_REGION, 'check_')).functions());
}
