/**
 * A province campaign's recipients CSV checked against its template (SPEC
 * "Province campaigns", issue 15): the proposal refused whole when its header
 * or template cannot work, otherwise each row accepted or refused with a
 * reason that names the column and never repeats the value.
 */
import { describe, expect, it } from 'vitest';
import { refusedRowsCsv } from '../../../lambdas/domain/campaign-proposals/report.ts';
import { type ProposalRows, validateProposalRows } from '../../../lambdas/domain/campaign-proposals/rows.ts';

const TEMPLATE = 'Kính gửi ((hoTen)): hạn cuối cập nhật thông tin tại ((diaDiem)) là ngày ((han)). Trân trọng!';

/** A distinct valid mobile (VinaPhone 091…) for each n. */
const mobile = (n: number) => `091${String(n).padStart(7, '0')}`;

const csvOf = (header: string[], rows: string[][]) => `${[header, ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`;

const row = (n: number, over: Partial<Record<'phone' | 'hoTen' | 'diaDiem' | 'han', string>> = {}) => {
  const r = { phone: mobile(n), hoTen: `Nguyễn Văn An ${n}`, diaDiem: 'BHXH quận Ba Đình', han: '15/12/2026', ...over };
  return [r.phone, r.hoTen, r.diaDiem, r.han];
};
const HEADER = ['phone', 'hoTen', 'diaDiem', 'han'];

function accepted(result: ProposalRows) {
  if (!result.ok) throw new Error(`refused whole: ${result.problems.join('; ')}`);
  return result;
}

describe('validateProposalRows: the issue\'s "Done when" list', () => {
  it('accepts 48 of 51 rows: one landline, one value that cannot fit 3 parts, one exact duplicate', () => {
    // Prepare
    const rows = Array.from({ length: 50 }, (_, i) => row(i));
    rows[9] = row(9, { phone: '024 3824 1234' });
    rows[19] = row(19, { diaDiem: `Bộ phận một cửa ${'tầng hai '.repeat(60)}` });
    rows.push(row(29));

    // Act
    const result = accepted(validateProposalRows(TEMPLATE, csvOf(HEADER, rows)));

    // Assess
    expect(result.counts).toMatchObject({ rows: 51, accepted: 48, refused: 2, duplicate: 1, blank: 0 });
    expect(result.counts.byReason).toEqual({ 'invalid-phone': 1, 'too-long': 1 });
    expect(result.refused.map((r) => [r.row, r.reason, r.column])).toEqual([
      [11, 'invalid-phone', 'phone'],
      [21, 'too-long', 'diaDiem'],
    ]);
    expect(result.duplicates).toEqual([{ row: 52, of: 31 }]);
    expect(result.accepted[0]).toEqual({
      row: 2,
      recipient: { phone: '+84910000000' },
      text: 'Kinh gui Nguyen Van An 0: han cuoi cap nhat thong tin tai BHXH quan Ba Dinh la ngay 15/12/2026. Tran trong!',
      parts: 1,
    });
    expect(result.counts.parts).toBe(48);
  });

  it('refuses a value with a link, an e-mail address or a phone number (rule 10), naming the column and not the value', () => {
    // Prepare
    const rows = [row(1, { diaDiem: 'trang bhxh-vn.top/capnhat' }), row(2, { hoTen: 'An (lienhe@gmail.com)' }), row(3, { diaDiem: 'goi 0987 654 321' })];

    // Act
    const result = accepted(validateProposalRows(TEMPLATE, csvOf(HEADER, rows)));

    // Assess
    expect(result.refused.map((r) => [r.row, r.reason, r.column])).toEqual([
      [2, 'forbidden-content', 'diaDiem'],
      [3, 'forbidden-content', 'hoTen'],
      [4, 'forbidden-content', 'diaDiem'],
    ]);
    expect(result.refused.map((r) => r.message)).toEqual([
      'column "diaDiem" contains a web address; a BHXHVN message never carries one (SPEC rule 10)',
      'column "hoTen" contains an e-mail address; a BHXHVN message never carries one (SPEC rule 10)',
      'column "diaDiem" contains a phone number; a BHXHVN message never carries one (SPEC rule 10)',
    ]);
  });

  it('refuses an empty value, a blank phone, and a value that is not GSM-7 even without diacritics', () => {
    // Prepare
    const rows = [row(1, { han: '  ' }), row(2, { phone: '' }), row(3, { hoTen: 'An 😀' })];

    // Act
    const result = accepted(validateProposalRows(TEMPLATE, csvOf(HEADER, rows)));

    // Assess
    expect(result.refused).toEqual([
      { row: 2, reason: 'empty-value', column: 'han', message: 'column "han" is empty: the message would have a gap' },
      { row: 3, reason: 'empty-value', column: 'phone', message: 'column "phone" is empty: the row has no recipient' },
      { row: 4, reason: 'not-gsm7', column: 'hoTen', message: 'column "hoTen" has characters an SMS cannot carry even without diacritics (U+1F600)' },
    ]);
  });

  it('never repeats a refused phone number in the message', () => {
    // Prepare
    const rows = [row(1, { phone: '0243 824 1234' }), row(2, { phone: '0912 34' }), row(3, { phone: '+1 202 555 0100' }), row(4, { phone: '09x1234567' })];

    // Act
    const result = accepted(validateProposalRows(TEMPLATE, csvOf(HEADER, rows)));

    // Assess
    expect(result.refused.map((r) => r.reason)).toEqual(['invalid-phone', 'invalid-phone', 'invalid-phone', 'invalid-phone']);
    for (const r of result.refused) expect(r.message).not.toMatch(/\d{3}/);
  });

  it('accepts every form of a mobile number rule 3 accepts, sent in E.164', () => {
    // Prepare
    const rows = [row(1, { phone: '+84 912 345 678' }), row(2, { phone: '84.912.345.679' }), row(3, { phone: '0162-345-6789' })];

    // Act
    const result = accepted(validateProposalRows(TEMPLATE, csvOf(HEADER, rows)));

    // Assess
    expect(result.accepted.map((r) => r.recipient)).toEqual([{ phone: '+84912345678' }, { phone: '+84912345679' }, { phone: '+84323456789' }]);
  });
});

