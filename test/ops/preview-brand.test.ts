/**
 * `ops preview` shows what the brand in the text (bhxh:brandInText) costs a message: its parts with the brand and
 * the extra parts and dollars.
 */
import { describe, expect, it } from 'vitest';
import { preview, PRICE_PER_PART_USD, type OpsTarget } from '../../ops/commands.ts';
import { BRAND_PREFIX } from '../../lambdas/domain/templates.ts';
import { measureSms } from '../../lambdas/domain/text/gsm7.ts';

const printing = () => {
  const lines: string[] = [];
  return { lines, target: { print: (l = '') => lines.push(l) } as unknown as OpsTarget };
};

describe('ops preview: the brand cost', () => {
  it('shows a message that fits one part alone and two with the brand: +1 part and its price', () => {
    // A rejection whose reason makes the text 156 septets: one part alone, 164 with the brand.
    const fixed = 'Ho so so 1/2026/1 da bi tu choi do .'.length;
    const reason = 'x'.repeat(156 - fixed);
    const { lines, target } = printing();

    const shown = preview(target, 'dossier-rejected', JSON.stringify({ dossierNo: '1/2026/1', reason }));

    expect(shown.text).toHaveLength(156);
    expect(shown).toMatchObject({ segments: 1, brandedSegments: measureSms(`${BRAND_PREFIX}${shown.text}`).segments });
    expect(shown.brandedSegments).toBe(2);
    expect(shown.brandExtraCostUsd).toBeCloseTo(PRICE_PER_PART_USD, 4);
    expect(lines).toContainEqual(`brand     with "BHXHVN:" in the text (bhxh:brandInText): 164 septets → 2 part(s), +1 part(s), ≈ USD +${PRICE_PER_PART_USD.toFixed(4)}`);
  });

  it('shows no extra cost when the brand fits in the same parts', () => {
    const { lines, target } = printing();
    const shown = preview(target, 'dossier-resolved');
    expect(shown.brandedSegments).toBe(shown.segments);
    expect(lines.at(-1)).toMatch(/\+0 part\(s\), ≈ USD \+0\.0000$/);
  });
});
