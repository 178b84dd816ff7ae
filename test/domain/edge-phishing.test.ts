/**
 * SPEC rule 10, "nothing a phisher can use", and the edge rules around it:
 * free text with a web address, a domain name, an e-mail address or a phone
 * number is refused with the field named; login names are BHXH numbers; a
 * one-time code lives at most 15 minutes; a name that is empty once
 * transliterated is refused; no field value can take the secret mask's form.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DetailType } from '../../lambdas/domain/catalogue.ts';
import { findBait, findBaits } from '../../lambdas/domain/free-text.ts';
import { planAccountReviewed, planTemporaryPassword, renderPlan } from '../../lambdas/domain/messages.ts';
import { normalizeVnMobile } from '../../lambdas/domain/phone.ts';
import { parseCatalogueEvent } from '../../lambdas/domain/event-parser.ts';
import { OTP_MAX_LIFETIME_MINUTES } from '../../lambdas/domain/schema-fields.ts';
import type { DetailOf } from '../../lambdas/domain/schemas.ts';
import { assertOneSecretSlot, SecretSlotError, withSecret } from '../../lambdas/domain/secrets.ts';
import { SECRET_MASK } from '../../lambdas/domain/templates.ts';

/**
 * The seeds (`../shared/seeds` beside the repository), found by walking up from this file: the same folder from
 * the repository and from Stryker's sandbox copy of it (`.stryker-tmp/sandbox-…`), where a fixed `../` path misses it.
 */
function seedsDir(): URL {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    const candidate = new URL('shared/seeds/', dir);
    if (existsSync(candidate)) return candidate;
    if (new URL('../', dir).href === dir.href) throw new Error('no shared/seeds folder above this test');
  }
}
import { envelope, SEED, sampleDetails } from '../support/events.ts';

/** The envelope's time in test/support/events.ts; the intake reads the event at this instant unless told otherwise. */
const EVENT_TIME = new Date('2018-12-03T02:00:00Z');
const parse = (detailType: DetailType, detail: unknown, receivedAt = EVENT_TIME, overrides: Record<string, unknown> = {}) =>
  parseCatalogueEvent(envelope(detailType, detail, overrides), { receivedAt });
const errorsOf = (result: ReturnType<typeof parseCatalogueEvent>) => (result.ok ? [] : result.errors);

