/**
 * The recipients CSV's header row (SPEC "Province campaigns"): a `phone`
 * column, or `subjectType` + `subjectId` (the contact projection finds the
 * phone), and one column per placeholder of the template. A header that lacks
 * any of them refuses the whole proposal, naming the column: no row could be
 * sent, so a row-by-row report would only hide the one thing to fix.
 */

export const PHONE = 'phone';
export const SUBJECT_TYPE = 'subjectType';
export const SUBJECT_ID = 'subjectId';

export interface Header {
  /** Column names as written, trimmed (the BOM already gone). */
  names: string[];
  /** Index of each named column. */
  index: ReadonlyMap<string, number>;
  phone?: number;
  subject?: { type: number; id: number };
}

export type HeaderCheck = { ok: true; header: Header } | { ok: false; problems: string[] };

/** ` (the header has "Phone"; names are case-sensitive)` when a column differs only by case, so the fix is obvious. */
function caseHint(names: string[], wanted: string): string {
  const near = names.find((n) => n.toLowerCase() === wanted.toLowerCase());
  return near ? ` (the header has "${near}"; column names are case-sensitive)` : '';
}

export function checkHeader(row: string[], placeholders: string[]): HeaderCheck {
  const names = row.map((n) => n.trim());
  const problems: string[] = [];
  const index = new Map<string, number>();
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') return;
    seen.set(name, (seen.get(name) ?? 0) + 1);
    if (!index.has(name)) index.set(name, i);
  });
  for (const [name, times] of seen) if (times > 1) problems.push(`column "${name}" appears ${times} times in the header; which one to use would be a guess`);

  const phone = index.get(PHONE);
  const type = index.get(SUBJECT_TYPE);
  const id = index.get(SUBJECT_ID);
  if (phone === undefined) {
    if (type !== undefined && id === undefined) problems.push(`column "${SUBJECT_ID}" is missing: "${SUBJECT_TYPE}" needs it${caseHint(names, SUBJECT_ID)}`);
    else if (type === undefined && id !== undefined) problems.push(`column "${SUBJECT_TYPE}" is missing: "${SUBJECT_ID}" needs it${caseHint(names, SUBJECT_TYPE)}`);
    else if (type === undefined && id === undefined) {
      problems.push(`the header has no "${PHONE}" column, nor "${SUBJECT_TYPE}" and "${SUBJECT_ID}" columns: each row needs a recipient${caseHint(names, PHONE)}`);
    }
  }
  for (const placeholder of placeholders) {
    if (!index.has(placeholder)) problems.push(`column "${placeholder}" is missing: the template's ((${placeholder})) is filled from it${caseHint(names, placeholder)}`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, header: { names, index, phone, subject: type !== undefined && id !== undefined ? { type, id } : undefined } };
}
