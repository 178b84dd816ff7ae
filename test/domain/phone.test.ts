import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskPhone, normalizeVnMobile, PREFIX_CONVERSION_2018 } from '../../lambdas/domain/phone.ts';

describe('normalizeVnMobile', () => {
  it.each(['0912345678', '84912345678', '+84912345678', '+84 912 345 678', '0912.345.678', '091-234-5678', '(+84) 912345678', '0084912345678', ' 0912 345 678 '])(
    'accepts %j',
    (input) => {
      expect(normalizeVnMobile(input)).toEqual({ ok: true, e164: '+84912345678' });
    },
  );

  it.each(Object.entries(PREFIX_CONVERSION_2018))('converts the pre-2018 prefix 0%s to 0%s', (old, now) => {
    expect(normalizeVnMobile(`0${old}1234567`)).toEqual({ ok: true, e164: `+84${now}1234567` });
    expect(normalizeVnMobile(`+84 ${old} 123 4567`)).toEqual({ ok: true, e164: `+84${now}1234567` });
  });

  it('has the whole 2018 table: 21 prefixes', () => {
    expect(Object.keys(PREFIX_CONVERSION_2018)).toHaveLength(21);
  });

  it.each([
    ['02438251234', 'landline'],
    ['028 3829 1234', 'landline'],
    ['+84 24 3825 1234', 'landline'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['abc', 'not-a-number'],
    ['0912-ABC-678', 'not-a-number'],
    ['12345', 'invalid-mobile'],
    ['0999999999999', 'invalid-mobile'],
    ['0912345', 'invalid-mobile'],
    ['0112345678', 'invalid-mobile'],
    ['+1 202 555 0143', 'foreign'],
    ['0086 138 0013 8000', 'foreign'],
  ])('rejects %j as %s', (input, reason) => {
    const result = normalizeVnMobile(input);
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.detail.replace(/\D/g, '')).not.toContain(input.replace(/\D/g, '').slice(-6) || 'x');
  });

  // Two-digit mobile prefixes whose whole 7-digit range is allocated (Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile).
  const prefixes = [
    '32',
    '33',
    '34',
    '35',
    '36',
    '37',
    '38',
    '39',
    '56',
    '58',
    '59',
    '70',
    '76',
    '77',
    '78',
    '79',
    '81',
    '82',
    '83',
    '84',
    '85',
    '86',
    '88',
    '90',
    '91',
    '93',
    '94',
    '96',
    '97',
    '98',
  ];
  const mobile = fc.tuple(fc.constantFrom(...prefixes), fc.stringMatching(/^\d{7}$/)).map(([p, rest]) => `${p}${rest}`);

  it('gives the same E.164 for every way of writing a mobile number (property)', () => {
    fc.assert(
      fc.property(mobile, (national) => {
        const forms = [
          `0${national}`,
          `84${national}`,
          `+84${national}`,
          `+84 ${national.slice(0, 2)} ${national.slice(2, 5)} ${national.slice(5)}`,
          `0${national.slice(0, 2)}.${national.slice(2)}`,
        ];
        for (const form of forms) expect(normalizeVnMobile(form)).toEqual({ ok: true, e164: `+84${national}` });
      }),
    );
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(typeof normalizeVnMobile(s).ok).toBe('boolean');
      }),
    );
  });
});

describe('maskPhone', () => {
  it('keeps the country code and the last three digits', () => {
    expect(maskPhone('+84912345678')).toBe('+84******678');
    expect(maskPhone('not a number')).toBe('***');
  });

  it('never shows more than three national digits (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (national) => {
        expect(maskPhone(`+84${national}`).replace(/\D/g, '')).toBe(`84${national.slice(-3)}`);
      }),
    );
  });
});

describe('phone metadata', () => {
  it("is the library's own Vietnam mobile metadata, unchanged (after an upgrade: npm run phone-metadata)", async () => {
    const { vietnamMetadata } = await import('../../scripts/phone-metadata-source.ts');
    const { default: shipped } = await import('../../lambdas/domain/phone-metadata.vn.json', { with: { type: 'json' } });
    expect(shipped).toEqual(vietnamMetadata());
  });

  it('agrees with the full mobile metadata on every number tried', async () => {
    const { parsePhoneNumberWithError } = await import('libphonenumber-js/mobile');
    const full = (national: string) => {
      try {
        const parsed = parsePhoneNumberWithError(`+84${national}`);
        return parsed.country === 'VN' && parsed.isValid() ? parsed.number : undefined;
      } catch {
        return undefined;
      }
    };
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{8,9}$/), (national) => {
        const ours = normalizeVnMobile(`+84${national}`);
        const expected = full(national.length === 10 && PREFIX_CONVERSION_2018[national.slice(0, 3)] ? PREFIX_CONVERSION_2018[national.slice(0, 3)] + national.slice(3) : national);
        expect(ours.ok ? ours.e164 : undefined).toBe(national.startsWith('2') ? undefined : expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('normalizeVnMobile: what each rejection tells the operator', () => {
  it.each([
    ['', { reason: 'empty', detail: 'no number given' }],
    ['\t\n ', { reason: 'empty', detail: 'no number given' }],
    ['0912 345 678 ext 1', { reason: 'not-a-number', detail: 'contains characters other than digits and separators' }],
    ['912345678', { reason: 'invalid-mobile', detail: 'neither a national number (0…) nor an international one (84…, +84…)' }],
    // Too short to be 84 + a national number: not read as international
    ['8491234567', { reason: 'invalid-mobile', detail: 'neither a national number (0…) nor an international one (84…, +84…)' }],
    ['+1 202 555 0143', { reason: 'foreign', detail: 'not a Vietnamese number (country code is not +84)' }],
    ['028 3829 1234', { reason: 'landline', detail: 'a Vietnamese fixed-line number cannot receive SMS' }],
    ['0912345', { reason: 'invalid-mobile', detail: 'not a valid Vietnamese mobile number (6 digits after +84)' }],
    ['+84 9123 456 789', { reason: 'invalid-mobile', detail: 'not a valid Vietnamese mobile number (10 digits after +84)' }],
    // Only 11-digit numbers (10 after +84) follow the 2018 table: one digit more or less is left as it came
    ['0120 1234 5678', { reason: 'invalid-mobile', detail: 'not a valid Vietnamese mobile number (11 digits after +84)' }],
    ['0120 123 456', { reason: 'invalid-mobile', detail: 'not a valid Vietnamese mobile number (9 digits after +84)' }],
  ])('rejects %j', (input, rejection) => {
    // Act
    const result = normalizeVnMobile(input);

    // Assess
    expect(result).toEqual({ ok: false, ...rejection });
  });

  it('reads a number of 84 and nine digits or more as international', () => {
    // Act
    const result = normalizeVnMobile('84 912 345 678');

    // Assess
    expect(result).toEqual({ ok: true, e164: '+84912345678' });
  });
});

describe('maskPhone: only an E.164 Vietnamese number is masked', () => {
  it.each(['tel:+84912345678', '+84912345678 ', '+84 912 345 678', '0912345678', '+8491234567x', ''])('refuses %j', (value) => {
    // Act
    const masked = maskPhone(value);

    // Assess
    expect(masked).toBe('***');
  });

  it('keeps short numbers to their last three digits', () => {
    // Act
    const masked = maskPhone('+84123');

    // Assess
    expect(masked).toBe('+84123');
    expect(maskPhone('+8412')).toBe('+8412');
  });
});