describe('what rule 10 finds in free text', () => {
  it.each([
    ['a domain name', 'tai vssid-bhxh.top', { kind: 'web-address', shown: 'vssid-bhxh.top' }],
    ['a URL', 'xac minh tai http://bhxh-vn.top/login', { kind: 'web-address', shown: 'http://bhxh-vn.top/login' }],
    ['an https URL in capitals', 'HTTPS://BHXH.GOV.VN.XYZ', { kind: 'web-address', shown: 'HTTPS://BHXH.GOV.VN.XYZ' }],
    ['www.', 'vao www.bhxh', { kind: 'web-address', shown: 'www.bhxh' }],
    ['a second-level Vietnamese domain', 'Cty abc.com.vn', { kind: 'web-address', shown: 'abc.com.vn' }],
    ['a domain in capitals', 'BHXH-VN.TOP', { kind: 'web-address', shown: 'BHXH-VN.TOP' }],
    ['a domain with diacritics that the SMS would drop', 'bhxh-vn.tóp', { kind: 'web-address', shown: 'bhxh-vn.top' }],
    ['a domain followed by punctuation', '(xem eoffice.vss.gov.vn).', { kind: 'web-address', shown: 'eoffice.vss.gov.vn' }],
    ['a short chat link with a path', 'nhan tin t.me/bhxh_hotro', { kind: 'web-address', shown: 't.me' }],
    ['a link shortener', 'bit.ly/3xYz', { kind: 'web-address', shown: 'bit.ly' }],
    ['an e-mail address (masked when shown)', 'gui ho so ve hotro.bhxh@gmail.com', { kind: 'e-mail', shown: 'h***@gmail.com' }],
    ['a mobile number', 'goi 0901234567', { kind: 'phone', shown: '+84******567' }],
    ['a mobile number with spaces', 'goi 090 123 4567 ngay', { kind: 'phone', shown: '+84******567' }],
    ['a mobile number with dots', '0901.234.567', { kind: 'phone', shown: '+84******567' }],
    ['a mobile number with dashes', '0901-234-567', { kind: 'phone', shown: '+84******567' }],
    ['an international mobile number', 'Lien he +84 901 234 567', { kind: 'phone', shown: '+84******567' }],
    ['84 without the plus', '84901234567', { kind: 'phone', shown: '+84******567' }],
    ['a pre-2018 11-digit mobile', 'goi 01627 123 456', { kind: 'phone', shown: '+84******456' }],
    ['a mobile followed by a year', 'goi 0901234567 2024', { kind: 'phone', shown: '+84******567' }],
    ['a fixed line', 'tong dai 024 3825 1234', { kind: 'phone', shown: '+84*******234' }],
    ['a 1900 number', 'goi 1900 9068', { kind: 'phone', shown: '1900****' }],
  ])('finds %s', (_label, text, expected) => {
    expect(findBait(text)).toEqual(expected);
  });

  it('finds every kind once, in order: web address, e-mail, phone', () => {
    expect(findBaits('account locked, verify at http://bhxh-vn.top or mail a@b.vn or call 0901234567')).toEqual([
      { kind: 'web-address', shown: 'http://bhxh-vn.top' },
      { kind: 'e-mail', shown: 'a***@b.vn' },
      { kind: 'phone', shown: '+84******567' },
    ]);
  });

  it.each([
    // Vietnamese abbreviations: single-letter labels, or a last label that is no TLD
    'TP.HCM',
    'VP Bảo hiểm Xã hội TP.HCM',
    'BHXH TP.Hà Nội',
    'BHXH TP.HN',
    'Q.1',
    'Số 12 Q.Bình Thạnh',
    'Cty TNHH A.B.C',
    'P.Tân Định',
    'B.Duy',
    'TP.Cà Mau',
    'TP.Mỹ Tho',
    'TX.La Gi',
    'TP.Cam Ranh',
    'KCN.Tân Tạo',
    // seed wording
    'CN Viện dầu khí VNTT nghiên cứu tìm kiếm thăm dò & khai thác Dầu khí',
    'CN Cty TNHH CJ KOREA EXPRESS FREIGHT Việt Nam Tại Hà Nội',
    'Công ty TNHH Hoya Glass Disk VN',
    'hồ sơ không hợp lệ',
    'BHYT.... và 8079./.',
    'Công văn số 2381/BHXH-TST ngày 03/8/2023',
    // a sentence whose space after the full stop was forgotten
    'thiếu tờ khai.Có thể bổ sung',
    'hồ sơ chưa hợp lệ.Lý do: thiếu ảnh',
    // numbers that are not phones: a BHXH number, a bank account, amounts, dates, dossier and card numbers
    '0113096123',
    'transfer 500.000 đ to account 0123456789',
    'đã nộp 10.000.000 đ',
    '9.249.473.860 đồng',
    '1.900.000.000 đồng',
    '06/12/2018',
    '06991/2018/08608',
    '04486.G/2019/08708',
    'HC4010110129425',
    // code-like text that is not a domain
    'process.env',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal `${…}`, as typed by an attacker
    "Robert'); DROP TABLE units;-- <script>alert(1)</script> ${process.env}",
  ])('leaves alone %j', (text) => {
    expect(findBaits(text)).toEqual([]);
  });

  it('does not take an account number 0123456789 for a phone, but does take the 11-digit pre-2018 form 01234567890', () => {
    // 0123456789: 9 digits after the 0, starting with 1: not the 10 that the 2018 conversion needs, and no valid mobile
    expect(normalizeVnMobile('0123456789')).toMatchObject({ ok: false, reason: 'invalid-mobile' });
    expect(findBait('0123456789')).toBeUndefined();
    // 0123 456 7890 was a VinaPhone number; since 2018 it is 083 456 7890
    expect(findBait('01234567890')).toEqual({ kind: 'phone', shown: '+84******890' });
  });

  it('finds, in the five seed documents, exactly their three web addresses and nothing else', () => {
    // Prepare: every line of the seeds, real Vietnamese administrative text
    const dir = seedsDir();
    const lines = readdirSync(dir).flatMap((f) => readFileSync(new URL(f, dir), 'utf8').split('\n'));

    // Act
    const found = lines.flatMap((line) => findBaits(line));

    // Assess
    expect(lines.length).toBeGreaterThan(500);
    expect(found).toEqual([
      { kind: 'web-address', shown: 'https://dichvucong.baohiemxahoi.gov.vn' },
      { kind: 'web-address', shown: 'https://tnhs.baohiemxahoi.gov.vn' },
      { kind: 'web-address', shown: 'eoffice.vss.gov.vn' },
    ]);
  });

  it('never throws, and finds nothing in names made of Vietnamese words and abbreviations (property)', () => {
    const word = fc.constantFrom(
      'Nguyễn',
      'Thị',
      'Văn',
      'Hoài',
      'Công',
      'ty',
      'TNHH',
      'CP',
      'TP.HCM',
      'Q.1',
      'P.Tân',
      'Định',
      'A.B.C',
      'Cty',
      'Hà',
      'Nội',
      'BHXH',
      'số',
      '12',
      '&',
      '-',
    );
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 10 }), (words) => {
        expect(findBaits(words.join(' '))).toEqual([]);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        expect(Array.isArray(findBaits(s))).toBe(true);
      }),
    );
  });
});