describe('validateProposalRows: recipients by subject', () => {
  it('marks a row with subjectType + subjectId as needing a contact look-up, and refuses an unknown subject type', () => {
    // Prepare
    const csv = csvOf(
      ['subjectType', 'subjectId', 'hoTen', 'diaDiem', 'han'],
      [
        ['person', '0110129425', 'An', 'BHXH Ba Đình', '15/12/2026'],
        ['citizen', '0110129426', 'Bình', 'BHXH Ba Đình', '15/12/2026'],
        ['unit', '', 'Công ty A', 'BHXH Ba Đình', '15/12/2026'],
      ],
    );

    // Act
    const result = accepted(validateProposalRows(TEMPLATE, csv));

    // Assess
    expect(result.accepted.map((r) => [r.row, r.recipient])).toEqual([[2, { subject: 'person#0110129425', needsContactLookup: true }]]);
    expect(result.refused.map((r) => [r.row, r.reason, r.column])).toEqual([
      [3, 'invalid-subject', 'subjectType'],
      [4, 'empty-value', 'subjectId'],
    ]);
  });

  it('with both kinds of column, falls back to the subject when the phone is empty', () => {
    // Prepare
    const csv = csvOf(['phone', 'subjectType', 'subjectId', 'hoTen', 'diaDiem', 'han'], [['', 'person', '0110129425', 'An', 'BHXH Ba Đình', '15/12/2026']]);

    // Act
    const result = accepted(validateProposalRows(TEMPLATE, csv));

    // Assess
    expect(result.accepted[0]?.recipient).toEqual({ subject: 'person#0110129425', needsContactLookup: true });
  });
});

