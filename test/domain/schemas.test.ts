import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as z from 'zod';
import fc from 'fast-check';
import { ALL_DETAIL_TYPES, DetailType, InternalDetailType, NOTIFY_SOURCE, SOURCE_OF } from '../../lambdas/domain/catalogue.ts';
import { describeIssues, parseCatalogueEvent } from '../../lambdas/domain/event-parser.ts';
import { envelope, SEED, sampleDetails } from '../support/events.ts';
import { schemaViolations, type JsonSchema } from '../support/json-schema.ts';

/** The published contract of each kind: the committed JSON Schema files upstream teams validate against. */
const published = Object.fromEntries(
  ALL_DETAIL_TYPES.map((t) => [t, JSON.parse(readFileSync(new URL(`../../schemas/${t}.json`, import.meta.url), 'utf8')) as JsonSchema]),
) as Record<DetailType, JsonSchema>;
const fieldsOf = (t: DetailType) => Object.keys(published[t].properties!);

/** Surrounding spaces are forgiven where the parser trims; the published patterns do not show that. */
const trimmed = (value: unknown): unknown =>
  typeof value === 'string'
    ? value.trim()
    : Array.isArray(value)
      ? value.map(trimmed)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimmed(v)]))
        : value;

/** Values every sample has under a field's name: good values to mix with junk, so that many generated details are still valid. */
const goodValues = (field: string): unknown[] => ALL_DETAIL_TYPES.map((t) => (sampleDetails[t] as Record<string, unknown>)[field]).filter((v) => v !== undefined);
const junk = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(''),
  fc.constant('A'.repeat(300)),
  fc.object({ maxDepth: 1 }),
  fc.array(fc.string(), { maxLength: 3 }),
);
const valueFor = (field: string) => {
  const good = [...goodValues(field), 'male', 'female', 'household', '2019-02-30', '2019-13', '2019-12-31T23:00:00+07:00'];
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...good) },
    { weight: 1, arbitrary: fc.constantFrom(...good).map((v) => (typeof v === 'string' ? ` ${v} ` : v)) },
    { weight: 1, arbitrary: fc.constantFrom(...good).map((v) => (typeof v === 'string' ? `${v}x` : v)) },
    { weight: 2, arbitrary: junk },
  );
};
/** A kind's sample with up to three of its fields replaced, maybe one dropped, and random extra keys. */
const variedDetail = fc.constantFrom(...ALL_DETAIL_TYPES).chain((detailType) =>
  fc.record({
    detailType: fc.constant(detailType),
    replaced: fc.uniqueArray(
      fc.constantFrom(...fieldsOf(detailType)).chain((field) => fc.tuple(fc.constant(field), valueFor(field))),
      { maxLength: 3, selector: ([field]) => field },
    ),
    dropped: fc.subarray(fieldsOf(detailType), { maxLength: 1 }),
    extra: fc.dictionary(fc.string({ maxLength: 20 }), junk, { maxKeys: 2 }),
  }),
);

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

