/**
 * The event catalogue (SPEC "Event catalogue"): every detail-type the bus
 * accepts and the one upstream system allowed to publish it (SPEC rule 11),
 * the urgent kinds (rule 6: one-time codes), and the fields that carry a
 * secret. The expectations are written out from the SPEC table, not computed.
 */
import { describe, expect, it } from 'vitest';
import {
  ALL_DETAIL_TYPES,
  DetailType,
  EVENT_BUS_NAME,
  InternalDetailType,
  NOTIFY_SOURCE,
  NotifyDetailType,
  SECRET_BEARING_DETAIL_TYPES,
  SECRET_FIELDS,
  Source,
  SOURCE_OF,
  sourcesOf,
  URGENT_DETAIL_TYPES,
} from '../../lambdas/domain/catalogue.ts';

describe('the bus and its sources', () => {
  it('is the custom bus `bhxh-notify`', () => {
    expect(EVENT_BUS_NAME).toBe('bhxh-notify');
  });

  it('knows each upstream system by its source', () => {
    expect(Source).toEqual({
      TST: 'vn.gov.bhxh.tst',
      TNHS: 'vn.gov.bhxh.tnhs',
      GDBHYT: 'vn.gov.bhxh.gdbhyt',
      DVC: 'vn.gov.bhxh.dvc',
      SMS_GATEWAY: 'vn.gov.bhxh.smsgw',
      TCDVT: 'vn.gov.bhxh.tcdvt',
      CAMPAIGNS: 'vn.gov.bhxh.campaigns',
      CNTT: 'vn.gov.bhxh.cntt',
    });
  });

  it('lets the IT Centre cancel a campaign as well as its agency, and nothing else from two sources', () => {
    expect(sourcesOf('CampaignCancelled')).toEqual(['vn.gov.bhxh.campaigns', 'vn.gov.bhxh.cntt']);
    expect(ALL_DETAIL_TYPES.filter((t) => sourcesOf(t).length > 1)).toEqual(['CampaignCancelled']);
  });

  it('publishes its own events as `vn.gov.bhxh.notify`, a source no upstream system has', () => {
    expect(NOTIFY_SOURCE).toBe('vn.gov.bhxh.notify');
    expect(Object.values(Source)).not.toContain(NOTIFY_SOURCE);
  });
});

describe('SOURCE_OF: who may publish each detail-type', () => {
  it.each([
    ['ContactUpdated', 'vn.gov.bhxh.tst'],
    ['UnitPaymentReceived', 'vn.gov.bhxh.tst'],
    ['EmployeeContributionStopped', 'vn.gov.bhxh.tst'],
    ['DossierReceived', 'vn.gov.bhxh.tnhs'],
    ['DossierResolved', 'vn.gov.bhxh.tnhs'],
    ['HealthCardIssued', 'vn.gov.bhxh.tst'],
    ['VoluntaryContributionPaid', 'vn.gov.bhxh.tst'],
    ['ContributionHistoryUpdated', 'vn.gov.bhxh.tst'],
    ['TemporaryPasswordIssued', 'vn.gov.bhxh.dvc'],
    ['InboundSmsReceived', 'vn.gov.bhxh.smsgw'],
    ['UnitMonthlyStatement', 'vn.gov.bhxh.tst'],
    ['FacilityClaimsSummary', 'vn.gov.bhxh.gdbhyt'],
    ['EAccountRegistrationReviewed', 'vn.gov.bhxh.dvc'],
    ['EAccountRegistrationSubmitted', 'vn.gov.bhxh.dvc'],
    ['OtpIssued', 'vn.gov.bhxh.dvc'],
    ['PasswordChanged', 'vn.gov.bhxh.dvc'],
    ['CollectionPaymentConfirmed', 'vn.gov.bhxh.tcdvt'],
    ['CampaignProposed', 'vn.gov.bhxh.campaigns'],
    ['CampaignReviewed', 'vn.gov.bhxh.cntt'],
    ['CampaignCancelled', 'vn.gov.bhxh.campaigns'],
  ] as const)('%s comes from %s', (detailType, source) => {
    // Assess: the detail-type is in the catalogue under its own name, with its source
    expect(DetailType[detailType]).toBe(detailType);
    expect(ALL_DETAIL_TYPES).toContain(detailType);
    expect(SOURCE_OF[detailType]).toBe(source);
  });

  it('has a source for every detail-type of the catalogue, and lists each detail-type once', () => {
    expect(new Set(ALL_DETAIL_TYPES).size).toBe(ALL_DETAIL_TYPES.length);
    expect(Object.keys(SOURCE_OF).sort()).toEqual([...ALL_DETAIL_TYPES].sort());
    for (const detailType of ALL_DETAIL_TYPES) expect(Object.values(Source)).toContain(SOURCE_OF[detailType]);
  });
});

describe('urgent kinds and secrets', () => {
  it('treats only one-time codes as urgent (SPEC rule 6)', () => {
    expect(URGENT_DETAIL_TYPES).toEqual(['OtpIssued']);
  });

  it('knows the field of each event that carries a password or a one-time code', () => {
    expect(SECRET_FIELDS).toEqual({
      EAccountRegistrationReviewed: ['temporaryPassword'],
      TemporaryPasswordIssued: ['temporaryPassword'],
      OtpIssued: ['code'],
    });
    expect([...SECRET_BEARING_DETAIL_TYPES].sort()).toEqual(['EAccountRegistrationReviewed', 'OtpIssued', 'TemporaryPasswordIssued']);
  });
});

describe('events of the system itself', () => {
  it('publishes the detail-types the SPEC names, under their own names', () => {
    expect(NotifyDetailType).toEqual({
      PasswordResetRequested: 'PasswordResetRequested',
      DossierOverdue: 'DossierOverdue',
      DossierResolutionUnmatched: 'DossierResolutionUnmatched',
      CollectionDailySummaryReady: 'CollectionDailySummaryReady',
      CampaignStatusChanged: 'CampaignStatusChanged',
      NotificationStatusChanged: 'NotificationStatusChanged',
    });
  });

  it('sends itself events under names of their own, which no upstream or published detail-type shares', () => {
    // Assess
    expect(InternalDetailType).toEqual({
      OrphanResolutionCheck: 'OrphanResolutionCheck',
      CampaignDue: 'CampaignDue',
      ReceiptDeadlineCheck: 'ReceiptDeadlineCheck',
    });
    for (const internal of Object.values(InternalDetailType)) {
      expect(ALL_DETAIL_TYPES as readonly string[]).not.toContain(internal);
      expect(Object.values(NotifyDetailType) as string[]).not.toContain(internal);
    }
  });
});