describe('validateProposalRows: the proposal refused whole', () => {
  it.each([
    ['a placeholder without its column', ['phone', 'hoTen', 'han'], ['column "diaDiem" is missing: the template\'s ((diaDiem)) is filled from it']],
    ['no recipient column', ['hoTen', 'diaDiem', 'han'], ['the header has no "phone" column, nor "subjectType" and "subjectId" columns: each row needs a recipient']],
    ['subjectType without subjectId', ['subjectType', 'hoTen', 'diaDiem', 'han'], ['column "subjectId" is missing: "subjectType" needs it']],
    ['a column named twice', ['phone', 'hoTen', 'hoTen', 'diaDiem', 'han'], ['column "hoTen" appears 2 times in the header; which one to use would be a guess']],
    [
      'a column that differs only by case',
      ['Phone', 'hoTen', 'diaDiem', 'han'],
      ['the header has no "phone" column, nor "subjectType" and "subjectId" columns: each row needs a recipient (the header has "Phone"; column names are case-sensitive)'],
    ],
  ])('for %s, naming the column', (_, header, problems) => {
    // Act
    const result = validateProposalRows(TEMPLATE, csvOf(header, [header.map(() => 'x')]));

    // Assess
    expect(result).toEqual({ ok: false, problems });
  });

  it.each([
    ['a placeholder never closed', 'Kính gửi ((hoTen, hạn ((han))', ['the placeholder opened at character 10 is never closed with "))"']],
    ['a placeholder with a space', 'Kính gửi ((ho ten))', ['the placeholder ((ho ten)) at character 10 is not a column name: use letters, digits and _ only']],
    ['an empty placeholder', 'Kính gửi (())', ['the placeholder at character 10 has no column name']],
    ['text an SMS cannot carry', 'Kính gửi ((hoTen)) ✅', ['the template has characters an SMS cannot carry even without diacritics: "✅" (U+2705)']],
    ['text that alone takes 4 parts', `((hoTen)) ${'Thông báo. '.repeat(45)}`, ["the template's own text, without any value, takes 4 parts; at most 3 are allowed"]],
  ])('for a template with %s', (_, template, problems) => {
    // Act
    const result = validateProposalRows(template, csvOf(['phone', 'hoTen', 'han'], [[mobile(1), 'An', '15/12/2026']]));

    // Assess
    expect(result).toEqual({ ok: false, problems });
  });

  it.each([
    ['an empty file', '', 'the CSV is empty: it needs a header row, then one row per recipient'],
    ['a header alone', 'phone,hoTen,diaDiem,han\r\n', 'the CSV has a header but no recipient rows'],
    ['a quote never closed', `phone,hoTen,diaDiem,han\r\n${mobile(1)},"An,x,15/12/2026\r\n`, 'the CSV cannot be read: a quoted value is never closed: the file ends inside it'],
  ])('for %s', (_, csv, problem) => {
    // Act
    const result = validateProposalRows(TEMPLATE, csv);

    // Assess
    expect(result).toEqual({ ok: false, problems: [problem] });
  });

  it('says where a stray quote is, by line, without quoting the data', () => {
    // Act
    const result = validateProposalRows(TEMPLATE, `phone,hoTen,diaDiem,han\r\n${mobile(1)},An,B,15/12/2026\r\n${mobile(2)},Trần "Bé",B,15/12/2026\r\n`);

    // Assess
    expect(result).toEqual({ ok: false, problems: ['the CSV cannot be read at line 3: a double quote appears inside a value that does not start with one'] });
  });
});

