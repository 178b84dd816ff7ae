/**
 * One row of a province campaign's recipients CSV: who it goes to and what it
 * says, or why it is refused (SPEC "Province campaigns", rules 1, 3 and 10).
 *
 * A refusal names the column and the rule, never the value: the report goes
 * back to the province, and may be read by people who should not see a
 * citizen's number or name, nor a phishing link copied into it.
 */
import { subjectKey, type SubjectType } from '../contacts.ts';
import { subjectType } from '../schema-fields.ts';
import { findBait, type BaitKind } from '../free-text.ts';
import { normalizeVnMobile } from '../phone.ts';
import { MAX_SEGMENTS } from '../templates.ts';
import { findNonGsm7, measureSms } from '../text/gsm7.ts';
import { transliterate } from '../text/transliterate.ts';
import { type Header, PHONE, SUBJECT_ID, SUBJECT_TYPE } from './header.ts';
import { type CampaignTemplate, fillTemplate } from './template.ts';

/** `no-phone`: a row named by subject whose contact has no usable mobile number (checked against the contact projection). */
export type RowRefusal = 'malformed-row' | 'invalid-phone' | 'invalid-subject' | 'no-phone' | 'empty-value' | 'forbidden-content' | 'not-gsm7' | 'too-long';

/** A phone in E.164, or a subject whose phone the contact projection will give when the campaign is sent. */
export type CampaignRecipient = { phone: string } | { subject: string; needsContactLookup: true };

export type RowCheck =
  | { ok: true; recipient: CampaignRecipient; text: string; parts: number }
  | { ok: false; reason: RowRefusal; column?: string; message: string }
  /** Every field empty: a spreadsheet's trailing empty line, neither a recipient nor a mistake to report. */
  | { ok: 'blank' };

const SUBJECT_TYPES: ReadonlySet<string> = new Set<string>(subjectType.options);

const SAID: Record<BaitKind, string> = { 'web-address': 'a web address', 'e-mail': 'an e-mail address', phone: 'a phone number' };

/**
 * Rule 10 for a value, remembered: a campaign repeats the same values (an
 * office, a date, a deadline) on thousands of rows, and `findBait` is the most
 * expensive check. The memory is bounded so that 2,000,000 distinct names do
 * not hold 2,000,000 entries.
 */
export class BaitMemory {
  private readonly known = new Map<string, BaitKind | null>();
  constructor(private readonly limit = 50_000) {}

  of(value: string): BaitKind | null {
    const remembered = this.known.get(value);
    if (remembered !== undefined) return remembered;
    const found = findBait(value)?.kind ?? null;
    if (this.known.size >= this.limit) this.known.clear();
    this.known.set(value, found);
    return found;
  }
}

const refuse = (reason: RowRefusal, message: string, column?: string): RowCheck => ({ ok: false, reason, column, message });

function recipientOf(header: Header, field: (i: number) => string): { ok: true; recipient: CampaignRecipient } | Extract<RowCheck, { ok: false }> {
  const phone = header.phone === undefined ? '' : field(header.phone);
  // With both kinds of column, a row without a phone falls back to its subject.
  if (phone !== '' || !header.subject) {
    if (phone === '') return { ok: false, reason: 'empty-value', column: PHONE, message: `column "${PHONE}" is empty: the row has no recipient` };
    const parsed = normalizeVnMobile(phone);
    if (!parsed.ok) return { ok: false, reason: 'invalid-phone', column: PHONE, message: `column "${PHONE}": ${parsed.detail}` };
    return { ok: true, recipient: { phone: parsed.e164 } };
  }
  const type = field(header.subject.type);
  const id = field(header.subject.id);
  if (type === '') return { ok: false, reason: 'empty-value', column: SUBJECT_TYPE, message: `column "${SUBJECT_TYPE}" is empty: the row has no recipient` };
  if (id === '') return { ok: false, reason: 'empty-value', column: SUBJECT_ID, message: `column "${SUBJECT_ID}" is empty: the row has no recipient` };
  if (!SUBJECT_TYPES.has(type)) {
    return { ok: false, reason: 'invalid-subject', column: SUBJECT_TYPE, message: `column "${SUBJECT_TYPE}" must be one of ${[...SUBJECT_TYPES].join(', ')}` };
  }
  return { ok: true, recipient: { subject: subjectKey(type as SubjectType, id), needsContactLookup: true } };
}

export function checkRow(header: Header, template: CampaignTemplate, record: string[], baits: BaitMemory): RowCheck {
  if (record.every((v) => v.trim() === '')) return { ok: 'blank' };
  if (record.length !== header.names.length) {
    return refuse('malformed-row', `the row has ${record.length} fields; the header has ${header.names.length} (a comma in a value needs the value in double quotes)`);
  }
  const field = (i: number) => (record[i] ?? '').trim();
  const recipient = recipientOf(header, field);
  if (!recipient.ok) return recipient;

  const values = new Map<string, string>();
  for (const column of template.placeholders) {
    const value = field(header.index.get(column) ?? -1);
    if (value === '') return refuse('empty-value', `column "${column}" is empty: the message would have a gap`, column);
    const bait = baits.of(value);
    if (bait) return refuse('forbidden-content', `column "${column}" contains ${SAID[bait]}; a BHXHVN message never carries one (SPEC rule 10)`, column);
    values.set(column, value);
  }

  const text = transliterate(fillTemplate(template, (column) => values.get(column) ?? ''));
  const bad = findNonGsm7(text);
  if (bad.length > 0) {
    const column = template.placeholders.find((c) => findNonGsm7(transliterate(values.get(c) ?? '')).length > 0);
    const shown = bad.map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`).join(', ');
    const where = column ? `column "${column}" has` : 'the message has';
    return refuse('not-gsm7', `${where} characters an SMS cannot carry even without diacritics (${shown})`, column);
  }
  const { segments } = measureSms(text);
  if (segments > MAX_SEGMENTS) {
    const longest = template.placeholders.reduce<string | undefined>((a, c) => (a && (values.get(a)?.length ?? 0) >= (values.get(c)?.length ?? 0) ? a : c), undefined);
    const hint = longest ? ` (the longest value is in column "${longest}")` : '';
    return refuse('too-long', `the message takes ${segments} parts; at most ${MAX_SEGMENTS} are allowed${hint}`, longest);
  }
  return { ok: true, recipient: recipient.recipient, text, parts: segments };
}
