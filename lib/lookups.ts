/**
 * Read models for the 8079 look-ups: contribution histories and health cards,
 * kept by ContributionHistoryUpdated and HealthCardIssued. (Dossier status
 * lives with the dossier lifecycle, registered phones with the contacts.)
 *
 * And the key of the look-up rate counters: the control table counts look-ups
 * per phone number and hour under an HMAC of the number, keyed by a secret
 * that only the intake can read, so the counters cannot be turned back into
 * numbers by hashing every Vietnamese mobile number.
 */
import { Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { NotifyFunction } from './notify-function.ts';
import { durableTable } from './tables.ts';

export class Lookups extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = durableTable(this, 'Table', 'pk');
  }
}

/**
 * Creates the counters' HMAC key (a generated Secrets Manager secret) in `scope`, lets `fn` read it
 * (secretsmanager:GetSecretValue on this secret only) and names it in the function's LOOKUP_KEY_SECRET_ARN
 * (INTAKE_ENVIRONMENT).
 */
export function bindLookupCounterKey(scope: Construct, fn: NotifyFunction): Secret {
  const secret = new Secret(scope, 'LookupCounterKey', {
    description: 'HMAC key of the 8079 look-up rate counters: the control table names each counter by HMAC(key, phone), never by the number',
    generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      "No automatic rotation: the key only names look-up counters that live 2 hours. Operators can replace its value at any time (put-secret-value); intake containers pick it up at their next cold start, and the only effect is that the current hour's counts start again.",
  });
  fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
  fn.setVariable('LOOKUP_KEY_SECRET_ARN', secret.secretArn);
  return secret;
}
