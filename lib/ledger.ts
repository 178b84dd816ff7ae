/**
 * The message ledger (SPEC rule 5): one item per message under its business
 * idempotency key, with status, masked recipient, text, parts and provider id;
 * DynamoDB deletes items after the retention period (TTL `expiresAt`).
 */
import { Construct } from 'constructs';
import { AttributeType, ProjectionType, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { PROVIDER_MESSAGE_INDEX } from '../lambdas/commons/ledger.ts';
import { durableTable } from './tables.ts';

export class Ledger extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = durableTable(this, 'Table', 'key', { timeToLiveAttribute: 'expiresAt' });
    // Delivery receipts name the provider's message id; this sparse index finds the message.
    this.table.addGlobalSecondaryIndex({ indexName: PROVIDER_MESSAGE_INDEX, partitionKey: { name: 'providerMessageId', type: AttributeType.STRING }, projectionType: ProjectionType.KEYS_ONLY });
  }
}
