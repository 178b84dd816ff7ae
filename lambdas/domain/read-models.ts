/**
 * Read models for the 8079 look-ups, kept by events: a person's contribution
 * history (ContributionHistoryUpdated) and health cards (HealthCardIssued).
 * One table, one item per history or card; older events never overwrite newer.
 */

export interface Period {
  from: string;
  to: string | null;
  unitCode: string;
  unitName: string;
  scheme: 'compulsory' | 'voluntary';
}

export interface HistoryItem {
  pk: string;
  personId: string;
  periods: Period[];
  asOf: string;
}

export interface CardItem {
  pk: string;
  cardNo: string;
  personId: string;
  validTo: string;
  scheme: 'household' | 'other';
  asOf: string;
}
