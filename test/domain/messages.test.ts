/**
 * From a business fact to its message plan (lambdas/domain/messages.ts):
 * the idempotency key comes from the business identity, never the event id
 * (SPEC rule 4); the recipient is the event's phone, else the contact
 * projection's, else the message is skipped (rules 2 and 3); the ledger keeps
 * the text with secrets masked (rule 5) while the parts are counted on the
 * text really sent (rules 1 and 9); one-time codes are urgent and expire
 * (rule 6).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../lambdas/domain/contacts.ts';
import {
  planAccountReviewed,
  planCollectionConfirmed,
  planContributionStopped,
  planDossierAccepted,
  planDossierOverdueApology,
  planDossierRejected,
  planDossierResolved,
  planFacilitySummary,
  planHealthCardExpiring,
  planOtp,
  planPasswordReminder,
  planTemporaryPassword,
  planUnitPayment,
  planUnitStatement,
  planVoluntaryTermEnding,
  present,
  renderPlan,
  resolveRecipient,
  secretIssueId,
  type MessagePlan,
} from '../../lambdas/domain/messages.ts';
import { SECRET_MASK, TemplateTooLongError } from '../../lambdas/domain/templates.ts';

/** The intake's HMAC key in these tests (in AWS, a Secrets Manager secret). */
const HMAC_KEY = 'test-hmac-key';

const contact = (over: Partial<Contact> = {}): Contact => ({
  subject: 'person#0113096123',
  name: 'Đặng Thị Thu Hoài',
  phone: '+84912345678',
  asOf: '2026-01-01T00:00:00+07:00',
  eventId: 'evt-contact-1',
  ...over,
});

const payment = {
  paymentId: 'PAY-2019-0001',
  unitCode: 'QW18013',
  unitName: 'Công ty Dầu khí',
  amount: 10_000_000,
  receivedAt: '2019-05-02T09:00:00+07:00',
  agency: 'BHXH TP HCM',
};

const stopped = {
  personId: '0113096123',
  fullName: 'Đặng Thị Thu Hoài',
  unitCode: 'CJ001',
  unitName: 'Công ty CJ',
  fromMonth: '2018-11',
};

