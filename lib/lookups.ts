/**
 * Read models for the 8079 look-ups: contribution histories and health cards,
 * kept by ContributionHistoryUpdated and HealthCardIssued. (Dossier status
 * lives with the dossier lifecycle, registered phones with the contacts.)
 */
import { Construct } from 'constructs';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { durableTable } from './tables.ts';

export class Lookups extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = durableTable(this, 'Table', 'pk');
  }
}
