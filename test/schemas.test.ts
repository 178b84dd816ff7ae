import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ALL_DETAIL_TYPES, DetailType } from '../lambdas/commons/catalogue.ts';
import { parseCatalogueEvent } from '../lambdas/commons/schemas.ts';
import { envelope, sampleDetails } from './support/events.ts';

describe('catalogue schemas', () => {
  it.each(ALL_DETAIL_TYPES)('accepts the sample %s', (detailType) => {
    // Act
    const result = parseCatalogueEvent(envelope(detailType, sampleDetails[detailType]));

    // Assess
    expect(result).toMatchObject({ ok: true, event: { detailType } });
  });

  it.each(ALL_DETAIL_TYPES)('names the missing field when %s lacks its first required field', (detailType) => {
    // Prepare: drop the first field of the sample
    const [first, ...rest] = Object.entries(sampleDetails[detailType]);
    const detail = Object.fromEntries(rest);

    // Act
    const result = parseCatalogueEvent(envelope(detailType, detail));

    // Assess
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe('invalid-detail');
      expect(result.errors).toContain(`detail.${first![0]}: is required`);
    }
  });

  it('rejects an unknown detail-type, and a known one from the wrong source', () => {
    const unknown = parseCatalogueEvent(envelope('UnitPaymentReversed', {}));
    const wrongSource = parseCatalogueEvent(envelope(DetailType.UnitPaymentReceived, sampleDetails.UnitPaymentReceived, { source: 'vn.gov.bhxh.dvc' }));

    expect(unknown).toMatchObject({ ok: false, reason: 'unknown-detail-type' });
    expect(wrongSource).toMatchObject({ ok: false, reason: 'wrong-source' });
    if (!wrongSource.ok) expect(wrongSource.errors[0]).toContain('must come from vn.gov.bhxh.tst');
  });

  it.each([
    ['amount', 'ten million', 'detail.amount: Invalid input: expected number, received string'],
    ['amount', 10.5, 'detail.amount: must be a whole number of VND'],
    ['amount', 0, 'detail.amount: must be more than 0'],
    ['receivedAt', '2018-02-30', 'detail.receivedAt: must be an ISO 8601 timestamp'],
    ['unitName', 'Công ty\nTNHH', 'detail.unitName: must not contain control characters'],
    ['unitName', '株式会社 Hoya', 'detail.unitName: contains characters that cannot be sent by SMS'],
    ['unitName', 'x'.repeat(201), 'detail.unitName: must be at most 200 characters'],
    ['unitCode', 'QW 18013', 'detail.unitCode: must be a unit code'],
  ])('explains a bad %s (%j)', (field, value, expected) => {
    const result = parseCatalogueEvent(envelope(DetailType.UnitPaymentReceived, { ...sampleDetails.UnitPaymentReceived, [field]: value }));

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.some((e) => e.startsWith(expected))).toBe(true);
  });

  it('rejects impossible calendar dates and conditional fields', () => {
    const badDate = parseCatalogueEvent(envelope(DetailType.DossierReceived, { ...sampleDetails.DossierReceived, expectedResultDate: '2018-02-30' }));
    const noReason = parseCatalogueEvent(envelope(DetailType.DossierReceived, { ...sampleDetails.DossierReceived, valid: false }));

    expect(badDate).toMatchObject({ ok: false, errors: ['detail.expectedResultDate: is not a real calendar date'] });
    expect(noReason).toMatchObject({ ok: false, errors: ['detail.rejectReason: is required when valid is false'] });
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom(...ALL_DETAIL_TYPES), (detail, detailType) => {
        const result = parseCatalogueEvent(envelope(detailType, detail));
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        expect(parseCatalogueEvent(raw).ok).toBe(false);
      }),
    );
  });
});

describe('JSON Schema files for upstream teams', () => {
  it('are in step with the zod schemas (run `npm run schemas` after changing them)', async () => {
    const { readFileSync } = await import('node:fs');
    const { jsonSchemas } = await import('../lambdas/commons/json-schemas.ts');
    for (const [detailType, schema] of Object.entries(jsonSchemas())) {
      const committed = JSON.parse(readFileSync(new URL(`../schemas/${detailType}.json`, import.meta.url), 'utf8'));
      expect(committed, detailType).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });

  it('describe required fields and patterns', async () => {
    const { jsonSchemas } = await import('../lambdas/commons/json-schemas.ts');
    const payment = jsonSchemas().UnitPaymentReceived as { required: string[]; properties: Record<string, { pattern?: string }> };
    expect(payment.required).toEqual(expect.arrayContaining(['paymentId', 'unitCode', 'unitName', 'amount', 'receivedAt', 'agency']));
    expect(payment.required).not.toContain('phone');
    expect(payment.properties.unitCode?.pattern).toBe('^[A-Za-z0-9]{2,20}$');
  });
});