describe('business keys (SPEC rule 4: kind + subject + period or document number)', () => {
  it('keys a unit payment by unit and payment id, addressed to the unit', () => {
    // Act
    const plan = planUnitPayment(payment);

    // Assess
    expect(plan.kind).toBe('unit-payment-received');
    expect(plan.key).toBe('unit-payment-received#QW18013#PAY-2019-0001');
    expect(plan.subject).toBe('unit#QW18013');
  });

  it('gives the same key to the same payment published twice (e.g. by the central and a provincial agency)', () => {
    // Prepare: the same fact, as two publishers would word it
    const central = { ...payment, agency: 'BHXH Việt Nam', phone: '0912345678' };
    const provincial = { ...payment, agency: 'BHXH TP HCM', phone: null };

    // Act
    const keys = [planUnitPayment(central).key, planUnitPayment(provincial).key];

    // Assess
    expect(keys[0]).toBe(keys[1]);
  });

  it('keys a stopped contribution by person, unit and month, addressed to the worker', () => {
    // Act
    const plan = planContributionStopped(stopped);
    const laterMonth = planContributionStopped({ ...stopped, fromMonth: '2018-12' });

    // Assess
    expect(plan.kind).toBe('contribution-stopped');
    expect(plan.key).toBe('contribution-stopped#0113096123#CJ001#2018-11');
    expect(plan.subject).toBe('person#0113096123');
    expect(laterMonth.key).not.toBe(plan.key);
  });

  it('keys each dossier message by its dossier number and addresses the applicant, person or unit', () => {
    // Prepare: a dossier filed by a unit
    const address = { dossierNo: '06991/2018/08608', subjectType: 'unit' as const, subjectId: 'QW18013', phone: '0912345678' };

    // Act
    const plans = [
      planDossierAccepted({ ...address, expectedResultDate: '2018-12-06' }),
      planDossierRejected({ ...address, rejectReason: 'hồ sơ không hợp lệ' }),
      planDossierResolved(address),
      planDossierOverdueApology({ ...address, expectedResultDate: '2018-12-06' }),
    ];

    // Assess: one message of each kind per dossier, all to the unit, the event's phone carried along
    expect(plans.map((p) => [p.kind, p.key])).toEqual([
      ['dossier-accepted', 'dossier-accepted#06991/2018/08608'],
      ['dossier-rejected', 'dossier-rejected#06991/2018/08608'],
      ['dossier-resolved', 'dossier-resolved#06991/2018/08608'],
      ['dossier-overdue-apology', 'dossier-overdue-apology#06991/2018/08608'],
    ]);
    for (const plan of plans) {
      expect(plan.subject).toBe('unit#QW18013');
      expect(plan.phone).toBe('0912345678');
    }
  });

  it('keys a card reminder by card and end date, so a renewed card is a new reminder', () => {
    // Act
    const plan = planHealthCardExpiring({ personId: '0110129425', cardNo: 'HC4010110129425', validTo: '2026-12-31' });
    const renewed = planHealthCardExpiring({ personId: '0110129425', cardNo: 'HC4010110129425', validTo: '2027-12-31' });

    // Assess
    expect(plan.kind).toBe('health-card-expiring');
    expect(plan.key).toBe('health-card-expiring#HC4010110129425#2026-12-31');
    expect(plan.subject).toBe('person#0110129425');
    expect(renewed.key).not.toBe(plan.key);
  });

  it('keys a voluntary term reminder by person and last paid month', () => {
    // Act
    const plan = planVoluntaryTermEnding({ personId: '0110129425', fullName: 'Lê Văn Nam', paidThrough: '2026-06', phone: '0912345678' });

    // Assess
    expect(plan.kind).toBe('voluntary-term-ending');
    expect(plan.key).toBe('voluntary-term-ending#0110129425#2026-06');
    expect(plan.subject).toBe('person#0110129425');
    expect(plan.phone).toBe('0912345678');
  });

  it('keys a unit statement by unit and month, and a facility summary by facility and month', () => {
    // Act
    const statement = planUnitStatement({
      unitCode: 'HOYA01',
      unitName: 'Công ty TNHH Hoya Glass Disk VN',
      month: '2019-05',
      paidAmount: 9_249_473_860,
      carriedOverAmount: 214_541_737,
      expectedAmount: 8_931_964_403,
      agency: 'BHXH TP.Hà Nội',
    });
    const summary = planFacilitySummary({ facilityCode: '01909', month: '2019-04', claimCount: 10_132, claimAmount: 11_967_526_000, onTimeRate: 0.72 });

    // Assess
    expect([statement.kind, statement.key, statement.subject]).toEqual(['unit-monthly-statement', 'unit-monthly-statement#HOYA01#2019-05', 'unit#HOYA01']);
    expect([summary.kind, summary.key, summary.subject]).toEqual(['facility-claims-summary', 'facility-claims-summary#01909#2019-04', 'facility#01909']);
  });

  it('keys a collection confirmation by its confirmation code', () => {
    // Act
    const plan = planCollectionConfirmed({
      confirmationCode: 'XN-2026-000123',
      collectorCode: 'TC01',
      personId: '0110129425',
      fullName: 'Lê Văn Nam',
      paidAt: '2026-03-02T10:00:00+07:00',
      amount: 1_485_000,
      scheme: 'voluntary-social',
      months: 6,
    });

    // Assess
    expect([plan.kind, plan.key, plan.subject]).toEqual(['collection-confirmed', 'collection-confirmed#XN-2026-000123', 'person#0110129425']);
  });

  it('keys a password reminder by the instant of the change, whatever offset the portal wrote it in', () => {
    // Act
    const plan = planPasswordReminder({ personId: '0110129425', changedAt: '2026-06-01T09:00:00+07:00' });
    const sameInstant = planPasswordReminder({ personId: '0110129425', changedAt: '2026-06-01T02:00:00Z' });
    const laterChange = planPasswordReminder({ personId: '0110129425', changedAt: '2026-07-01T09:00:00+07:00' });

    // Assess
    expect(plan.kind).toBe('password-reminder');
    expect(plan.key).toBe('password-reminder#0110129425#2026-06-01T02:00:00.000Z');
    expect(plan.subject).toBe('person#0110129425');
    expect(sameInstant.key).toBe(plan.key);
    expect(laterChange.key).not.toBe(plan.key);
  });

  it('keys an account review by registration, approved and refused apart', () => {
    // Prepare
    const review = { registrationId: 'REG-42', personId: '0110129425', fullName: 'Lê Văn Nam', phone: '0912345678' };

    // Act
    const approved = planAccountReviewed({ ...review, approved: true, loginName: '0110129425', temporaryPassword: 'Xy7#pq9!' });
    const refused = planAccountReviewed({ ...review, approved: false, reason: 'ảnh giấy tờ không rõ' });

    // Assess
    expect([approved.kind, approved.key, approved.subject, approved.phone]).toEqual(['account-approved', 'account-approved#REG-42', 'person#0110129425', '0912345678']);
    expect([refused.kind, refused.key, refused.subject, refused.phone]).toEqual(['account-rejected', 'account-rejected#REG-42', 'person#0110129425', '0912345678']);
    expect(refused.secret).toBeUndefined();
  });

  it('keys a temporary password by person and the issue of the password, not by a time', () => {
    // Prepare
    const issued = { personId: '0110129425', loginName: '0110129425', temporaryPassword: 'Xy7#pq9!', phone: '0912345678' };
    const issue = secretIssueId(HMAC_KEY, 'temporary-password', issued.temporaryPassword);

    // Act
    const plan = planTemporaryPassword(issued, issue);
    const republished = planTemporaryPassword({ ...issued }, secretIssueId(HMAC_KEY, 'temporary-password', 'Xy7#pq9!'));
    const newPassword = planTemporaryPassword({ ...issued, temporaryPassword: 'Qw3!zz8#' }, secretIssueId(HMAC_KEY, 'temporary-password', 'Qw3!zz8#'));

    // Assess
    expect(plan.kind).toBe('temporary-password');
    expect(plan.key).toBe(`temporary-password#0110129425#${issue}`);
    expect(republished.key).toBe(plan.key);
    expect(newPassword.key).not.toBe(plan.key);
    expect(plan.key).not.toContain('Xy7#pq9!');
    expect(plan.subject).toBe('person#0110129425');
    expect(plan.phone).toBe('0912345678');
  });

  it('keys a one-time code by person, purpose, expiry and the issue of the code', () => {
    // Prepare
    const otp = { personId: '0110129425', purpose: 'device-login' as const, code: '482913', expiresAt: '2026-05-04T10:05:00+07:00' };
    const issue = secretIssueId(HMAC_KEY, 'otp', otp.code);

    // Act
    const plan = planOtp(otp, issue);
    const otherPurpose = planOtp({ ...otp, purpose: 'password-change' }, issue);
    const reissued = planOtp({ ...otp, code: '907355' }, secretIssueId(HMAC_KEY, 'otp', '907355'));

    // Assess
    expect(plan.kind).toBe('otp');
    expect(plan.key).toBe(`otp#0110129425#device-login#2026-05-04T03:05:00.000Z#${issue}`);
    expect(plan.subject).toBe('person#0110129425');
    expect(otherPurpose.key).not.toBe(plan.key);
    expect(reissued.key).not.toBe(plan.key);
  });

  it('names the issue of a secret by an HMAC under the key: never the secret, nor a hash anyone can recompute', () => {
    // Act
    const issue = secretIssueId(HMAC_KEY, 'otp', '482913');

    // Assess
    expect(issue).toMatch(/^[0-9a-f]{32}$/);
    expect(issue).not.toContain('482913');
    expect(issue).not.toBe(createHash('sha256').update('482913').digest('hex').slice(0, 32));
    expect(secretIssueId('another key', 'otp', '482913')).not.toBe(issue);
    expect(secretIssueId(HMAC_KEY, 'temporary-password', '482913')).not.toBe(issue);
  });
});