describe('the review forged events: refused at the edge, the field and the reason named', () => {
  it('a temporary password whose login name carries a domain', () => {
    const result = parse(DetailType.TemporaryPasswordIssued, { ...sampleDetails.TemporaryPasswordIssued, loginName: 'tai vssid-bhxh.top' });

    expect(result).toEqual({ ok: false, reason: 'invalid-detail', errors: ['detail.loginName: must be a 10-digit BHXH number (the VssID login name), e.g. 0113096123'] });
  });

  it('a refusal reason with a link and a call-back number', () => {
    const result = parse(DetailType.EAccountRegistrationReviewed, {
      ...sampleDetails.EAccountRegistrationReviewed,
      approved: false,
      reason: 'account locked, verify at http://bhxh-vn.top or call 0901234567',
    });

    expect(result).toEqual({
      ok: false,
      reason: 'invalid-detail',
      errors: [
        'detail.reason: contains a web address (http://bhxh-vn.top); a BHXHVN message never carries one',
        'detail.reason: contains a phone number (+84******567); a BHXHVN message never carries one',
      ],
    });
  });

  it('a payment notice whose unit name is a scam call-back number', () => {
    const result = parse(DetailType.UnitPaymentReceived, { ...sampleDetails.UnitPaymentReceived, unitName: 'Goi lai ngay 0868 123 456' });

    expect(errorsOf(result)).toEqual(['detail.unitName: contains a phone number (+84******456); a BHXHVN message never carries one']);
  });

  it('a unit name that is a domain', () => {
    const result = parse(DetailType.UnitPaymentReceived, { ...sampleDetails.UnitPaymentReceived, unitName: 'bhxh-vn.top' });

    expect(errorsOf(result)).toEqual(['detail.unitName: contains a web address (bhxh-vn.top); a BHXHVN message never carries one']);
  });

  it('a dossier refusal asking for a transfer to a bank account: rule 10 does not name account numbers, so it passes this check', () => {
    // 0123456789 is no phone (see above); refusing "transfer money" wording is not rule 10's, and is left to the producer
    const result = parse(DetailType.DossierReceived, { ...sampleDetails.DossierReceived, valid: false, rejectReason: 'transfer 500.000 đ to account 0123456789' });

    expect(result).toMatchObject({ ok: true });
  });

  it.each([
    [DetailType.EmployeeContributionStopped, 'fullName', 'Nguyễn Văn A zalo 0912345678'],
    [DetailType.EmployeeContributionStopped, 'unitName', 'Cty ABC (www.abc.vn)'],
    [DetailType.UnitPaymentReceived, 'agency', 'BHXH hotro@bhxh-vn.top'],
    [DetailType.UnitMonthlyStatement, 'unitName', 'Cty bhxhvn.online'],
    [DetailType.UnitMonthlyStatement, 'agency', 'BHXH TP.HCM 028 3829 1234'],
    [DetailType.HealthCardIssued, 'fullName', 'Trần Văn Bình bhxh.xyz'],
    [DetailType.VoluntaryContributionPaid, 'fullName', 'Đặng Thị Thu Hoài 0987.654.321'],
    [DetailType.EAccountRegistrationReviewed, 'fullName', 'Đặng Thị Thu Hoài https://x.vn'],
    [DetailType.EAccountRegistrationSubmitted, 'fullName', 'Đặng Thị Thu Hoài https://x.vn'],
    [DetailType.EAccountRegistrationSubmitted, 'registrationId', 'bhxh-vn.top'],
    [DetailType.EAccountRegistrationSubmitted, 'registrationId', 'DK-0901234567'],
    [DetailType.CollectionPaymentConfirmed, 'fullName', 'Hoài +84912345678'],
    [DetailType.ContactUpdated, 'name', 'Cty vssid-bhxh.top'],
    [DetailType.ContactUpdated, 'agency', 'BHXH 0901234567'],
    [DetailType.DossierReceived, 'rejectReason', 'xem tai bhxh-vn.top'],
    [DetailType.DossierResolved, 'dossierNo', 'bhxh-vn.top'],
    [DetailType.CollectionPaymentConfirmed, 'confirmationCode', '0901234567'],
    [DetailType.UnitPaymentReceived, 'unitCode', 'QW0901234567'],
  ])('%s: refuses a %s that reaches a message with one', (detailType, field, value) => {
    const base = detailType === DetailType.DossierReceived ? { ...sampleDetails.DossierReceived, valid: false } : sampleDetails[detailType];
    const result = parse(detailType, { ...base, [field]: value });

    expect(result).toMatchObject({ ok: false, reason: 'invalid-detail' });
    expect(
      errorsOf(result).some((e) =>
        new RegExp(`^detail\\.${field}: contains (a web address|an e-mail address|a phone number) \\(.+\\); a BHXHVN message never carries one$`).test(e),
      ),
    ).toBe(true);
  });

  it('keeps the phone number out of the error it logs: masked', () => {
    const errors = errorsOf(parse(DetailType.UnitPaymentReceived, { ...sampleDetails.UnitPaymentReceived, unitName: 'goi 0901234567' }));

    expect(errors.join(' ')).not.toContain('0901234567');
  });
});

