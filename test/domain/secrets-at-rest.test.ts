/**
 * Redaction by field name ("No secret at rest, anywhere"): a copy of an event
 * kept in the quarantine, or shown to an operator, loses every field named
 * like a password, a code, a PIN or a secret, at any depth, whatever its
 * detail-type; identifiers that merely end in "code" stay, so a redriven event
 * still works. And an SMS shown on a terminal has its password or code masked.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SECRET_BEARING_DETAIL_TYPES, type DetailType } from '../../lambdas/domain/catalogue.ts';
import { carriesSecret, isSecretFieldName, maskSecretsInSms, redactSecrets, SECRET_BEARING_KINDS, SECRET_FIELD_SPELLINGS } from '../../lambdas/domain/redact.ts';
import { renderSms } from '../../lambdas/domain/templates.ts';
import { withSecret } from '../../lambdas/domain/secrets.ts';
import { envelope, sampleDetails } from '../support/events.ts';

describe('isSecretFieldName', () => {
  it.each([
    'code',
    'Code',
    'CODE',
    'otp',
    'OTP',
    'otpCode',
    'OTPCode',
    'otp_code',
    'smsCode',
    'verificationCode',
    'oneTimeCode',
    'pin',
    'PIN',
    'pinCode',
    'password',
    'Password',
    'temporaryPassword',
    'TemporaryPassword',
    'TEMPORARYPASSWORD',
    'temporary_password',
    'new-password',
    'passcode',
    'secret',
    'clientSecret',
    'secretCiphertext',
    'matKhau',
  ])('%s holds a secret', (name) => {
    expect(isSecretFieldName(name)).toBe(true);
  });

  it.each(['unitCode', 'facilityCode', 'collectorCode', 'confirmationCode', 'cardNo', 'personId', 'purpose', 'expiresAt', 'loginName', 'phone', 'footprint', 'pinned', 'episode'])(
    '%s does not',
    (name) => {
      expect(isSecretFieldName(name)).toBe(false);
    },
  );

  it('covers every spelling the bus archive refuses, and every secret field of the catalogue', () => {
    expect(SECRET_FIELD_SPELLINGS.filter((f) => !isSecretFieldName(f))).toEqual([]);
    expect(['temporaryPassword', 'code'].every(isSecretFieldName)).toBe(true);
  });
});

describe('redactSecrets: by field name, whatever the detail-type', () => {
  it('redacts the code of a mistyped OTPIssued, which no catalogue entry names', () => {
    // Prepare
    const detail = { personId: '0110129425', purpose: 'device-login', code: '482913', expiresAt: '2026-12-01T09:05:00+07:00' };
    const event = envelope('OTPIssued', detail);

    // Act
    const redacted = JSON.parse(redactSecrets(JSON.stringify(event)));

    // Assess
    expect(redacted).toEqual({ ...event, detail: { ...detail, code: '[redacted]' } });
  });

  it('redacts at any depth, in arrays too, whatever the case, and outside the detail', () => {
    // Prepare
    const body = {
      'detail-type': 'SomethingNew',
      detail: { user: { Password: 'p@ss-1', profile: [{ PIN: '9876' }, { otp: '112233' }] }, TemporaryPassword: 'Tmp#1', unitCode: 'QW18013' },
      secret: 'top-level',
    };

    // Act
    const redacted = JSON.parse(redactSecrets(JSON.stringify(body)));

    // Assess
    expect(redacted).toEqual({
      'detail-type': 'SomethingNew',
      detail: { user: { Password: '[redacted]', profile: [{ PIN: '[redacted]' }, { otp: '[redacted]' }] }, TemporaryPassword: '[redacted]', unitCode: 'QW18013' },
      secret: '[redacted]',
    });
  });

  it('redacts a body that is not JSON (cut short, or text) by its "name": value and name=value pairs', () => {
    expect(redactSecrets('{"detail-type":"OtpIssued","detail":{"code":"482913","purpose":"x"')).toBe('{"detail-type":"OtpIssued","detail":{"code":"[redacted]","purpose":"x"');
    expect(redactSecrets('OtpIssued code=482913 purpose=device-login')).toBe('OtpIssued code=[redacted] purpose=device-login');
    expect(redactSecrets('Unexpected token, "{"password": "Kp7#q2Zx" x" is not valid JSON')).not.toContain('Kp7#q2Zx');
  });

  it('leaves every valid event of the catalogue without a secret exactly as it came (its redrive replays it)', () => {
    for (const [detailType, detail] of Object.entries(sampleDetails)) {
      const body = JSON.stringify(envelope(detailType, detail), null, 2);
      const secretBearing = SECRET_BEARING_DETAIL_TYPES.includes(detailType as DetailType);
      expect(redactSecrets(body) === body, detailType).toBe(!secretBearing);
      expect(carriesSecret(body), detailType).toBe(secretBearing);
    }
  });

  it('never leaves the value of a secret-named field anywhere in the copy (property)', () => {
    const name = fc.constantFrom(...SECRET_FIELD_SPELLINGS, 'otp_code', 'newPassword', 'clientSecret');
    const value = fc.stringMatching(/^[A-Za-z0-9#@!]{6,16}$/);
    fc.assert(
      fc.property(name, value, fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }), (field, secret, path) => {
        let detail: Record<string, unknown> = { [field]: secret, note: 'n' };
        for (const p of path) detail = { [p]: detail };
        expect(redactSecrets(JSON.stringify({ 'detail-type': 'X', detail }))).not.toContain(secret);
      }),
    );
  });
});

describe('maskSecretsInSms: what a terminal shows', () => {
  const samples = {
    otp: [renderSms('otp', { code: '********', purpose: 'device-login', expiresAt: '2026-12-01T09:05:00+07:00' }).text, '482913'],
    'temporary-password': [renderSms('temporary-password', { loginName: '0110129425', password: '********' }).text, 'Kp7#q2. Zx'],
    'account-approved': [renderSms('account-approved', { fullName: 'Đặng Thị Thu Hoài', loginName: '0110129425', password: '********' }).text, 'mat khau: X.1'],
  } as const;

  it.each(Object.entries(samples))('masks the secret of %s where the template puts it, and leaves the rest', (kind, [masked, secret]) => {
    // Prepare: the SMS as sent (the ledger text with its secret put back)
    const sent = withSecret(masked, secret);

    // Act / Assess: exactly the ledger's text again
    expect(maskSecretsInSms(kind, sent)).toBe(masked);
  });

  it('knows every kind that carries a secret, and hides a text of such a kind whole when it does not have the template shape', () => {
    expect([...SECRET_BEARING_KINDS].sort()).toEqual(Object.keys(samples).sort());
    expect(maskSecretsInSms('otp', 'Your code is 123456')).not.toContain('123456');
  });

  it('leaves the other kinds as they are', () => {
    const text = 'CN Vien dau khi (QW18013) da nop 10.000.000 d.';
    expect(maskSecretsInSms('unit-payment-received', text)).toBe(text);
  });
});