describe('urgency, replies and expiry (SPEC rule 6)', () => {
  it('marks a one-time code urgent and worthless after it expires', () => {
    // Act
    const plan = planOtp({ personId: '0110129425', purpose: 'password-change', code: '4829', expiresAt: '2026-05-04T10:05:00+07:00', phone: '0912345678' }, 'issue-1');

    // Assess
    expect(plan.urgent).toBe(true);
    expect(plan.sendBy).toBe('2026-05-04T03:05:00.000Z');
    expect(plan.phone).toBe('0912345678');
  });

  it('leaves ordinary notifications non-urgent and without a deadline', () => {
    // Act
    const plans: MessagePlan[] = [
      planUnitPayment(payment),
      planContributionStopped(stopped),
      planPasswordReminder({ personId: '0110129425', changedAt: '2026-06-01T09:00:00+07:00' }),
    ];

    // Assess
    for (const plan of plans) {
      expect(plan.urgent).toBeFalsy();
      expect(plan.sendBy).toBeUndefined();
      expect(plan.reply).toBeFalsy();
    }
  });
});

describe('recipient (SPEC rules 2 and 3)', () => {
  it("prefers the event's phone to the contact projection", () => {
    // Act
    const recipient = resolveRecipient('0987 654 321', contact({ phone: '+84912345678' }));

    // Assess
    expect(recipient).toEqual({ ok: true, e164: '+84987654321', masked: '+84******321' });
  });

  it("uses the contact's phone when the event carries none (undefined, null or empty)", () => {
    // Prepare
    const known = contact({ phone: '+84912345678' });

    // Act
    const recipients = [resolveRecipient(undefined, known), resolveRecipient(null, known), resolveRecipient('', known)];

    // Assess
    for (const recipient of recipients) expect(recipient).toEqual({ ok: true, e164: '+84912345678', masked: '+84******678' });
  });

  it('converts a pre-2018 11-digit number before sending', () => {
    // Act
    const recipient = resolveRecipient('01662345678', undefined);

    // Assess
    expect(recipient).toMatchObject({ ok: true, e164: '+84362345678' });
  });

  it('skips as invalid-phone a landline given by the event, saying why', () => {
    // Act
    const recipient = resolveRecipient('024 3824 1234', contact());

    // Assess: the event's number wins even when unusable; the contact is not a fallback
    expect(recipient.ok).toBe(false);
    if (!recipient.ok) {
      expect(recipient.reason).toBe('invalid-phone');
      expect(recipient.detail).toBe('landline: a Vietnamese fixed-line number cannot receive SMS');
    }
  });

  it('skips as invalid-phone a contact whose upstream number was rejected', () => {
    // Act
    const recipient = resolveRecipient(undefined, contact({ phone: null, phoneRejected: 'landline' }));

    // Assess
    expect(recipient).toEqual({ ok: false, reason: 'invalid-phone', detail: 'contact number rejected: landline' });
  });

  it('skips as no-phone a contact without a number', () => {
    // Act
    const recipient = resolveRecipient(null, contact({ phone: null }));

    // Assess
    expect(recipient).toEqual({ ok: false, reason: 'no-phone', detail: 'contact has no phone number' });
  });

  it('skips as no-phone a subject nobody registered', () => {
    // Act
    const recipient = resolveRecipient(undefined, undefined);

    // Assess
    expect(recipient).toEqual({ ok: false, reason: 'no-phone', detail: 'no contact registered' });
  });
});