describe('the event parser under fuzzing', () => {
  it('never throws and never accepts a detail that breaks its kind; what it accepts keeps the contract, what it refuses names the field (property)', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(variedDetail, ({ detailType, replaced, dropped, extra }) => {
        // Prepare: unknown keys first, so that they never overwrite a field of the kind
        const detail: Record<string, unknown> = { ...extra, ...sampleDetails[detailType], ...Object.fromEntries(replaced) };
        for (const field of dropped) delete detail[field];
        const touched = new Set([...replaced.map(([field]) => field), ...dropped, ...Object.keys(extra)]);
        const brokenBy = schemaViolations(published[detailType], trimmed(detail));

        // Act
        const result = parseCatalogueEvent(envelope(detailType, detail));

        // Assess
        if (result.ok) {
          accepted += 1;
          // A detail that breaks the published contract is never accepted …
          expect(brokenBy).toEqual([]);
          // … and what the handlers get keeps it
          expect(schemaViolations(published[detailType], result.event.detail)).toEqual([]);
        } else {
          refused += 1;
          expect(result.reason).toBe('invalid-detail');
          expect(result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors) {
            expect(error).toMatch(/^detail\.[^:]+: /);
            // The reason names a field that was changed, or a rule that ties one field to another
            const field = /^detail\.([^.:]+)/.exec(error)![1]!;
            expect(touched.has(field) || / is required when /.test(error), `${detailType}: ${error}`).toBe(true);
          }
        }
      }),
      { numRuns: 2000 },
    );
    // Both sides of the property were exercised
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });

  it('refuses a detail whose required field is missing or breaks its published form, naming that field (property)', () => {
    const broken = fc.constantFrom(...ALL_DETAIL_TYPES).chain((detailType) =>
      fc.constantFrom(...published[detailType].required!).chain((field) =>
        fc.record({
          detailType: fc.constant(detailType),
          field: fc.constant(field),
          // undefined: the field is left out
          value: fc
            .oneof(fc.constant(undefined), junk, valueFor(field))
            .filter((v) => v === undefined || schemaViolations(published[detailType].properties![field]!, trimmed(v)).length > 0),
        }),
      ),
    );
    fc.assert(
      fc.property(broken, ({ detailType, field, value }) => {
        const detail: Record<string, unknown> = { ...sampleDetails[detailType], [field]: value };
        if (value === undefined) delete detail[field];

        const result = parseCatalogueEvent(envelope(detailType, detail));

        expect(result).toMatchObject({ ok: false, reason: 'invalid-detail' });
        if (!result.ok)
          expect(
            result.errors.some((e) => e.startsWith(`detail.${field}`)),
            `${detailType}.${field} = ${JSON.stringify(value)}: ${result.errors.join('; ')}`,
          ).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('JSON Schema files for upstream teams', () => {
  it('are in step with the zod schemas (run `npm run schemas` after changing them)', async () => {
    const { readFileSync } = await import('node:fs');
    const { jsonSchemas } = await import('../../lambdas/domain/json-schemas.ts');
    for (const [detailType, schema] of Object.entries(jsonSchemas())) {
      const committed = JSON.parse(readFileSync(new URL(`../../schemas/${detailType}.json`, import.meta.url), 'utf8'));
      expect(committed, detailType).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });

  it('describe required fields and patterns', async () => {
    const { jsonSchemas } = await import('../../lambdas/domain/json-schemas.ts');
    const payment = jsonSchemas().UnitPaymentReceived as { required: string[]; properties: Record<string, { pattern?: string }> };
    expect(payment.required).toEqual(expect.arrayContaining(['paymentId', 'unitCode', 'unitName', 'amount', 'receivedAt', 'agency']));
    expect(payment.required).not.toContain('phone');
    expect(payment.properties.unitCode?.pattern).toBe('^[A-Za-z0-9]{2,20}$');
  });
});

/**
 * The rules of the catalogue, field by field (SPEC "Event catalogue": every event is
 * validated and an invalid one is rejected with a clear reason naming the field).
 *
 * Each kind's schema is built lazily on first use and cached in its module instance,
 * so what a test could observe would depend on which test happened to build the
 * schema first. Every test below parses with a freshly imported module: it builds
 * the schemas it checks.
 */
type SchemasModule = typeof import('../../lambdas/domain/schemas.ts') &
  typeof import('../../lambdas/domain/event-parser.ts') &
  typeof import('../../lambdas/domain/schema-fields.ts');
// The parser imports the schemas it reads: after vi.resetModules, the three imports share one fresh module graph.
const importFresh = async (): Promise<SchemasModule> => ({
  ...(await import('../../lambdas/domain/schemas.ts')),
  ...(await import('../../lambdas/domain/event-parser.ts')),
  ...(await import('../../lambdas/domain/schema-fields.ts')),
});
let fresh: SchemasModule;
const parseFresh = (detailType: string, detail: unknown, overrides: Record<string, unknown> = {}) => fresh.parseCatalogueEvent(envelope(detailType, detail, overrides));
const errorsOf = (result: ReturnType<SchemasModule['parseCatalogueEvent']>) => (result.ok ? [] : result.errors);

describe('catalogue schemas, field by field', () => {
  beforeEach(async () => {
    vi.resetModules();
    fresh = await importFresh();
  });

  it.each(ALL_DETAIL_TYPES)('hands the handlers the %s sample exactly as published', (detailType) => {
    // Act
    const result = parseFresh(detailType, sampleDetails[detailType]);

    // Assess: every field is kept, none is added
    expect(result).toEqual({
      ok: true,
      event: { id: expect.any(String), detailType, source: SOURCE_OF[detailType], time: '2018-12-03T02:00:00Z', detail: sampleDetails[detailType] },
    });
  });

  it('lists every kind of the catalogue, and builds each schema once', () => {
    // Assess
    expect(Object.keys(fresh.detailSchemas).sort()).toEqual([...ALL_DETAIL_TYPES].sort());
    expect(Object.keys(fresh.internalSchemas).sort()).toEqual(Object.values(InternalDetailType).sort());
    expect(fresh.detailSchemas.OtpIssued).toBe(fresh.detailSchemas.OtpIssued);
  });

  it('forgives spaces around codes and names, and hands over the trimmed values', () => {
    // Prepare
    const padded = { ...sampleDetails.UnitPaymentReceived, unitCode: ' QW18013 ', unitName: `  ${SEED.unitName}\u00a0`, agency: ' VP BHXH ' };
    const confirmation = { ...sampleDetails.CollectionPaymentConfirmed, confirmationCode: ' XN-2023-0001 ', personId: ' 0113096123 ' };

    // Act
    const payment = parseFresh(DetailType.UnitPaymentReceived, padded);
    const confirmed = parseFresh(DetailType.CollectionPaymentConfirmed, confirmation);

    // Assess
    expect(payment).toMatchObject({ ok: true, event: { detail: { unitCode: 'QW18013', unitName: SEED.unitName, agency: 'VP BHXH' } } });
    expect(confirmed).toMatchObject({ ok: true, event: { detail: { confirmationCode: 'XN-2023-0001', personId: '0113096123' } } });
  });

  it.each([
    [DetailType.UnitPaymentReceived, 'unitName', '', 'detail.unitName: must not be empty'],
    [DetailType.UnitPaymentReceived, 'unitName', '   ', 'detail.unitName: must not be empty'],
    [DetailType.UnitPaymentReceived, 'unitName', '株式会社 Hoya', 'detail.unitName: contains characters that cannot be sent by SMS (GSM-7): "株" "式" "会" "社"'],
    [DetailType.UnitPaymentReceived, 'paymentId', 'PT 2018', 'detail.paymentId: must be 1 to 64 printable ASCII characters without spaces'],
    [DetailType.UnitPaymentReceived, 'paymentId', 'P'.repeat(65), 'detail.paymentId: must be 1 to 64 printable ASCII characters without spaces'],
    [DetailType.UnitPaymentReceived, 'paymentId', '', 'detail.paymentId: must be 1 to 64 printable ASCII characters without spaces'],
    [DetailType.UnitPaymentReceived, 'unitCode', 'QW 18013', 'detail.unitCode: must be a unit code (letters and digits), e.g. QW18013'],
    [DetailType.UnitPaymentReceived, 'phone', '0'.repeat(41), 'detail.phone: must be at most 40 characters'],
    [DetailType.EmployeeContributionStopped, 'personId', '011309612', 'detail.personId: must be a 10-digit BHXH number, e.g. 0113096123'],
    [DetailType.EmployeeContributionStopped, 'fromMonth', '2018-13', 'detail.fromMonth: must be a month YYYY-MM, e.g. 2018-11'],
    [DetailType.ContactUpdated, 'subjectId', '-QW18013', 'detail.subjectId: must be a subject id (letters, digits, . _ / -), e.g. 0113096123'],
    [DetailType.DossierResolved, 'dossierNo', '/2018/00604', 'detail.dossierNo: must be a dossier number (letters, digits, / _ . -), e.g. 03085_G/2018/00604'],
    // The seed's own example has a typo: 16 characters
    [DetailType.HealthCardIssued, 'cardNo', 'HC40101101129425', 'detail.cardNo: must be a 15-character health card number, e.g. HC4010110129425'],
    [DetailType.HealthCardIssued, 'cardNo', 'XHC4010110129425', 'detail.cardNo: must be a 15-character health card number, e.g. HC4010110129425'],
    [DetailType.TemporaryPasswordIssued, 'temporaryPassword', 'Tmp#5', 'detail.temporaryPassword: must be at least 6 characters'],
    [DetailType.TemporaryPasswordIssued, 'temporaryPassword', `Tmp#${'5'.repeat(29)}`, 'detail.temporaryPassword: must be at most 32 characters'],
    [DetailType.TemporaryPasswordIssued, 'temporaryPassword', 'Tmp# 58213', 'detail.temporaryPassword: must be letters, digits and GSM-7 punctuation, without spaces'],
    [DetailType.InboundSmsReceived, 'from', '', 'detail.from: must not be empty'],
    [DetailType.InboundSmsReceived, 'to', '8080', 'detail.to: must be 8079'],
    [DetailType.InboundSmsReceived, 'body', 'x'.repeat(1601), 'detail.body: must be at most 1600 characters'],
    [DetailType.UnitMonthlyStatement, 'paidAmount', -1, 'detail.paidAmount: must not be negative'],
    [DetailType.UnitMonthlyStatement, 'carriedOverAmount', 0.5, 'detail.carriedOverAmount: must be a whole number of VND'],
    [DetailType.FacilityClaimsSummary, 'facilityCode', '019090', 'detail.facilityCode: must be a 5-character facility code (mã CSKCB), e.g. 01909'],
    [DetailType.FacilityClaimsSummary, 'facilityCode', 'X01909', 'detail.facilityCode: must be a 5-character facility code (mã CSKCB), e.g. 01909'],
    [DetailType.FacilityClaimsSummary, 'onTimeRate', -0.01, 'detail.onTimeRate: must be between 0 and 1'],
    [DetailType.FacilityClaimsSummary, 'onTimeRate', 1.01, 'detail.onTimeRate: must be between 0 and 1'],
    [DetailType.OtpIssued, 'code', '123', 'detail.code: must be a one-time code of 4 to 8 digits, e.g. 482913'],
    [DetailType.OtpIssued, 'code', '123456789', 'detail.code: must be a one-time code of 4 to 8 digits, e.g. 482913'],
    [DetailType.CollectionPaymentConfirmed, 'confirmationCode', 'XN 2023', 'detail.confirmationCode: must be letters, digits and dashes (at most 40)'],
    [DetailType.CollectionPaymentConfirmed, 'confirmationCode', 'X'.repeat(41), 'detail.confirmationCode: must be letters, digits and dashes (at most 40)'],
    [DetailType.CollectionPaymentConfirmed, 'amount', 0, 'detail.amount: must be more than 0'],
    [DetailType.UnitPaymentReceived, 'amount', 0, 'detail.amount: must be more than 0'],
  ] as const)('%s: refuses %s = %j, naming the field and the rule', (detailType, field, value, expected) => {
    // Prepare
    const detail = { ...sampleDetails[detailType], [field]: value };

    // Act
    const result = parseFresh(detailType, detail);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'invalid-detail', errors: [expected] });
  });

  it.each([
    ['a 64-character payment id and a 40-character phone', DetailType.UnitPaymentReceived, { paymentId: 'P'.repeat(64), phone: '+84 (912) 345-678 ext. 12345 6789 012345' }],
    ['a man with no phone', DetailType.EmployeeContributionStopped, { gender: 'male', phone: null }],
    ['a card of another scheme', DetailType.HealthCardIssued, { scheme: 'other', cardNo: 'DN1790110129425' }],
    ['a 1600-character SMS', DetailType.InboundSmsReceived, { body: 'x'.repeat(1600) }],
    ['a credit carried over and nothing paid', DetailType.UnitMonthlyStatement, { carriedOverAmount: -214_541_737, paidAmount: 0 }],
    ['no claim on time', DetailType.FacilityClaimsSummary, { onTimeRate: 0 }],
    ['every claim on time', DetailType.FacilityClaimsSummary, { onTimeRate: 1, facilityCode: '7901A' }],
    ['a 4-digit code for a password change', DetailType.OtpIssued, { purpose: 'password-change', code: '1234' }],
    ['an 8-digit code', DetailType.OtpIssued, { code: '12345678' }],
    ['a household health payment with a 40-character code', DetailType.CollectionPaymentConfirmed, { scheme: 'household-health', confirmationCode: 'X'.repeat(40) }],
    ['a password with every punctuation allowed', DetailType.TemporaryPasswordIssued, { temporaryPassword: 'Ab1@$!#%&()*+,./:;<=>?_-' }],
    ['a 6-character password', DetailType.TemporaryPasswordIssued, { temporaryPassword: 'Ab1#56' }],
    ['an open voluntary period', DetailType.ContributionHistoryUpdated, { periods: [{ from: '2019-01', to: null, unitCode: 'TC001', unitName: 'Tự đóng', scheme: 'voluntary' }] }],
    [
      'a one-month period',
      DetailType.ContributionHistoryUpdated,
      { periods: [{ from: '2018-11', to: '2018-11', unitCode: 'CJKE01', unitName: SEED.stoppedUnitName, scheme: 'compulsory' }] },
    ],
    [
      '600 periods',
      DetailType.ContributionHistoryUpdated,
      { periods: Array.from({ length: 600 }, () => ({ from: '2018-11', to: '2018-12', unitCode: 'CJKE01', unitName: 'CJ', scheme: 'compulsory' })) },
    ],
  ] as const)('accepts %s', (_label, detailType, patch) => {
    // Prepare
    const detail = { ...sampleDetails[detailType], ...patch };

    // Act
    const result = parseFresh(detailType, detail);

    // Assess
    expect(result).toMatchObject({ ok: true, event: { detail } });
  });

  it('accepts every kind of campaign tick, and no other', () => {
    // Prepare
    const kinds = [
      'health-card-expiring',
      'voluntary-term-ending',
      'password-change-due',
      'collector-summary',
      'unit-monthly-statement',
      'facility-claims-summary',
      'quiet-hours-release',
    ];
    const tick = (kind: string) => parseFresh('CampaignDue', { kind, scheduledTime: '2026-12-01T08:00:00+07:00' }, { source: NOTIFY_SOURCE });

    // Act
    const results = kinds.map(tick);
    const unknown = tick('birthday-greetings');

    // Assess
    for (const [i, result] of results.entries()) expect(result).toMatchObject({ ok: true, event: { detailType: 'CampaignDue', detail: { kind: kinds[i] } } });
    expect(unknown).toMatchObject({ ok: false, reason: 'invalid-detail', errors: [expect.stringMatching(/^detail\.kind: Invalid option/)] });
  });

  it('reads the system’s own scheduled events only from its own source', () => {
    // Act
    const orphan = parseFresh('OrphanResolutionCheck', { dossierNo: '03085_G/2018/00604' }, { source: NOTIFY_SOURCE });
    const deadline = parseFresh('ReceiptDeadlineCheck', { scheduledTime: '2026-12-01T06:00:00+07:00' }, { source: NOTIFY_SOURCE });
    const noTime = parseFresh('ReceiptDeadlineCheck', {}, { source: NOTIFY_SOURCE });
    const badDossier = parseFresh('OrphanResolutionCheck', { dossierNo: '' }, { source: NOTIFY_SOURCE });
    const forged = parseFresh('ReceiptDeadlineCheck', { scheduledTime: '2026-12-01T06:00:00+07:00' }, { source: 'vn.gov.bhxh.tst' });
    const selfPublished = parseFresh(DetailType.OtpIssued, sampleDetails.OtpIssued, { source: NOTIFY_SOURCE });

    // Assess
    expect(orphan).toEqual({
      ok: true,
      event: { id: expect.any(String), detailType: 'OrphanResolutionCheck', source: NOTIFY_SOURCE, time: '2018-12-03T02:00:00Z', detail: { dossierNo: '03085_G/2018/00604' } },
    });
    expect(deadline).toMatchObject({ ok: true, event: { detail: { scheduledTime: '2026-12-01T06:00:00+07:00' } } });
    expect(noTime).toEqual({ ok: false, reason: 'invalid-detail', errors: ['detail.scheduledTime: is required'] });
    expect(badDossier).toMatchObject({ ok: false, reason: 'invalid-detail', errors: [expect.stringMatching(/^detail\.dossierNo: must be a dossier number/)] });
    expect(forged).toEqual({ ok: false, reason: 'unknown-detail-type', errors: ['detail-type: "ReceiptDeadlineCheck" is not in the event catalogue'] });
    expect(selfPublished).toEqual({ ok: false, reason: 'wrong-source', errors: ['source: OtpIssued must come from vn.gov.bhxh.dvc, not "vn.gov.bhxh.notify"'] });
  });

  it.each([
    ['2020-02-29', true],
    ['2018-02-29', false],
    // Month 13 would roll over to January of the next year
    ['2018-13-01', false],
    ['2018-12-00', false],
    // Date.UTC reads years 0–99 as 1900–1999: a two-digit year is refused, not silently moved
    ['0018-01-01', false],
  ])('takes %s as a real calendar date: %s', (validTo, real) => {
    // Act
    const result = parseFresh(DetailType.HealthCardIssued, { ...sampleDetails.HealthCardIssued, validTo });

    // Assess
    expect(result).toEqual(real ? expect.objectContaining({ ok: true }) : { ok: false, reason: 'invalid-detail', errors: ['detail.validTo: is not a real calendar date'] });
  });

  it('refuses a date written dd/mm/yyyy, explaining the expected form', () => {
    // Act
    const result = parseFresh(DetailType.HealthCardIssued, { ...sampleDetails.HealthCardIssued, validTo: '31/12/2018' });

    // Assess
    expect(result).toEqual({
      ok: false,
      reason: 'invalid-detail',
      errors: ['detail.validTo: must be a date YYYY-MM-DD, e.g. 2018-12-06', 'detail.validTo: is not a real calendar date'],
    });
  });

  // Both found by the fuzzing property above (seeds 1445910042 and 862381012), a few times in a million runs.
  it.each([
    [DetailType.CampaignProposed, 'template'],
    [DetailType.InboundSmsReceived, 'from'],
  ] as const)('refuses a %s whose %s is spaces only, naming the field', (detailType, field) => {
    // Act
    const result = parseFresh(detailType, { ...sampleDetails[detailType], [field]: ' ' });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'invalid-detail', errors: [`detail.${field}: must not be empty`] });
  });

  it('refuses a period that ends before it starts, naming its end, and more than 600 periods', () => {
    // Prepare
    const period = { from: '2018-11', to: '2018-10', unitCode: 'CJKE01', unitName: SEED.stoppedUnitName, scheme: 'compulsory' };

    // Act
    const backwards = parseFresh(DetailType.ContributionHistoryUpdated, { personId: SEED.personId, periods: [period] });
    const tooMany = parseFresh(DetailType.ContributionHistoryUpdated, { personId: SEED.personId, periods: Array.from({ length: 601 }, () => ({ ...period, to: null })) });

    // Assess
    expect(backwards).toEqual({ ok: false, reason: 'invalid-detail', errors: ['detail.periods.0.to: from must not be after to'] });
    expect(tooMany).toEqual({ ok: false, reason: 'invalid-detail', errors: ['detail.periods: must have at most 600 periods'] });
  });

  it('requires the result date of a valid dossier and the reason of a rejected one', () => {
    // Prepare
    const { expectedResultDate: _date, ...withoutDate } = sampleDetails.DossierReceived;

    // Act
    const validWithoutDate = parseFresh(DetailType.DossierReceived, withoutDate);
    const rejected = parseFresh(DetailType.DossierReceived, { ...withoutDate, valid: false, rejectReason: 'hồ sơ không hợp lệ' });

    // Assess
    expect(validWithoutDate).toEqual({ ok: false, reason: 'invalid-detail', errors: ['detail.expectedResultDate: is required when valid is true'] });
    expect(rejected).toMatchObject({ ok: true, event: { detail: { valid: false, rejectReason: 'hồ sơ không hợp lệ' } } });
  });

  it('requires the login name and password of an approved account, naming the one missing, and the reason of a refusal', () => {
    // Prepare
    const { loginName: _login, temporaryPassword: _password, ...bare } = sampleDetails.EAccountRegistrationReviewed;
    const approved = { ...bare, approved: true };
    const refused = { ...bare, approved: false };

    // Act
    const noLogin = parseFresh(DetailType.EAccountRegistrationReviewed, { ...approved, temporaryPassword: 'Kp7#q2Zx' });
    const noPassword = parseFresh(DetailType.EAccountRegistrationReviewed, { ...approved, loginName: SEED.personId });
    const neither = parseFresh(DetailType.EAccountRegistrationReviewed, approved);
    const noReason = parseFresh(DetailType.EAccountRegistrationReviewed, refused);
    const withReason = parseFresh(DetailType.EAccountRegistrationReviewed, { ...refused, reason: 'Chưa nộp tờ khai' });

    // Assess
    expect(noLogin).toEqual({ ok: false, reason: 'invalid-detail', errors: ['detail.loginName: is required when approved is true'] });
    expect(noPassword).toEqual({ ok: false, reason: 'invalid-detail', errors: ['detail.temporaryPassword: is required when approved is true'] });
    expect(neither).toEqual({ ok: false, reason: 'invalid-detail', errors: ['detail.loginName: is required when approved is true'] });
    expect(noReason).toEqual({ ok: false, reason: 'invalid-detail', errors: ['detail.reason: is required when approved is false'] });
    expect(withReason).toMatchObject({ ok: true, event: { detail: { approved: false, reason: 'Chưa nộp tờ khai' } } });
  });

  it.each([
    ['a unit separator (U+001F)', 'Công ty\u001fTNHH'],
    ['a DEL (U+007F)', 'Công ty\u007fTNHH'],
    ['a C1 control (U+0080)', 'Công ty\u0080TNHH'],
    ['the last C1 control (U+009F)', 'Công ty\u009fTNHH'],
    ['a tab', 'Công ty\tTNHH'],
  ])('refuses a name with %s as a control character', (_label, unitName) => {
    // Act
    const result = parseFresh(DetailType.UnitPaymentReceived, { ...sampleDetails.UnitPaymentReceived, unitName });

    // Assess
    expect(errorsOf(result)).toContain('detail.unitName: must not contain control characters (line breaks, tabs, NUL…)');
  });

  it('takes a space, a tilde or a no-break space in a name as printable', () => {
    // Act
    const result = parseFresh(DetailType.UnitPaymentReceived, { ...sampleDetails.UnitPaymentReceived, unitName: 'Công ty ~Hoya~\u00a0VN' });

    // Assess
    expect(result).toMatchObject({ ok: true, event: { detail: { unitName: 'Công ty ~Hoya~\u00a0VN' } } });
  });

  it('raises its own rules as zod custom issues on the dependent field', () => {
    // Act
    const dossier = fresh.detailSchemas.DossierReceived.safeParse({ ...sampleDetails.DossierReceived, valid: false });
    const account = fresh.detailSchemas.EAccountRegistrationReviewed.safeParse({ ...sampleDetails.EAccountRegistrationReviewed, approved: false });
    const name = fresh.smsText(100).safeParse('Nguyễn 明');
    const noDate = fresh.detailSchemas.DossierReceived.safeParse({ ...sampleDetails.DossierReceived, expectedResultDate: undefined });
    const noLogin = fresh.detailSchemas.EAccountRegistrationReviewed.safeParse({ ...sampleDetails.EAccountRegistrationReviewed, loginName: undefined });

    // Assess
    expect(dossier.error?.issues).toEqual([{ code: 'custom', path: ['rejectReason'], message: 'is required when valid is false' }]);
    expect(account.error?.issues).toEqual([{ code: 'custom', path: ['reason'], message: 'is required when approved is false' }]);
    expect(noDate.error?.issues).toEqual([{ code: 'custom', path: ['expectedResultDate'], message: 'is required when valid is true' }]);
    expect(noLogin.error?.issues).toEqual([{ code: 'custom', path: ['loginName'], message: 'is required when approved is true' }]);
    expect(name.error?.issues).toEqual([expect.objectContaining({ code: 'custom', path: [], message: 'contains characters that cannot be sent by SMS (GSM-7): "明"' })]);
  });
});

describe('the EventBridge envelope', () => {
  beforeEach(async () => {
    vi.resetModules();
    fresh = await importFresh();
  });

  it('is not an event when its fields are missing, each named without a prefix', () => {
    // Act
    const result = fresh.parseCatalogueEvent({});

    // Assess
    expect(result).toEqual({
      ok: false,
      reason: 'not-an-event',
      errors: ['id: is required', 'detail-type: is required', 'source: is required', 'time: is required', 'detail: is required'],
    });
  });

  it('tells a field of the wrong type from a missing one', () => {
    // Prepare
    const raw = { ...envelope(DetailType.OtpIssued, 'not an object'), id: 42 };

    // Act
    const result = fresh.parseCatalogueEvent(raw);

    // Assess
    expect(result).toMatchObject({ ok: false, reason: 'not-an-event' });
    expect(errorsOf(result)).toHaveLength(2);
    expect(errorsOf(result)[0]).toMatch(/^id: Invalid input: expected string/);
    expect(errorsOf(result)[1]).toMatch(/^detail: Invalid input: expected record/);
  });

  it('names an unknown detail-type and a wrong source, quoting at most 80 characters of what arrived', () => {
    // Act
    const unknown = fresh.parseCatalogueEvent(envelope('UnitPaymentReversed', {}));
    const long = fresh.parseCatalogueEvent(envelope(`Unit${'X'.repeat(200)}`, {}));
    const wrongSource = fresh.parseCatalogueEvent(envelope(DetailType.UnitPaymentReceived, sampleDetails.UnitPaymentReceived, { source: 'vn.gov.bhxh.dvc' }));
    const longSource = fresh.parseCatalogueEvent(envelope(DetailType.UnitPaymentReceived, sampleDetails.UnitPaymentReceived, { source: `evil.${'s'.repeat(200)}` }));

    // Assess
    expect(unknown).toEqual({ ok: false, reason: 'unknown-detail-type', errors: ['detail-type: "UnitPaymentReversed" is not in the event catalogue'] });
    expect(long).toEqual({ ok: false, reason: 'unknown-detail-type', errors: [`detail-type: "Unit${'X'.repeat(76)}" is not in the event catalogue`] });
    expect(wrongSource).toEqual({ ok: false, reason: 'wrong-source', errors: ['source: UnitPaymentReceived must come from vn.gov.bhxh.tst, not "vn.gov.bhxh.dvc"'] });
    expect(longSource).toEqual({ ok: false, reason: 'wrong-source', errors: [`source: UnitPaymentReceived must come from vn.gov.bhxh.tst, not "evil.${'s'.repeat(75)}"`] });
  });
});

describe('describeIssues', () => {
  const issue = (code: string, path: PropertyKey[], input: unknown) => ({ code, path, message: `zod says ${code}`, input }) as unknown as z.core.$ZodIssue;

  it('reads a type, value or union mismatch on an absent field as "is required"', () => {
    // Act
    const lines = describeIssues([issue('invalid_type', ['a'], undefined), issue('invalid_value', ['b'], undefined), issue('invalid_union', ['c'], undefined)], 'detail');

    // Assess
    expect(lines).toEqual(['detail.a: is required', 'detail.b: is required', 'detail.c: is required']);
  });

  it('keeps the rule for a field that is present (even null), or broken in another way', () => {
    // Act
    const lines = describeIssues([issue('invalid_union', ['gender'], 'other'), issue('invalid_type', ['phone'], null), issue('too_small', ['name'], undefined)], 'detail');

    // Assess
    expect(lines).toEqual(['detail.gender: zod says invalid_union', 'detail.phone: zod says invalid_type', 'detail.name: zod says too_small']);
  });

  it('joins the path with dots, array indexes included, and leaves out an empty prefix', () => {
    // Act
    const nested = describeIssues([issue('custom', ['periods', 0, 'to'], '2018-10')], 'detail');
    const top = describeIssues([issue('invalid_type', ['time'], undefined)], '');

    // Assess
    expect(nested).toEqual(['detail.periods.0.to: zod says custom']);
    expect(top).toEqual(['time: is required']);
  });
});

describe('years (every date is turned into numbers downstream: due dates, run times, TTLs)', () => {
  it.each([
    ['UnitMonthlyStatement', 'month', '9999-12'],
    ['FacilityClaimsSummary', 'month', '1999-12'],
    ['VoluntaryContributionPaid', 'paidThrough', '2101-01'],
    ['HealthCardIssued', 'validTo', '9999-12-31'],
    ['PasswordChanged', 'changedAt', '9999-12-31T23:00:00+07:00'],
    ['UnitPaymentReceived', 'receivedAt', '1970-01-01T00:00:00Z'],
  ] as const)('refuses a %s whose %s is %s, naming the field and the years', (detailType, field, value) => {
    // Act
    const result = parseCatalogueEvent(envelope(detailType, { ...sampleDetails[detailType], [field]: value }));

    // Assess
    expect(result).toEqual({ ok: false, reason: 'invalid-detail', errors: [`detail.${field}: must be in the years 2000 to 2100`] });
  });

  it('takes the first and last years, and a contribution history that began before 2000', () => {
    // Act
    const first = parseCatalogueEvent(envelope('UnitMonthlyStatement', { ...sampleDetails.UnitMonthlyStatement, month: '2000-01' }));
    const last = parseCatalogueEvent(envelope('HealthCardIssued', { ...sampleDetails.HealthCardIssued, validTo: '2100-12-31' }));
    const history = parseCatalogueEvent(
      envelope('ContributionHistoryUpdated', {
        personId: SEED.personId,
        periods: [{ from: '1986-03', to: '1999-12', unitCode: 'XN01', unitName: 'Xí nghiệp 1', scheme: 'compulsory' }],
      }),
    );
    const tooOld = parseCatalogueEvent(
      envelope('ContributionHistoryUpdated', {
        personId: SEED.personId,
        periods: [{ from: '1900-01', to: null, unitCode: 'XN01', unitName: 'Xí nghiệp 1', scheme: 'compulsory' }],
      }),
    );

    // Assess
    expect([first.ok, last.ok, history.ok]).toEqual([true, true, true]);
    expect(tooOld).toEqual({ ok: false, reason: 'invalid-detail', errors: ['detail.periods.0.from: must be in the years 1950 to 2100'] });
  });
});

describe('a campaign cancelled by either of its two sources', () => {
  it.each(['vn.gov.bhxh.campaigns', 'vn.gov.bhxh.cntt'])('accepts CampaignCancelled from %s', (source) => {
    const parsed = parseCatalogueEvent(envelope('CampaignCancelled', sampleDetails.CampaignCancelled, { source }));
    expect(parsed.ok).toBe(true);
  });

  it('refuses it from any other source, naming both', () => {
    const parsed = parseCatalogueEvent(envelope('CampaignCancelled', sampleDetails.CampaignCancelled, { source: 'vn.gov.bhxh.tst' }));
    expect(parsed).toMatchObject({
      ok: false,
      reason: 'wrong-source',
      errors: ['source: CampaignCancelled must come from vn.gov.bhxh.campaigns or vn.gov.bhxh.cntt, not "vn.gov.bhxh.tst"'],
    });
  });
});
