/**
 * The contact projection: the phone, name and gender of each person, unit,
 * facility and collector (`person#0113096123`), fed by ContactUpdated.
 */
import { Construct } from 'constructs';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { durableTable } from './tables.ts';

export class Contacts extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = durableTable(this, 'Table', 'subject');
  }
}