describe('rendering a plan', () => {
  it('renders a unit payment from the event data (seed 000, row 1 wording)', () => {
    // Act
    const sms = renderPlan(planUnitPayment(payment), undefined);

    // Assess
    expect(sms.text).toBe('Cong ty Dau khi (QW18013) da nop 10.000.000 d. Thong tin lien he de duoc tro giup BHXH TP HCM.');
    expect(sms.segments).toBe(1);
    expect(sms.septets).toBe(sms.text.length);
  });

  it("salutes the worker by the event's gender first, then the contact's, else Ông/Bà (SPEC rule 8)", () => {
    // Prepare
    const plan = planContributionStopped({ ...stopped, gender: 'female' });
    const genderless = planContributionStopped(stopped);

    // Act
    const fromEvent = renderPlan(plan, contact({ gender: 'male' })).text;
    const fromContact = renderPlan(genderless, contact({ gender: 'male' })).text;
    const unknown = [renderPlan(genderless, contact({ gender: null })).text, renderPlan(genderless, undefined).text];

    // Assess
    expect(fromEvent).toBe(
      'Kinh gui Ba Dang Thi Thu Hoai (ma so BHXH: 0113096123), Cong ty CJ da ngung dong BHXH cho Ba tu thang 11/2018. Neu co vuong mac, de nghi Ba lien he voi don vi de duoc lam ro.',
    );
    expect(fromContact.startsWith('Kinh gui Ong Dang Thi Thu Hoai')).toBe(true);
    for (const text of unknown) expect(text.startsWith('Kinh gui Ong/Ba Dang Thi Thu Hoai')).toBe(true);
  });

  it("salutes a voluntary contributor the same way (event's gender, then the contact's)", () => {
    // Prepare
    const base = { personId: '0110129425', fullName: 'Lê Văn Nam', paidThrough: '2026-06' };

    // Act
    const fromEvent = renderPlan(planVoluntaryTermEnding({ ...base, gender: 'male' }), contact({ gender: 'female' })).text;
    const fromContact = renderPlan(planVoluntaryTermEnding(base), contact({ gender: 'female' })).text;
    const unknown = renderPlan(planVoluntaryTermEnding({ ...base, gender: null }), undefined).text;

    // Assess
    expect(fromEvent).toBe('Kinh gui Ong Le Van Nam, thoi gian dong BHXH tu nguyen cua Ong den het thang 06/2026. De nghi Ong tiep tuc dong de duoc huong day du quyen loi.');
    expect(fromContact.startsWith('Kinh gui Ba Le Van Nam')).toBe(true);
    expect(unknown.startsWith('Kinh gui Ong/Ba Le Van Nam')).toBe(true);
  });

  it('renders each dossier message with its own data', () => {
    // Prepare
    const address = { dossierNo: '04548/2018/006', subjectType: 'person' as const, subjectId: '0110129425' };

    // Act
    const texts = [
      renderPlan(planDossierAccepted({ ...address, expectedResultDate: '2018-12-06' }), undefined).text,
      renderPlan(planDossierRejected({ ...address, rejectReason: 'hồ sơ không hợp lệ' }), undefined).text,
      renderPlan(planDossierResolved(address), undefined).text,
      renderPlan(planDossierOverdueApology({ ...address, expectedResultDate: '2018-12-06' }), undefined).text,
    ];

    // Assess
    expect(texts).toEqual([
      'Ho so so 04548/2018/006 dang duoc xu ly. Ket qua giai quyet ho so se co vao ngay 06/12/2018.',
      'Ho so so 04548/2018/006 da bi tu choi do ho so khong hop le.',
      'Ho so so 04548/2018/006 da duoc giai quyet xong. Vui long nhan ket qua giai quyet theo hinh thuc da dang ky.',
      'Ho so so 04548/2018/006 chua co ket qua dung hen ngay 06/12/2018. Co quan BHXH xin loi va se bao ngay khi co ket qua.',
    ]);
  });

  it('renders the scheduled messages (card, statement, facility summary, password reminder) from their data', () => {
    // Act
    const card = renderPlan(planHealthCardExpiring({ personId: '0110129425', cardNo: 'HC4010110129425', validTo: '2018-12-31' }), undefined).text;
    const statement = renderPlan(
      planUnitStatement({
        unitCode: 'HOYA01',
        unitName: 'Công ty Hoya',
        month: '2019-05',
        paidAmount: 1_000,
        carriedOverAmount: 2_000,
        expectedAmount: 3_000,
        agency: 'BHXH TP.Hà Nội',
      }),
      undefined,
    ).text;
    const summary = renderPlan(planFacilitySummary({ facilityCode: '01909', month: '2019-04', claimCount: 10_132, claimAmount: 11_967_526_000, onTimeRate: 0.72 }), undefined).text;
    const reminder = renderPlan(planPasswordReminder({ personId: '0110129425', changedAt: '2026-06-01T09:00:00+07:00' }), undefined).text;

    // Assess
    expect(card).toBe('Ma the: HC4010110129425, co gia tri su dung den het ngay 31/12/2018. De nghi ong/ba gia han the de duoc dam bao quyen loi huong BHYT.');
    expect(statement).toBe(
      'Kinh gui Cong ty Hoya: so tien da dong thang 05/2019 la 1.000 dong; So tien con phai dong chuyen sang thang 06/2019 la 2.000 dong; So tien du tinh phai dong thang 06/2019 la 3.000. Chi tiet lien he BHXH TP.Ha Noi',
    );
    expect(summary).toBe(
      'Thang 04/2019, Ma CSKCB 01909: Tong so luot de nghi la 10.132 luot, tong so tien de nghi BHXH thanh toan la 11.967.526.000 dong, ty le ho so gui dung ngay la 72%. Tran trong!',
    );
    expect(reminder).toBe('Da 6 thang ke tu lan doi mat khau gan nhat cua tai khoan VssID 0110129425. De nghi doi mat khau de bao ve thong tin ca nhan.');
  });

  it('renders a collection confirmation with code, name, BHXH number, date, amount, scheme and months (seed 004)', () => {
    // Act
    const text = renderPlan(
      planCollectionConfirmed({
        confirmationCode: 'XN-2026-000123',
        collectorCode: 'TC01',
        personId: '0110129425',
        fullName: 'Lê Văn Nam',
        paidAt: '2026-03-02T10:00:00+07:00',
        amount: 1_485_000,
        scheme: 'household-health',
        months: 12,
      }),
      undefined,
    ).text;

    // Assess
    expect(text).toBe('Ma xac nhan XN-2026-000123: Le Van Nam, ma so BHXH 0110129425, ngay 02/03/2026 da nop 1.485.000 dong BHYT ho gia dinh cho 12 thang.');
  });

  it('renders an account refusal with its reason and no secret', () => {
    // Act
    const text = renderPlan(
      planAccountReviewed({ registrationId: 'REG-42', personId: '0110129425', fullName: 'Lê Văn Nam', approved: false, reason: 'ảnh giấy tờ không rõ' }),
      undefined,
    ).text;

    // Assess
    expect(text).toBe('Dang ky giao dich dien tu voi co quan BHXH cua Le Van Nam chua duoc phe duyet do anh giay to khong ro.');
  });
});

