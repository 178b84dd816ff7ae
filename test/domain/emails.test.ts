/** The e-mail forms and SES's events about e-mails (SPEC rule 12). */
import { describe, expect, it } from 'vitest';
import { parseEmailEvent } from '../../lambdas/domain/email-receipts.ts';
import { emailForms, emailKeyOf, hasEmailForm, maskEmail, renderEmail } from '../../lambdas/domain/emails.ts';
import { describeProviderError, isRetryable } from '../../lambdas/domain/provider-errors.ts';
import { SECRET_MASK } from '../../lambdas/domain/templates.ts';

describe('e-mail forms', () => {
  it('exist for the kinds the seeds name e-mail for, and for no kind that carries a password or code by itself', () => {
    // Act
    const kinds = Object.keys(emailForms).sort();

    // Assess
    expect(kinds).toEqual(
      expect.arrayContaining([
        'account-approved',
        'account-rejected',
        'collection-confirmed',
        'collector-summary',
        'registration-received',
        'registration-reminder',
        'registration-deleted',
      ]),
    );
    for (const kind of ['otp', 'temporary-password']) expect(hasEmailForm(kind)).toBe(false);
  });

  it('never put the password in the approval e-mail, even when the data holds it', () => {
    // Act
    const email = renderEmail('account-approved', { fullName: 'Đặng Thị Thu Hoài', loginName: '0113096123', password: 'Kp7#q2Zx' });

    // Assess
    expect(email.text).not.toContain('Kp7#q2Zx');
    expect(email.text).not.toContain(SECRET_MASK);
    expect(email.text).toContain('Tên đăng nhập: 0113096123');
  });

  it('keep the diacritics (an e-mail is UTF-8, not transliterated)', () => {
    // Act
    const email = renderEmail('account-rejected', { fullName: 'Đặng Thị Thu Hoài', reason: 'ảnh chân dung không rõ' });

    // Assess
    expect(email.subject).toBe('Đăng ký giao dịch điện tử với cơ quan BHXH chưa được phê duyệt');
    expect(email.text).toContain('của Đặng Thị Thu Hoài chưa được phê duyệt do ảnh chân dung không rõ.');
  });

  it('key the e-mail apart from its SMS, and mask the address', () => {
    expect(emailKeyOf('account-approved#REG-1')).toBe('account-approved#REG-1#email');
    expect(maskEmail('hoai.dang@example.vn')).toBe('h***@example.vn');
    expect(maskEmail('not-an-address')).toBe('***');
  });
});

describe("SES's events", () => {
  const body = (fields: Record<string, unknown>) => JSON.stringify({ messageId: 'ses-1', time: '2026-11-24T02:00:00Z', ...fields });

  it('turn a delivery, a soft and a hard bounce, a complaint and a rejection into receipts', () => {
    expect(parseEmailEvent(body({ eventType: 'Delivery' }))).toMatchObject({ receipt: { status: 'delivered', providerMessageId: 'ses-1' }, suppress: false });
    expect(parseEmailEvent(body({ eventType: 'Bounce', bounceType: 'Transient', bounceSubType: 'MailboxFull' }))).toMatchObject({
      receipt: { status: 'temporary-failure', providerResponse: 'bounce Transient/MailboxFull (SES)' },
      suppress: false,
    });
    expect(parseEmailEvent(body({ eventType: 'Bounce', bounceType: 'Permanent', bounceSubType: 'General' }))).toMatchObject({
      receipt: { status: 'permanent-failure' },
      suppress: true,
    });
    expect(parseEmailEvent(body({ eventType: 'Complaint', complaintFeedbackType: 'abuse' }))).toMatchObject({
      receipt: { status: 'permanent-failure', afterDelivery: true },
      suppress: true,
    });
    expect(parseEmailEvent(body({ eventType: 'Reject' }))).toMatchObject({ receipt: { status: 'permanent-failure' }, suppress: false });
  });

  it('count, not apply, what is not an event about a message', () => {
    expect(parseEmailEvent('not json')).toBeUndefined();
    expect(parseEmailEvent(JSON.stringify({ eventType: 'Delivery' }))).toBeUndefined();
    expect(parseEmailEvent(body({ eventType: 'DeliveryDelay' }))).toBeUndefined();
  });

  it("SES's account-state refusals are retried, a refused message is not, and no address reaches the reason", () => {
    const error = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
    expect(isRetryable(error('SendingPausedException', 'paused'))).toBe(true);
    expect(isRetryable(error('LimitExceededException', 'quota'))).toBe(true);
    expect(isRetryable(error('MessageRejected', 'Email address is not verified'))).toBe(false);
    expect(describeProviderError(error('MessageRejected', 'The following identities failed the check: ten.nguoi@example.vn'))).not.toContain('ten.nguoi');
  });
});
