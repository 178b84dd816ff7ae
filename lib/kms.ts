/**
 * The stack's customer-managed KMS keys, each with a key policy that names who
 * may use it and for what ("No secret at rest, anywhere"):
 *
 * - the queue key encrypts every queue that holds message bodies (the intake
 *   queues, the quarantine, the send queues and their dead-letter queue);
 * - the secret key seals the password or one-time code inside a send-queue
 *   message: the intake may only encrypt with it, the sender may only decrypt.
 *
 * KMS allows a use only when the key policy allows it. These policies give the
 * account (its administrators, CloudFormation) the management of the keys and
 * none of their uses. The secret key's policy names the two roles that use it;
 * the queue key's lets EventBridge's rules of the bus, and the account's IAM
 * principals through SQS only (each role's policy names the key and its
 * actions).
 */
import { Stack } from 'aws-cdk-lib';
import { AccountRootPrincipal, Grant, PolicyDocument, PolicyStatement, Role, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { EVENT_BUS_NAME } from '../lambdas/domain/catalogue.ts';
import { justifyUnusedGrants } from './unused-grants.ts';

/** What bindSecretKey needs of a NotifyFunction (not imported: notify-function.ts imports queues.ts, which imports this). */
interface FunctionWithContract<N extends string> extends IGrantable, Construct {
  setVariable(name: N, value: string): unknown;
}

/** Managing the key (what CloudFormation and the account's administrators do), never using it: no Encrypt, Decrypt or GenerateDataKey. */
export const KEY_ADMIN_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:ListKeyPolicies',
  'kms:GetKeyRotationStatus',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:ListKeyRotations',
  'kms:RotateKeyOnDemand',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:UpdateKeyDescription',
  'kms:ListResourceTags',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:UpdateAlias',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

type Conditions = Record<string, Record<string, unknown>>;

/**
 * A key whose policy lets the account manage it and nothing more; each use is
 * granted with the key's conditions, as a statement of the key policy naming
 * the grantee (and the same in its identity policy), or, for a key whose
 * policy delegates a narrow use to IAM, in the identity policy only. CDK's Key
 * would add identity statements under a key policy that lets the account's
 * IAM policies use the key in any way.
 */
export class NarrowKey extends Key {
  constructor(
    scope: Construct,
    id: string,
    props: { description: string },
    private readonly use: {
      /** Added to every grant: how the key may be used (through which service, with which encryption context). */
      conditions?: Conditions;
      /**
       * `key-policy` (default): each grant is also a statement of the key policy naming the grantee. `identity`: the
       * grant is in the grantee's identity policy only, for a key whose policy delegates that use to IAM.
       */
      in?: 'key-policy' | 'identity';
      /** Why the local run never uses these grants (for `npm run iam-report`, lib/unused-grants.ts); identity grants only. */
      unusedLocally?: string;
    } = {},
  ) {
    super(scope, id, {
      description: props.description,
      enableKeyRotation: true,
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'KeyAdministrationOnly',
            principals: [new AccountRootPrincipal()],
            actions: KEY_ADMIN_ACTIONS,
            resources: ['*'],
          }),
        ],
      }),
    });
  }

  override grant(grantee: IGrantable, ...actions: string[]): Grant {
    const conditions = this.use.conditions ? { conditions: this.use.conditions } : {};
    if (this.use.in === 'identity') {
      const grant = Grant.addToPrincipal({ grantee, actions, resourceArns: [this.keyArn], ...conditions });
      const role = grantee.grantPrincipal;
      if (this.use.unusedLocally && role instanceof Role) justifyUnusedGrants(role, actions, this.use.unusedLocally, [this.keyArn]);
      return grant;
    }
    // A key policy names its own key as "*".
    return Grant.addToPrincipalAndResource({ grantee, actions, resourceArns: [this.keyArn], resource: this, resourceSelfArns: ['*'], ...conditions });
  }

  /** Decrypt only (CDK's grantDecrypt is the same). */
  override grantDecrypt(grantee: IGrantable): Grant {
    return this.grant(grantee, 'kms:Decrypt');
  }

  /** Encrypt only: CDK's grantEncrypt would add kms:ReEncrypt* and kms:GenerateDataKey*. */
  override grantEncrypt(grantee: IGrantable): Grant {
    return this.grant(grantee, 'kms:Encrypt');
  }
}

/** The key of the stack's queues: one per stack, created by the first queue that needs it. */
export function queueKey(scope: Construct): NarrowKey {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild('QueueKey');
  if (existing) return existing as NarrowKey;
  const viaSqs = { StringEquals: { 'kms:ViaService': `sqs.${stack.region}.amazonaws.com`, 'kms:CallerAccount': stack.account } };
  // The roles' grants (lib/queues.ts grantSendOnly, NotifyFunction.consumeQueue) are in their identity policies, each
  // naming this key with the actions that role needs, through SQS only. Naming the roles in the key policy as well
  // would make a cycle: a queue needs its key, the key would need the roles, and a role's metadata names its queues.
  const key = new NarrowKey(
    stack,
    'QueueKey',
    { description: 'Encrypts the BHXH Notify queues (events, messages to send, quarantine, dead letters)' },
    {
      conditions: viaSqs,
      in: 'identity',
      unusedLocally: "SQS calls KMS for the role's SendMessage and ReceiveMessage (SSE-KMS); the local run's queues do not model that encryption, so no local call uses the grant.",
    },
  );
  // EventBridge rules of the bhxh-notify bus deliver to the intake queues and, when a delivery keeps failing, to the
  // quarantine: SQS asks KMS for a data key on EventBridge's behalf. Only for the rules of this bus, in this account.
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'RulesOfTheBhxhNotifyBusDeliverToQueues',
      principals: [new ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: `${EVENT_BUS_NAME}/*` }) },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }),
  );
  // The functions, Scheduler's delivery role, and operators reading the quarantine and the dead letters and redriving
  // them (the ops CLI, the console's "Start DLQ redrive") with IAM identities the stack does not know: a principal of
  // the account may use the key through SQS only, and only if an IAM policy of its own names this key. No one may use
  // it directly (no Decrypt of a copied message body, no Encrypt).
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AccountPrincipalsThroughSqsOnly',
      principals: [new AccountRootPrincipal()],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: viaSqs,
    }),
  );
  return key;
}

/** The key that seals a password or code inside a send-queue message: one per stack. */
export function secretKey(scope: Construct): NarrowKey {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild('SecretKey');
  if (existing) return existing as NarrowKey;
  return new NarrowKey(stack, 'SecretKey', { description: 'Seals the password or one-time code of a queued BHXH Notify SMS: the intake encrypts, the sender decrypts' });
}

/**
 * The secret key's ARN in `name`, and exactly one use of it: `encrypt` for the
 * function that queues messages with a secret (the intake), `decrypt` for the
 * one that sends them (the sender). No other function can read a sealed secret,
 * wherever the message goes (the send dead-letter queue, an operator's terminal).
 */
export function bindSecretKey<N extends string>(fn: FunctionWithContract<N>, name: N, use: 'encrypt' | 'decrypt'): void {
  const key = secretKey(fn);
  if (use === 'encrypt') key.grantEncrypt(fn);
  else key.grantDecrypt(fn);
  fn.setVariable(name, key.keyArn);
}
