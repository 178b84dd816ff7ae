/**
 * Redaction (SPEC rule 5: phone numbers and one-time codes never appear in
 * plain text in logs): provider errors lose the numbers they echo, quarantined
 * events lose their secrets, and what an operator is shown keeps only the last
 * three digits of a phone number while dates, amounts and codes stay readable.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskPhonesIn, redactNumbers, redactSecrets } from '../../lambdas/domain/redact.ts';

describe('redactNumbers: numbers echoed in provider errors', () => {
  it.each([
    ['+84912345678', '***678'],
    ['84912345678', '***678'],
    ['0912345678', '***678'],
    ['+84 912 345 678', '***678'],
    ['0912.345.678', '***678'],
    ['091-234-5678', '***678'],
    ['+84 91 234 56 78', '***678'],
  ])('masks %j to its last three digits', (number, masked) => {
    // Act
    const redacted = redactNumbers(`Invalid parameter: PhoneNumber Reason: ${number} is not valid`);

    // Assess
    expect(redacted).toBe(`Invalid parameter: PhoneNumber Reason: ${masked} is not valid`);
  });

  it('masks every number in the text, not only the first', () => {
    expect(redactNumbers('from 0912345678 to +84987654321.')).toBe('from ***678 to ***321.');
  });

  it('masks runs of eight digits or more, and leaves shorter ones alone', () => {
    // Prepare: 8 is the shortest run the rule masks (a digit, six more characters, a digit)
    const eight = 'code 12345678 end';
    const seven = 'code 1234567 end';

    // Act / Assess
    expect(redactNumbers(eight)).toBe('code ***678 end');
    expect(redactNumbers(seven)).toBe(seven);
  });

  it('does not start or end a number on a separator', () => {
    // Prepare: the separators around the number are not part of it
    const text = 'to 0912 345 678 - rejected';

    // Act / Assess
    expect(redactNumbers(text)).toBe('to ***678 - rejected');
  });

  it('leaves text without numbers as it is', () => {
    expect(redactNumbers('Throttling: Rate exceeded')).toBe('Throttling: Rate exceeded');
  });

  it('never leaves seven consecutive digits of a phone number (property)', () => {
    const national = fc.stringMatching(/^[35789]\d{8}$/);
    fc.assert(
      fc.property(national, fc.constantFrom('0', '84', '+84'), (n, prefix) => {
        const redacted = redactNumbers(`error for ${prefix}${n}: blocked`);
        expect(redacted).toBe(`error for ***${n.slice(-3)}: blocked`);
      }),
    );
  });
});

describe('redactSecrets: quarantined copies of events', () => {
  it('replaces the one-time code of an OtpIssued and keeps everything else', () => {
    // Prepare
    const event = {
      version: '0',
      source: 'vn.gov.bhxh.dvc',
      'detail-type': 'OtpIssued',
      detail: { personId: '0110129425', purpose: 'device-login', code: '482913', expiresAt: '2026-12-01T09:05:00+07:00', phone: '0912345678' },
    };

    // Act
    const redacted = JSON.parse(redactSecrets(JSON.stringify(event)));

    // Assess
    expect(redacted).toEqual({ ...event, detail: { ...event.detail, code: '[redacted]' } });
    expect(JSON.stringify(redacted)).not.toContain('482913');
  });

  it.each(['TemporaryPasswordIssued', 'EAccountRegistrationReviewed'])('replaces the temporaryPassword of a %s', (detailType) => {
    // Prepare
    const body = JSON.stringify({ 'detail-type': detailType, detail: { personId: '0110129425', loginName: '0110129425', temporaryPassword: 'Xy7#pq2!' } });

    // Act
    const redacted = JSON.parse(redactSecrets(body));

    // Assess
    expect(redacted.detail).toEqual({ personId: '0110129425', loginName: '0110129425', temporaryPassword: '[redacted]' });
  });

  it('does not add a secret field the event did not carry', () => {
    // Prepare: a refused registration has no password
    const body = JSON.stringify({ 'detail-type': 'EAccountRegistrationReviewed', detail: { registrationId: 'R1', approved: false, reason: 'thiếu giấy tờ' } });

    // Act
    const redacted = JSON.parse(redactSecrets(body));

    // Assess
    expect(redacted.detail).toEqual({ registrationId: 'R1', approved: false, reason: 'thiếu giấy tờ' });
  });

  it('returns an event without secrets exactly as it came', () => {
    // Prepare: formatted JSON, so that re-serialising it would show; identifiers named …Code are not secrets
    const body = JSON.stringify({ 'detail-type': 'UnitPaymentReceived', detail: { unitCode: 'QW18013', paymentId: 'PT-1' } }, null, 2);

    // Act / Assess
    expect(redactSecrets(body)).toBe(body);
  });

  it.each([
    ['not JSON', 'OtpIssued purpose=device-login'],
    ['without a detail', JSON.stringify({ 'detail-type': 'OtpIssued' }, null, 2)],
    ['with a null detail', JSON.stringify({ 'detail-type': 'OtpIssued', detail: null }, null, 2)],
    ['with a text detail', JSON.stringify({ 'detail-type': 'OtpIssued', detail: 'code' }, null, 2)],
    ['without a detail-type', JSON.stringify({ detail: { purpose: 'device-login' } }, null, 2)],
  ])('returns a body %s unchanged: there is nothing it could redact', (_, body) => {
    expect(redactSecrets(body)).toBe(body);
  });
});

describe('maskPhonesIn: events shown to an operator', () => {
  it.each([
    ['0912345678', '***678'],
    ['+84912345678', '***678'],
    ['84912345678', '***678'],
    ['+84 912 345 678', '***678'],
    ['0912.345.678', '***678'],
    ['091-234-5678', '***678'],
    // nine digits: the shortest masked
    ['091234567', '***567'],
    // twelve digits, the longest masked, spread over the longest span (16 characters)
    ['0 912 345 678 90', '***890'],
  ])('masks the Vietnamese number %j', (number, masked) => {
    expect(maskPhonesIn(`{"phone":"${number}","name":"Lê Văn Nam"}`)).toBe(`{"phone":"${masked}","name":"Lê Văn Nam"}`);
  });

  it.each([
    ['an amount', 'đã nộp 10.000.000 đ'],
    ['an amount that starts like a number (8 digits)', 'số tiền 84.000.000 đồng'],
    ['a date', 'ngày 06/12/2018'],
    ['a timestamp', '2026-12-01T09:00:00+07:00'],
    ['a BHXH number', 'mã số BHXH 1234567890'],
    ['a card number', 'HC4010110129425'],
    ['a dossier number', 'Hồ sơ số 06991/2018/08608'],
    ['digits inside a word', 'ref abc0912345678'],
    ['digits that continue a longer number', 'tài khoản 10912345678'],
    ['thirteen digits', 'số 0912345678901'],
  ])('leaves %s readable: %j', (_, text) => {
    expect(maskPhonesIn(text)).toBe(text);
  });

  it('masks a number followed by another one, and leaves that one readable', () => {
    expect(maskPhonesIn('0912 345 678 50000')).toBe('***678 50000');
  });

  it('masks every number of the text', () => {
    expect(maskPhonesIn('from 0912345678 to +84 987 654 321')).toBe('from ***678 to ***321');
  });

  it('keeps only the last three digits of any written form of a mobile number (property)', () => {
    const national = fc.stringMatching(/^[35789]\d{8}$/);
    fc.assert(
      fc.property(national, fc.constantFrom('0', '84', '+84', '+84 '), (n, prefix) => {
        const masked = maskPhonesIn(`phone: ${prefix}${n}.`);
        expect(masked).toBe(`phone: ***${n.slice(-3)}.`);
      }),
    );
  });
});