describe('login names and one-time codes', () => {
  it('takes only a 10-digit BHXH number as a login name', () => {
    const approved = sampleDetails.EAccountRegistrationReviewed;

    expect(parse(DetailType.EAccountRegistrationReviewed, approved)).toMatchObject({ ok: true });
    expect(errorsOf(parse(DetailType.EAccountRegistrationReviewed, { ...approved, loginName: 'hoai.dang' }))).toEqual([
      'detail.loginName: must be a 10-digit BHXH number (the VssID login name), e.g. 0113096123',
    ]);
    expect(errorsOf(parse(DetailType.TemporaryPasswordIssued, { ...sampleDetails.TemporaryPasswordIssued, loginName: '011309612' }))).toEqual([
      'detail.loginName: must be a 10-digit BHXH number (the VssID login name), e.g. 0113096123',
    ]);
  });

  it(`refuses a code that lives more than ${OTP_MAX_LIFETIME_MINUTES} minutes after its event, and takes one that lives exactly that long`, () => {
    const otp = (expiresAt: string) => parse(DetailType.OtpIssued, { ...sampleDetails.OtpIssued, expiresAt });

    expect(otp('2018-12-03T09:15:00+07:00')).toMatchObject({ ok: true });
    expect(otp('2018-12-03T09:15:01+07:00')).toEqual({
      ok: false,
      reason: 'invalid-detail',
      errors: ['detail.expiresAt: is more than 15 minutes after the code was issued (2018-12-03T02:00:00.000Z); a one-time code lives at most 15 minutes'],
    });
    // a code valid for a month
    expect(otp('2019-01-03T09:00:00+07:00')).toMatchObject({ ok: false, reason: 'invalid-detail' });
    // already expired: accepted, and recorded as expired by the sender (rule 6)
    expect(otp('2018-12-03T08:59:00+07:00')).toMatchObject({ ok: true });
  });

  it('measures the lifetime from the arrival when the event is dated later: a producer cannot stretch it by post-dating', () => {
    // Dated 4 minutes after its arrival (accepted, rule 11), expiring 15 minutes after its own time: 19 minutes in all
    const result = parse(DetailType.OtpIssued, { ...sampleDetails.OtpIssued, expiresAt: '2018-12-03T09:19:00+07:00' }, EVENT_TIME, { time: '2018-12-03T02:04:00Z' });

    expect(result).toMatchObject({ ok: false, reason: 'invalid-detail' });
  });
});

