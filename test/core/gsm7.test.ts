import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { measureSms, NotGsm7Error } from '../../lambdas/commons/text/gsm7.ts';

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
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(10);
    expect(measureSms(text)).toMatchObject({ septets: 164, segments: 2 });
    // 305 plain + '€' would straddle parts 2 and 3 → a third part, though 307 septets would fit 2×153+1
    expect(measureSms('a'.repeat(305) + '€').segments).toBe(3);
  });

  it.each([['Hà Nội', ['ộ']], ['中文', ['中', '文']], ['ok 👍', ['👍']], ['back`tick', ['`']]])('refuses %j, naming %j', (text, characters) => {
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