describe('validateProposalRows: reading the CSV', () => {
  it('drops the BOM Excel writes before the header, so that "phone" is found', () => {
    // Prepare
    const csv = `\uFEFF${csvOf(HEADER, [row(1)])}`;

    // Act
    const result = accepted(validateProposalRows(TEMPLATE, csv));

    // Assess
    expect(result.counts.accepted).toBe(1);
  });

  it('reads a quoted value with commas, doubled quotes and a line break as one value of one row', () => {
    // Prepare
    const csv = `phone,hoTen,diaDiem,han\n${mobile(1)},"Trần ""Bé"" Ba","Tầng 2, số 7\nphố Huế",15/12/2026\n${mobile(2)},An,B,15/12/2026\n`;

    // Act
    const result = accepted(validateProposalRows(TEMPLATE, csv));

    // Assess
    expect(result.accepted.map((r) => [r.row, r.text])).toEqual([
      [2, 'Kinh gui Tran "Be" Ba: han cuoi cap nhat thong tin tai Tang 2, so 7\npho Hue la ngay 15/12/2026. Tran trong!'],
      [3, 'Kinh gui An: han cuoi cap nhat thong tin tai B la ngay 15/12/2026. Tran trong!'],
    ]);
  });

  it('refuses a row with the wrong number of fields, and ignores blank rows without shifting row numbers', () => {
    // Prepare
    const csv = `phone,hoTen,diaDiem,han\r\n${mobile(1)},An,Tầng 2, số 7,15/12/2026\r\n\r\n,,,\r\n${mobile(2)},An,B,15/12/2026\r\n`;

    // Act
    const result = accepted(validateProposalRows(TEMPLATE, csv));

    // Assess
    expect(result.refused.map((r) => [r.row, r.reason])).toEqual([[2, 'malformed-row']]);
    expect(result.accepted.map((r) => r.row)).toEqual([5]);
    expect(result.counts).toMatchObject({ rows: 4, accepted: 1, refused: 1, blank: 2 });
  });

  it('refuses the repeat of a refused row again, under its own row number, so the report lists every row to fix', () => {
    // Prepare
    const landline = row(1, { phone: '024 3824 1234' });

    // Act
    const result = accepted(validateProposalRows(TEMPLATE, csvOf(HEADER, [landline, row(2), landline])));

    // Assess
    expect(result.refused.map((r) => [r.row, r.reason])).toEqual([
      [2, 'invalid-phone'],
      [4, 'invalid-phone'],
    ]);
    expect(result.counts).toMatchObject({ accepted: 1, refused: 2, duplicate: 0 });
  });

  it('validates 100,000 rows, every 100th a landline and every 1,000th a repeat', () => {
    // Prepare
    const rows = Array.from({ length: 100_000 }, (_, i) => {
      if (i % 1000 === 999) return row(i - 1);
      if (i % 100 === 50) return row(i, { phone: `024${String(i).padStart(8, '0')}` });
      return row(i);
    });

    // Act
    const result = accepted(validateProposalRows(TEMPLATE, csvOf(HEADER, rows)));

    // Assess
    expect(result.counts).toMatchObject({ rows: 100_000, accepted: 98_900, refused: 1_000, duplicate: 100, blank: 0 });
    expect(result.counts.byReason).toEqual({ 'invalid-phone': 1_000 });
    expect(new Set(result.accepted.map((r) => (r.recipient as { phone: string }).phone)).size).toBe(98_900);
  });
});

describe('refusedRowsCsv', () => {
  it('lists refused and repeated rows in row order, UTF-8 with a BOM and CRLF, without a phone number or a value', () => {
    // Prepare
    const rows = [row(1), row(2, { phone: '024 3824 1234' }), row(1), row(3, { diaDiem: 'xem bhxh-vn.top' })];
    const result = accepted(validateProposalRows(TEMPLATE, csvOf(HEADER, rows)));

    // Act
    const csv = refusedRowsCsv(result.refused, result.duplicates);

    // Assess
    expect(csv).toBe(
      '\uFEFFrow,reason,column,message\r\n' +
        '3,invalid-phone,phone,"column ""phone"": a Vietnamese fixed-line number cannot receive SMS"\r\n' +
        '4,duplicate,,repeats row 2 exactly; sent once\r\n' +
        '5,forbidden-content,diaDiem,"column ""diaDiem"" contains a web address; a BHXHVN message never carries one (SPEC rule 10)"\r\n',
    );
  });

  it('neutralises a cell that a spreadsheet would run as a formula', () => {
    // Act
    const csv = refusedRowsCsv([{ row: 2, reason: 'empty-value', column: '=HYPERLINK("x")', message: '@SUM(1)' }]);

    // Assess
    expect(csv.split('\r\n')[1]).toBe('2,empty-value,"\'=HYPERLINK(""x"")","\'@SUM(1)"');
  });
});