describe('names that are empty once written without diacritics', () => {
  it.each([
    ['a lone combining acute accent', '\u0301'],
    ['combining marks only', '\u0301\u0300\u0303'],
    ['zero-width characters only', '\u200b\u200c\u200d'],
    ['a zero-width space and a combining mark', '\u200b\u0301'],
    ['a soft hyphen and a word joiner', '\u00ad\u2060'],
  ])('refuses %s, naming the field', (_label, fullName) => {
    const result = parse(DetailType.EmployeeContributionStopped, { ...sampleDetails.EmployeeContributionStopped, fullName });

    expect(result).toMatchObject({ ok: false, reason: 'invalid-detail' });
    expect(errorsOf(result)).toContain('detail.fullName: is empty once written without diacritics: it must hold a letter or a digit');
  });

  it('takes a name that keeps its letters', () => {
    expect(parse(DetailType.EmployeeContributionStopped, { ...sampleDetails.EmployeeContributionStopped, fullName: 'Ý' })).toMatchObject({ ok: true });
  });
});

describe('the secret mask cannot be forged by a field value', () => {
  const approved = sampleDetails.EAccountRegistrationReviewed as DetailOf<'EAccountRegistrationReviewed'>;

  it.each([
    ['the mask itself', SECRET_MASK],
    ['a longer run', '**********'],
    ['a name around it', `Hoài ${SECRET_MASK} Đặng`],
    ['two asterisks', 'Hoài **'],
  ])('refuses a name holding %s, naming the field', (_label, fullName) => {
    const result = parse(DetailType.EAccountRegistrationReviewed, { ...approved, fullName });

    expect(errorsOf(result)).toContain(`detail.fullName: must not contain "**": a run of asterisks marks where a password or code goes (${SECRET_MASK})`);
  });

  it('renders nothing when a name that is the mask got past the schema: the password could not go only to its slot', () => {
    // Prepare: a plan built directly, as if the schema had let the name through
    const plan = planAccountReviewed({ ...approved, fullName: SECRET_MASK, temporaryPassword: 'Kp7#q2Zx' });

    // Act
    const render = () => renderPlan(plan, undefined);

    // Assess
    expect(render).toThrow(SecretSlotError);
  });

  it('renders a genuine approval with its one slot, and the sender puts the password there', () => {
    const plan = planAccountReviewed({ ...approved, temporaryPassword: 'Kp7#q2Zx' });

    const rendered = renderPlan(plan, undefined);

    expect(() => assertOneSecretSlot(rendered.text)).not.toThrow();
    expect(withSecret(rendered.text, 'Kp7#q2Zx')).toBe(
      `Tai khoan giao dich dien tu BHXH cua Dang Thi Thu Hoai da duoc phe duyet. Ten dang nhap: ${SEED.personId}, mat khau: Kp7#q2Zx. De nghi doi mat khau khi dang nhap lan dau.`,
    );
  });

  it('counts overlapping masks: nine asterisks hold the mask twice', () => {
    expect(() => assertOneSecretSlot(`a *${SECRET_MASK} b`)).toThrow('message holds the secret mask 2 times');
    expect(() => assertOneSecretSlot('no slot')).toThrow('message has no place for its secret');
  });

  it('renders a temporary password with a login name that is a BHXH number', () => {
    const plan = planTemporaryPassword({ personId: SEED.personId, loginName: SEED.personId, temporaryPassword: 'Tmp#58213' }, '2018-12-03T02:00:00Z');

    expect(renderPlan(plan, undefined).text).toContain(`VssID ${SEED.personId} la ${SECRET_MASK}.`);
  });
});
