/**
 * The message ledger (SPEC rule 5): one item per message under its business
 * idempotency key, with status, masked recipient, text, parts and provider id;
 * DynamoDB deletes items after the retention period (TTL `expiresAt`).
 */
import { Construct } from 'constructs';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { durableTable } from './tables.ts';

export class Ledger extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = durableTable(this, 'Table', 'key', { timeToLiveAttribute: 'expiresAt' });
  }
}
