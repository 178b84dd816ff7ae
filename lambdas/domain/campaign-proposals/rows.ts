/**
 * Validating a province campaign's recipients against its template (SPEC
 * "Province campaigns", issue 15): text in, data out, no I/O.
 *
 * The proposal is refused whole when no row could be right: a template that
 * cannot be read, a CSV that cannot be read, a header without a recipient
 * column or without a placeholder's column, no rows, too many rows. Otherwise
 * each row is accepted (its recipient, its text as sent, its parts) or refused
 * with a reason code and a message naming the column (never the value).
 *
 * Row numbers are the spreadsheet's: the header is row 1, the first recipient
 * row 2, a value spread over several lines inside quotes still one row. They
 * are stable, so they can make the business key of each message.
 *
 * Exact duplicate rows (the same text in every field) are sent once: a repeat
 * of an accepted row is counted as `duplicate`, a repeat of a refused row is
 * refused again with its own row number, so the report lists every row to fix.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { checkHeader } from './header.ts';
import { BaitMemory, type CampaignRecipient, checkRow, type RowRefusal } from './row-checks.ts';
import { checkFixedText, parseCampaignTemplate } from './template.ts';
import { MAX_SEGMENTS } from '../templates.ts';

export type { CampaignRecipient, RowRefusal } from './row-checks.ts';

/** SPEC: "up to 2,000,000 rows". */
export const MAX_ROWS = 2_000_000;

export interface AcceptedRow {
  row: number;
  recipient: CampaignRecipient;
  /** Transliterated GSM-7 text: what is sent. */
  text: string;
  parts: number;
}

export interface RefusedRow {
  row: number;
  reason: RowRefusal;
  /** The column at fault, when one is. */
  column?: string;
  message: string;
}

export interface DuplicateRow {
  row: number;
  /** The earlier, accepted row it repeats. */
  of: number;
}

export interface RowCounts {
  /** Rows after the header, blank ones included. */
  rows: number;
  accepted: number;
  refused: number;
  duplicate: number;
  /** Rows with every field empty (a spreadsheet's trailing lines): ignored. */
  blank: number;
  /** Parts of the accepted rows: what the campaign costs (rule 9). */
  parts: number;
  byReason: Partial<Record<RowRefusal, number>>;
}

export type ProposalRows =
  | { ok: true; placeholders: string[]; accepted: AcceptedRow[]; refused: RefusedRow[]; duplicates: DuplicateRow[]; counts: RowCounts }
  | { ok: false; problems: string[] };

const CSV_PROBLEMS: Partial<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted value is never closed: the file ends inside it',
  CSV_INVALID_CLOSING_QUOTE: 'a double quote inside a quoted value is not doubled',
  INVALID_OPENING_QUOTE: 'a double quote appears inside a value that does not start with one',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted value is followed by more text before the comma',
};

/** The parser's error as a sentence with a line number; never the parser's own message, which can quote the data. */
function unreadable(error: CsvError): string {
  // A quote never closed is found at the end of the file, whose line number would point at the wrong place.
  const line = typeof error.lines === 'number' && error.code !== 'CSV_QUOTE_NOT_CLOSED' ? ` at line ${error.lines}` : '';
  return `the CSV cannot be read${line}: ${CSV_PROBLEMS[error.code] ?? error.code}`;
}

function readCsv(csv: string): { ok: true; records: string[][] } | { ok: false; problems: string[] } {
  try {
    // Field counts are checked row by row (one bad row is a refused row, not a refused file); the BOM Excel writes is dropped;
    // empty lines are kept (as blank rows) so that row numbers stay the spreadsheet's.
    const records = parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: false });
    return { ok: true, records };
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, problems: [unreadable(error)] };
    throw error;
  }
}

export function validateProposalRows(templateText: string, csv: string): ProposalRows {
  const parsedTemplate = parseCampaignTemplate(templateText);
  if (!parsedTemplate.ok) return parsedTemplate;
  const template = parsedTemplate.template;
  const fixed = checkFixedText(template, MAX_SEGMENTS);
  if (fixed.length > 0) return { ok: false, problems: fixed };

  const read = readCsv(csv);
  if (!read.ok) return read;
  const [first, ...records] = read.records;
  if (!first) return { ok: false, problems: ['the CSV is empty: it needs a header row, then one row per recipient'] };
  const header = checkHeader(first, template.placeholders);
  if (!header.ok) return header;
  if (records.length === 0) return { ok: false, problems: ['the CSV has a header but no recipient rows'] };
  if (records.length > MAX_ROWS) return { ok: false, problems: [`the CSV has ${records.length} recipient rows; a campaign takes at most ${MAX_ROWS}`] };

  const accepted: AcceptedRow[] = [];
  const refused: RefusedRow[] = [];
  const duplicates: DuplicateRow[] = [];
  const counts: RowCounts = { rows: records.length, accepted: 0, refused: 0, duplicate: 0, blank: 0, parts: 0, byReason: {} };
  // Each distinct row once: the accepted row's number, or the refusal to repeat.
  const seen = new Map<string, number | Omit<RefusedRow, 'row'>>();
  const baits = new BaitMemory();

  records.forEach((record, i) => {
    const row = i + 2;
    const key = JSON.stringify(record);
    let outcome = seen.get(key);
    if (typeof outcome === 'number') {
      duplicates.push({ row, of: outcome });
      counts.duplicate += 1;
      return;
    }
    if (outcome === undefined) {
      const check = checkRow(header.header, template, record, baits);
      if (check.ok === 'blank') {
        counts.blank += 1;
        return;
      }
      if (check.ok) {
        accepted.push({ row, recipient: check.recipient, text: check.text, parts: check.parts });
        counts.accepted += 1;
        counts.parts += check.parts;
        seen.set(key, row);
        return;
      }
      outcome = { reason: check.reason, column: check.column, message: check.message };
      seen.set(key, outcome);
    }
    refused.push({ row, ...outcome });
    counts.refused += 1;
    counts.byReason[outcome.reason] = (counts.byReason[outcome.reason] ?? 0) + 1;
  });
  return { ok: true, placeholders: template.placeholders, accepted, refused, duplicates, counts };
}
