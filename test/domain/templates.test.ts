/**
 * Every seed example (SPEC "Message examples from the seeds"), rendered from
 * its data: the text must be the agency's wording without diacritics. The
 * expectations are written out by hand, not computed with transliterate.
 */
import { describe, expect, it } from 'vitest';
import { renderSms, TemplateTooLongError, TEMPLATE_IDS } from '../../lambdas/domain/templates.ts';
import { formatAmount, formatDate, formatMonth, formatPercent, nextMonth, salutation } from '../../lambdas/domain/text/format.ts';

describe('seed messages', () => {
  it('unit payment (seed 000, row 1)', () => {
    const sms = renderSms('unit-payment-received', {
      unitName: 'CN Viện dầu khí VNTT nghiên cứu tìm kiếm thăm dò & khai thác Dầu khí',
      unitCode: 'QW18013',
      amount: 10_000_000,
      agency: 'VP Bảo hiểm Xã hội TP HCM',
    });
    expect(sms.text).toBe(
      'CN Vien dau khi VNTT nghien cuu tim kiem tham do & khai thac Dau khi (QW18013) da nop 10.000.000 d. Thong tin lien he de duoc tro giup VP Bao hiem Xa hoi TP HCM.',
    );
    // 161 characters: the agency's own wording is one character over a single part.
    expect(sms).toMatchObject({ septets: 161, segments: 2 });
  });

  it('contribution stopped (seed 000, row 2)', () => {
    const sms = renderSms('contribution-stopped', {
      fullName: 'Đặng Thị Thu Hoài',
      gender: 'female',
      personId: '0113096123',
      unitName: 'CN Cty TNHH CJ KOREA EXPRESS FREIGHT Việt Nam Tại Hà Nội',
      fromMonth: '2018-11',
    });
    expect(sms.text).toBe(
      'Kinh gui Ba Dang Thi Thu Hoai (ma so BHXH: 0113096123), CN Cty TNHH CJ KOREA EXPRESS FREIGHT Viet Nam Tai Ha Noi da ngung dong BHXH cho Ba tu thang 11/2018. Neu co vuong mac, de nghi Ba lien he voi don vi de duoc lam ro.',
    );
    expect(sms.segments).toBe(2);
  });

  it.each([
    ['male', 'Kinh gui Ong Le Van Nam', 'cho Ong tu', 'de nghi Ong lien'],
    [null, 'Kinh gui Ong/Ba Le Van Nam', 'cho Ong/Ba tu', 'de nghi Ong/Ba lien'],
  ] as const)('contribution stopped, gender %s', (gender, start, middle, end) => {
    const { text } = renderSms('contribution-stopped', { fullName: 'Lê Văn Nam', gender, personId: '0110000001', unitName: 'Công ty A', fromMonth: '2026-01' });
    expect(text.startsWith(start)).toBe(true);
    expect(text).toContain(middle);
    expect(text).toContain(end);
  });

  it('dossier accepted, rejected, resolved (seed 000, row 3)', () => {
    expect(renderSms('dossier-accepted', { dossierNo: '06991/2018/08608', expectedResultDate: '2018-12-06' }).text).toBe(
      'Ho so so 06991/2018/08608 dang duoc xu ly. Ket qua giai quyet ho so se co vao ngay 06/12/2018.',
    );
    expect(renderSms('dossier-rejected', { dossierNo: '04548/2018/006', reason: 'hồ sơ không hợp lệ' }).text).toBe('Ho so so 04548/2018/006 da bi tu choi do ho so khong hop le.');
    expect(renderSms('dossier-resolved', { dossierNo: '03085_G/2018/00604' }).text).toBe(
      'Ho so so 03085_G/2018/00604 da duoc giai quyet xong. Vui long nhan ket qua giai quyet theo hinh thuc da dang ky.',
    );
  });

  it('health card expiring (seed 000, row 4; the seed card number has 16 characters)', () => {
    expect(renderSms('health-card-expiring', { cardNo: 'HC40101101129425', validTo: '2018-12-31' }).text).toBe(
      'Ma the: HC40101101129425, co gia tri su dung den het ngay 31/12/2018. De nghi ong/ba gia han the de duoc dam bao quyen loi huong BHYT.',
    );
  });

  it('facility claims summary (seed 001, item 1)', () => {
    expect(renderSms('facility-claims-summary', { facilityCode: '01909', month: '2019-04', claimCount: 10_132, claimAmount: 11_967_526_000, onTimeRate: 0.72 }).text).toBe(
      'Thang 04/2019, Ma CSKCB 01909: Tong so luot de nghi la 10.132 luot, tong so tien de nghi BHXH thanh toan la 11.967.526.000 dong, ty le ho so gui dung ngay la 72%. Tran trong!',
    );
  });

  it('unit monthly statement (seed 001, item 2)', () => {
    const sms = renderSms('unit-monthly-statement', {
      unitName: 'Công ty TNHH Hoya Glass Disk VN',
      month: '2019-05',
      paidAmount: 9_249_473_860,
      carriedOverAmount: 214_541_737,
      expectedAmount: 8_931_964_403,
      agency: 'BHXH TP.Hà Nội',
    });
    expect(sms.text).toBe(
      'Kinh gui Cong ty TNHH Hoya Glass Disk VN: so tien da dong thang 05/2019 la 9.249.473.860 dong; So tien con phai dong chuyen sang thang 06/2019 la 214.541.737 dong; So tien du tinh phai dong thang 06/2019 la 8.931.964.403. Chi tiet lien he BHXH TP.Ha Noi',
    );
    expect(sms.segments).toBe(2);
  });

  it('writes every template in Vietnamese with diacritics (they are stripped only when rendering)', async () => {
    const { templates } = await import('../../lambdas/domain/templates.ts');
    const sample = {
      unitName: 'Đơn vị',
      unitCode: 'X1',
      amount: 1,
      agency: 'BHXH',
      fullName: 'Nguyễn An',
      personId: '0100000001',
      fromMonth: '2026-01',
      dossierNo: 'A/1',
      expectedResultDate: '2026-01-02',
      reason: 'thiếu giấy tờ',
      cardNo: 'HC4010110129425',
      validTo: '2026-01-31',
      facilityCode: '01909',
      month: '2026-01',
      claimCount: 1,
      claimAmount: 1,
      onTimeRate: 1,
      paidAmount: 1,
      carriedOverAmount: 1,
      expectedAmount: 1,
      loginName: 'x',
      password: 'y',
      code: '1234',
      purpose: 'device-login',
      expiresAt: '2026-01-01T00:00:00Z',
      status: 'received',
      limit: 10,
      months: 12,
      periods: 'Đơn vị 01/2026-nay',
      more: 0,
      paidThrough: '2026-01',
      paidAt: '2026-01-01T00:00:00Z',
      scheme: 'voluntary-social',
      confirmationCode: 'XN-1',
      collectorCode: 'TC1',
      date: '2026-01-01',
      count: 1,
      total: 1,
      registrationId: 'DK-1',
      deadline: '2026-01-11',
    } as never;
    for (const id of TEMPLATE_IDS) {
      const text = (templates[id] as (d: never) => string)(sample);
      expect(/[^\t\n\r -~]/.test(text.replace(/Đơn vị|Nguyễn An|thiếu giấy tờ/g, '')), id).toBe(true);
      expect(renderSms(id, sample).segments, id).toBeLessThanOrEqual(3);
    }
  });

  it('refuses to render more than 3 parts', () => {
    expect(() => renderSms('dossier-resolved', { dossierNo: 'X'.repeat(400) })).toThrow(TemplateTooLongError);
  });

  it('worst-case inputs allowed by the schemas stay within 3 parts', () => {
    // The longest names the schemas accept (unitName 200, fullName 100, agency 100).
    expect(
      renderSms('unit-payment-received', { unitName: 'W'.repeat(200), unitCode: 'Q'.repeat(20), amount: Number.MAX_SAFE_INTEGER, agency: 'A'.repeat(100) }).segments,
    ).toBeLessThanOrEqual(3);
    expect(
      renderSms('contribution-stopped', { fullName: 'N'.repeat(100), gender: null, personId: '0123456789', unitName: 'U'.repeat(200), fromMonth: '2026-01' }).segments,
    ).toBeLessThanOrEqual(3);
  });
});

