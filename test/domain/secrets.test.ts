/**
 * Putting a password or one-time code back into its masked message
 * (lambdas/domain/secrets.ts): the ledger holds the text with SECRET_MASK, and
 * only the sender, just before the SMS leaves, puts the secret in (SPEC rules
 * 5 and 10: secrets never appear in plain text in logs or the ledger).
 */
import { describe, expect, it } from 'vitest';
import { withSecret } from '../../lambdas/domain/secrets.ts';
import { SECRET_MASK } from '../../lambdas/domain/templates.ts';

describe('withSecret', () => {
  it('puts the secret where the mask is', () => {
    // Prepare
    const masked = `Ma OTP ${SECRET_MASK} dung de doi mat khau VssID.`;

    // Act
    const sent = withSecret(masked, '482913');

    // Assess
    expect(sent).toBe('Ma OTP 482913 dung de doi mat khau VssID.');
  });

  it('puts a password in exactly as issued, even with $ and & (GSM-7 punctuation a password may hold)', () => {
    // Prepare: "$&" and "$'" would be replacement patterns for String.replace with a string
    const masked = `Mat khau: ${SECRET_MASK}. Doi mat khau ngay.`;

    // Act
    const sent = withSecret(masked, "Ab$&1$'x");

    // Assess
    expect(sent).toBe("Mat khau: Ab$&1$'x. Doi mat khau ngay.");
  });

  it('fills only the first mask: a message holds one secret', () => {
    // Act
    const sent = withSecret(`${SECRET_MASK} / ${SECRET_MASK}`, '1234');

    // Assess
    expect(sent).toBe(`1234 / ${SECRET_MASK}`);
  });

  it('refuses a message that has no place for its secret, rather than sending it without', () => {
    // Act
    const put = () => withSecret('Ho so so 04548/2018/006 da duoc giai quyet xong.', '482913');

    // Assess
    expect(put).toThrow('message has no place for its secret');
  });
});
