/**
 * Acknowledging a cdk-nag finding about one resource ARN: the finding names
 * the ARN as cdk-nag flattens it (`<AWS::Partition>`, `<AWS::AccountId>` for
 * an account left to the CLI, `<Id.Attr>` for an attribute), so the
 * acknowledgement is built from the same ARN the policy uses, whatever the
 * account and region of the synth.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** An ARN (or any value) as cdk-nag writes it in a finding. */
export function nagText(scope: IConstruct, value: unknown): string {
  const visit = (node: unknown): string => {
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
    const v = (node ?? {}) as { 'Fn::Join'?: [string, unknown[]]; 'Fn::Sub'?: unknown; 'Fn::GetAtt'?: [unknown, unknown]; Ref?: unknown };
    if (v['Fn::Join']) return v['Fn::Join'][1].map(visit).join(v['Fn::Join'][0]);
    if (v['Fn::Sub']) return visit(v['Fn::Sub']);
    if (v['Fn::GetAtt']) return `<${visit(v['Fn::GetAtt'][0])}.${visit(v['Fn::GetAtt'][1])}>`;
    if (v.Ref) return `<${visit(v.Ref)}>`;
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(value));
}

/** Acknowledges AwsSolutions-IAM5 for exactly this wildcard resource, with the reason it is needed. */
export function acknowledgeWildcardResource(on: IConstruct, resource: string, reason: string): void {
  Validations.of(on).acknowledge({ id: `AwsSolutions-IAM5[Resource::${nagText(on, resource)}]`, reason });
}