describe('Vietnamese formats', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1.000'],
    [10_000_000, '10.000.000'],
    [-214_541_737, '-214.541.737'],
  ])('amount %i → %s', (n, s) => expect(formatAmount(n)).toBe(s));

  it('refuses a fractional amount', () => expect(() => formatAmount(10.5)).toThrow('whole number'));

  it('reads dates in Asia/Ho_Chi_Minh', () => {
    expect(formatDate('2018-12-06')).toBe('06/12/2018');
    expect(formatDate('2018-11-30T20:00:00Z')).toBe('01/12/2018');
    expect(formatDate(new Date('2018-11-30T16:59:59Z'))).toBe('30/11/2018');
  });

  it('formats months, the next month, percentages and salutations', () => {
    expect(formatMonth('2018-11')).toBe('11/2018');
    expect([nextMonth('2019-05'), nextMonth('2019-12')]).toEqual(['2019-06', '2020-01']);
    expect([formatPercent(0.72), formatPercent(0.725), formatPercent(1)]).toEqual(['72%', '73%', '100%']);
    expect([salutation('male'), salutation('female'), salutation(null), salutation(undefined)]).toEqual(['Ông', 'Bà', 'Ông/Bà', 'Ông/Bà']);
  });
});

describe('secret mask and the 3-part limit', () => {
  it('masks a secret with 8 asterisks: long enough to stand out in the ledger, GSM-7 on its own', async () => {
    // Prepare
    const { SECRET_MASK } = await import('../../lambdas/domain/templates.ts');

    // Act
    const sms = renderSms('otp', { code: SECRET_MASK, purpose: 'password-change', expiresAt: '2026-05-04T10:05:00+07:00' });

    // Assess
    expect(SECRET_MASK).toBe('********');
    expect(sms.text).toBe('Ma OTP ******** dung de doi mat khau VssID, hieu luc den 10:05 04/05/2026. Khong cung cap ma nay cho bat ky ai.');
  });

  it('names the template and its part count when a message is too long', () => {
    // Act
    let error: unknown;
    try {
      renderSms('dossier-resolved', { dossierNo: 'X'.repeat(400) });
    } catch (e) {
      error = e;
    }

    // Assess: an operator reading the log knows which template and by how much
    expect(error).toBeInstanceOf(TemplateTooLongError);
    expect(error).toMatchObject({ name: 'TemplateTooLongError', templateId: 'dossier-resolved', segments: 4 });
    expect((error as Error).message).toBe('template dossier-resolved rendered to 4 parts; at most 3 are allowed');
  });

  it('accepts a message of exactly 3 parts (459 septets)', () => {
    // Prepare: the fixed wording of dossier-resolved is 94 characters around the number
    const fixed = renderSms('dossier-resolved', { dossierNo: '' }).septets;

    // Act
    const sms = renderSms('dossier-resolved', { dossierNo: 'X'.repeat(459 - fixed) });

    // Assess
    expect(sms).toMatchObject({ segments: 3, septets: 459 });
  });
});
