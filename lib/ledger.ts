/**
 * The message ledger (SPEC rule 5): one item per message under its business
 * idempotency key, with status, masked recipient, parts, provider id and
 * history; the text and phone number in a `content#` item with a shorter
 * retention. DynamoDB deletes both by TTL `expiresAt`.
 */
import { Construct } from 'constructs';
import { AttributeType, ProjectionType, StreamViewType, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { PAUSED_INDEX, PROVIDER_MESSAGE_INDEX, RECEIPT_DUE_INDEX, RECIPIENT_TAIL_INDEX, UNKNOWN_OUTCOME_INDEX } from '../lambdas/stores/table-schema.ts';
import { durableTable } from './tables.ts';

export class Ledger extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // The stream feeds NotificationStatusChanged (lib/status-events.ts): the old image tells a new status from a rewrite of the same one.
    this.table = durableTable(this, 'Table', 'key', { timeToLiveAttribute: 'expiresAt', stream: StreamViewType.NEW_AND_OLD_IMAGES });
    // Delivery receipts name the provider's message id; this sparse index finds the message.
    this.table.addGlobalSecondaryIndex({
      indexName: PROVIDER_MESSAGE_INDEX,
      partitionKey: { name: 'providerMessageId', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
    // Sparse: what waits while its kind is paused, found again on resume.
    this.table.addGlobalSecondaryIndex({
      indexName: PAUSED_INDEX,
      partitionKey: { name: 'pausedKind', type: AttributeType.STRING },
      sortKey: { name: 'createdAt', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
    // Sparse: sent and still without a receipt, by the day the 72-hour wait ends.
    this.table.addGlobalSecondaryIndex({
      indexName: RECEIPT_DUE_INDEX,
      partitionKey: { name: 'receiptDueDay', type: AttributeType.STRING },
      sortKey: { name: 'sentAt', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
    // Operators find a citizen's messages by the masked number's last digits and the day.
    this.table.addGlobalSecondaryIndex({
      indexName: RECIPIENT_TAIL_INDEX,
      partitionKey: { name: 'recipientTail', type: AttributeType.STRING },
      sortKey: { name: 'createdAt', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
    // Sparse: handed to SNS with no answer (perhaps sent), by the Vietnam day; an operator releases or confirms each.
    this.table.addGlobalSecondaryIndex({
      indexName: UNKNOWN_OUTCOME_INDEX,
      partitionKey: { name: 'unknownDay', type: AttributeType.STRING },
      sortKey: { name: 'updatedAt', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }
}
