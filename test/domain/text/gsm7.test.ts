import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findNonGsm7, MULTIPART_SEGMENT_SEPTETS, measureSms, NotGsm7Error, SINGLE_SEGMENT_SEPTETS } from '../../../lambdas/domain/text/gsm7.ts';

describe('measureSms', () => {
  it.each([
    [1, 1],
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
    [459, 3],
    [460, 4],
  ])('%i plain characters take %i part(s)', (length, segments) => {
    expect(measureSms('a'.repeat(length))).toEqual({ segments, septets: length, characters: length });
  });

  it('counts extension characters twice', () => {
    expect(measureSms('{}[]~|^\\€')).toMatchObject({ septets: 18, characters: 9, segments: 1 });
    expect(measureSms('a'.repeat(150) + '€'.repeat(6))).toMatchObject({ septets: 162, segments: 2 });
  });

  it('never splits an escape pair across two parts', () => {
    // 152 septets, then '€' (2 septets) does not fit in the first 153-septet part
    const text = `${'a'.repeat(152)}€${'a'.repeat(10)}`;
    expect(measureSms(text)).toMatchObject({ septets: 164, segments: 2 });
    // 305 plain + '€' would straddle parts 2 and 3 → a third part, though 307 septets would fit 2×153+1
    expect(measureSms(`${'a'.repeat(305)}€`).segments).toBe(3);
  });

  it.each([
    ['Hà Nội', ['ộ']],
    ['中文', ['中', '文']],
    ['ok 👍', ['👍']],
    ['back`tick', ['`']],
  ])('refuses %j, naming %j', (text, characters) => {
    const measure = () => measureSms(text);
    expect(measure).toThrow(NotGsm7Error);
    try {
      measure();
    } catch (error) {
      expect((error as NotGsm7Error).characters).toEqual(characters);
    }
  });

  it('refuses an empty message', () => {
    expect(() => measureSms('')).toThrow('empty');
  });

  it('parts grow with the length (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: 200 }), (n, extra) => {
        expect(measureSms('x'.repeat(n + extra)).segments).toBeGreaterThanOrEqual(measureSms('x'.repeat(n)).segments);
      }),
    );
  });
});

describe('NotGsm7Error', () => {
  it('names each character that GSM-7 cannot carry, quoted, with its code point', () => {
    // Act
    const error = new NotGsm7Error(['ộ', '`', '中', '👍']);

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('NotGsm7Error');
    expect(error.characters).toEqual(['ộ', '`', '中', '👍']);
    expect(error.message).toBe('text is not GSM-7: "ộ" (U+1ED9), "`" (U+0060), "中" (U+4E2D), "👍" (U+1F44D)');
  });

  it('is what measureSms throws, each character once in order of appearance', () => {
    // Act
    const measure = () => measureSms('Hà Nội, Hội An\t');

    // Assess
    expect(measure).toThrow('text is not GSM-7: "ộ" (U+1ED9), "\\t" (U+0009)');
  });
});

describe('the GSM-7 alphabet', () => {
  it('carries every character of the default alphabet at one septet, the line breaks included', () => {
    // Prepare
    const basic = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

    // Act
    const size = measureSms(basic);

    // Assess
    expect(findNonGsm7(basic)).toEqual([]);
    expect(size).toEqual({ segments: 1, septets: 127, characters: 127 });
  });

  it('carries the extension table at two septets each, form feed included', () => {
    // Act
    const size = measureSms('\f^{}\\[~]|€');

    // Assess
    expect(size).toEqual({ segments: 1, septets: 20, characters: 10 });
  });

  it('has 160-septet single parts and 153-septet parts when concatenated', () => {
    expect(SINGLE_SEGMENT_SEPTETS).toBe(160);
    expect(MULTIPART_SEGMENT_SEPTETS).toBe(153);
  });
});