describe('secrets in the ledger (SPEC rules 5 and 10)', () => {
  it('keeps a one-time code out of the rendered text: the ledger sees the mask, the sender puts the code back', () => {
    // Act
    const plan = planOtp({ personId: '0110129425', purpose: 'device-login', code: '482913', expiresAt: '2026-05-04T10:05:00+07:00' }, 'issue-1');
    const sms = renderPlan(plan, undefined);

    // Assess
    expect(plan.secret).toBe('482913');
    expect(sms.text).toBe('Ma OTP ******** dung de dang nhap VssID tren thiet bi moi, hieu luc den 10:05 04/05/2026. Khong cung cap ma nay cho bat ky ai.');
    expect(sms.text).not.toContain('482913');
  });

  it('keeps a temporary password out of the rendered text', () => {
    // Act
    const plan = planTemporaryPassword({ personId: '0110129425', loginName: '0110129425', temporaryPassword: 'Xy7#pq9!' }, 'issue-1');
    const sms = renderPlan(plan, undefined);

    // Assess
    expect(plan.secret).toBe('Xy7#pq9!');
    expect(sms.text).toBe(`Mat khau tam thoi cua tai khoan VssID 0110129425 la ${SECRET_MASK}. De nghi doi mat khau ngay sau khi dang nhap.`);
  });

  it('counts the parts on the text really sent: a password longer than the mask can make a second part', () => {
    // Prepare: with the 8-character mask this approval is exactly 160 characters, one part
    const review = { registrationId: 'REG-42', personId: '0110129425', fullName: 'Nguyễn Văn An', approved: true, loginName: '0110129425' };

    // Act
    const short = renderPlan(planAccountReviewed({ ...review, temporaryPassword: 'Ab1!xy' }), undefined);
    const long = renderPlan(planAccountReviewed({ ...review, temporaryPassword: 'Ab1!xyz89' }), undefined);

    // Assess: the ledger's text is masked in both, the measure follows the real password
    expect(short.text).toBe(long.text);
    expect(long.text).toBe(
      'Tai khoan giao dich dien tu BHXH cua Nguyen Van An da duoc phe duyet. Ten dang nhap: 0110129425, mat khau: ********. De nghi doi mat khau khi dang nhap lan dau.',
    );
    expect(short).toMatchObject({ segments: 1, septets: 158 });
    expect(long).toMatchObject({ segments: 2, septets: 161 });
  });

  it('refuses a message that the secret pushes over 3 parts, and allows one that ends exactly at 3', () => {
    // Prepare: a login name long enough that the masked approval is 459 septets (3 × 153) with a password as long as the mask
    const review = { registrationId: 'REG-42', personId: '0110129425', fullName: 'Nguyễn Văn An', approved: true };
    const loginName = 'L'.repeat(459 - 150);

    // Act
    const exact = renderPlan(planAccountReviewed({ ...review, loginName, temporaryPassword: 'Ab1!xy78' }), undefined);
    const over = () => renderPlan(planAccountReviewed({ ...review, loginName, temporaryPassword: 'Ab1!xy789' }), undefined);

    // Assess
    expect(exact).toMatchObject({ segments: 3, septets: 459 });
    expect(over).toThrow(TemplateTooLongError);
    expect(over).toThrow('template account-approved rendered to 4 parts');
  });
});

describe('fields a case requires (an approval needs a login name and a password, a refusal a reason)', () => {
  const review = { registrationId: 'REG-42', personId: '0110129425', fullName: 'Lê Văn Nam' };

  it('names the missing field instead of sending "undefined" to a citizen', () => {
    // Act
    const noLogin = () => planAccountReviewed({ ...review, approved: true, temporaryPassword: 'Xy7#pq9!' });
    const noPassword = () => planAccountReviewed({ ...review, approved: true, loginName: '0110129425' });
    const noReason = () => planAccountReviewed({ ...review, approved: false });

    // Assess
    expect(noLogin).toThrow('loginName is required here');
    expect(noPassword).toThrow('temporaryPassword is required here');
    expect(noReason).toThrow('reason is required here');
  });

  it('treats null as missing too, and keeps any present value, even an empty or falsy one', () => {
    // Act
    const fromNull = () => present(null, 'reason');

    // Assess
    expect(fromNull).toThrow('reason is required here');
    expect([present('', 'reason'), present(0, 'months'), present(false, 'approved')]).toEqual(['', 0, false]);
  });
});
