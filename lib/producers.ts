/**
 * Producers bound to their source (SPEC rule 11). Each catalogue source has
 * its producers (context `bhxh:producers`: source → principal ARNs; by default
 * the role `bhxh-producer-<system>` of this account). The bus policy:
 * - lets a producer of another account publish only its own source;
 * - denies every principal but a source's producers the right to publish that
 *   source, even one of this account whose IAM allows events:PutEvents on *;
 * - denies anyone but the system's own roles the system's source.
 * Producers in this account attach the managed policy of their source
 * (`BhxhNotify-Publish-<system>`, an output of the stack).
 *
 * events:source is multivalued (one value per entry of a PutEvents call), so
 * conditions use ForAllValues/ForAnyValue with a Null check, as AWS documents
 * for multivalued keys.
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import { AnyPrincipal, ArnPrincipal, Effect, type IRole, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { NOTIFY_SOURCE, Source } from '../lambdas/domain/catalogue.ts';

/** A statement allowing PutEvents on the bus for these sources only. */
export function putEventsOf(busArn: string, sources: readonly string[]): PolicyStatement {
  return new PolicyStatement({
    actions: ['events:PutEvents'],
    resources: [busArn],
    conditions: { 'ForAllValues:StringEquals': { 'events:source': [...sources] }, Null: { 'events:source': 'false' } },
  });
}

/** What the system's own functions may publish: vn.gov.bhxh.notify, and nothing else. */
export const publishOwnEvents = (busArn: string) => putEventsOf(busArn, [NOTIFY_SOURCE]);

const shortName = (source: string) => source.split('.').at(-1) ?? source;

/** `bhxh:producers` or the default: each source's producer role in this account. */
export function readProducers(scope: Construct): Record<string, string[]> {
  const account = Stack.of(scope).account;
  const raw = scope.node.tryGetContext('bhxh:producers');
  const configured = typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {});
  if (typeof configured !== 'object' || configured === null || Array.isArray(configured))
    throw new Error('Context bhxh:producers must be an object of source → list of principal ARNs');
  const producers: Record<string, string[]> = {};
  for (const source of Object.values(Source)) {
    const given = (configured as Record<string, unknown>)[source];
    if (given !== undefined && (!Array.isArray(given) || given.some((p) => typeof p !== 'string' || !p.startsWith('arn:')))) {
      throw new Error(`Context bhxh:producers.${source} must be a list of principal ARNs, got ${JSON.stringify(given)}`);
    }
    producers[source] = (given as string[] | undefined) ?? [`arn:aws:iam::${account}:role/bhxh-producer-${shortName(source)}`];
  }
  for (const source of Object.keys(configured)) if (!(source in producers)) throw new Error(`Context bhxh:producers names ${source}, which is not a source of the catalogue`);
  return producers;
}

export interface ProducerAccessProps {
  bus: EventBus;
  /** The roles of the functions that publish the system's own events. */
  systemRoles: IRole[];
}

export class ProducerAccess extends Construct {
  readonly producers: Record<string, string[]>;

  constructor(scope: Construct, id: string, props: ProducerAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.producers = readProducers(this);
    const busArn = props.bus.eventBusArn;
    for (const [source, principals] of Object.entries(this.producers)) {
      const name = shortName(source);
      const policy = new ManagedPolicy(this, `Publish${name}`, {
        managedPolicyName: `BhxhNotify-Publish-${name}`,
        description: `Lets a producer role of this account publish ${source} events (and only those) on ${props.bus.eventBusName}`,
        statements: [putEventsOf(busArn, [source])],
      });
      new CfnOutput(stack, `PublishPolicy${name}`, { value: policy.managedPolicyArn, description: `Attach to the ${source} producer's role` });
      const foreign = principals.filter((p) => !p.includes(`:${stack.account}:`));
      if (foreign.length > 0) {
        props.bus.addToResourcePolicy(
          new PolicyStatement({
            sid: `Publish-${name}`,
            principals: foreign.map((p) => new ArnPrincipal(p)),
            actions: ['events:PutEvents'],
            resources: [busArn],
            conditions: { 'ForAllValues:StringEquals': { 'events:source': [source] }, Null: { 'events:source': 'false' } },
          }),
        );
      }
      props.bus.addToResourcePolicy(
        new PolicyStatement({
          sid: `OnlyItsProducers-${name}`,
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['events:PutEvents'],
          resources: [busArn],
          conditions: { 'ForAnyValue:StringEquals': { 'events:source': [source] }, ArnNotLike: { 'aws:PrincipalArn': principals } },
        }),
      );
    }
    props.bus.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheSystem-notify',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [busArn],
        conditions: { 'ForAnyValue:StringEquals': { 'events:source': [NOTIFY_SOURCE] }, ArnNotLike: { 'aws:PrincipalArn': props.systemRoles.map((r) => r.roleArn) } },
      }),
    );
  }
}
