/**
 * The event catalogue (SPEC "Event catalogue"): every detail-type the bus
 * accepts and the upstream system allowed to publish it. The CDK rules and the
 * intake validation both read this table, so a new kind is added in one place.
 */
export const EVENT_BUS_NAME = 'bhxh-notify';

export const Source = {
  TST: 'vn.gov.bhxh.tst',
  TNHS: 'vn.gov.bhxh.tnhs',
  GDBHYT: 'vn.gov.bhxh.gdbhyt',
  DVC: 'vn.gov.bhxh.dvc',
  SMS_GATEWAY: 'vn.gov.bhxh.smsgw',
  TCDVT: 'vn.gov.bhxh.tcdvt',
  /** Provincial agencies and central departments proposing their own campaigns (seed 001). */
  CAMPAIGNS: 'vn.gov.bhxh.campaigns',
  /** The IT Centre (Trung tâm CNTT), which reviews them. */
  CNTT: 'vn.gov.bhxh.cntt',
} as const;
export type Source = (typeof Source)[keyof typeof Source];

/** Events published by this system itself (never consumed by the intake). */
export const NOTIFY_SOURCE = 'vn.gov.bhxh.notify';

export const DetailType = {
  ContactUpdated: 'ContactUpdated',
  UnitPaymentReceived: 'UnitPaymentReceived',
  EmployeeContributionStopped: 'EmployeeContributionStopped',
  DossierReceived: 'DossierReceived',
  DossierResolved: 'DossierResolved',
  HealthCardIssued: 'HealthCardIssued',
  VoluntaryContributionPaid: 'VoluntaryContributionPaid',
  ContributionHistoryUpdated: 'ContributionHistoryUpdated',
  TemporaryPasswordIssued: 'TemporaryPasswordIssued',
  InboundSmsReceived: 'InboundSmsReceived',
  UnitMonthlyStatement: 'UnitMonthlyStatement',
  FacilityClaimsSummary: 'FacilityClaimsSummary',
  EAccountRegistrationReviewed: 'EAccountRegistrationReviewed',
  /** An e-registration declared online (seed 002): starts its lifecycle (received, reminder on day 7, deleted on day 10). */
  EAccountRegistrationSubmitted: 'EAccountRegistrationSubmitted',
  OtpIssued: 'OtpIssued',
  PasswordChanged: 'PasswordChanged',
  CollectionPaymentConfirmed: 'CollectionPaymentConfirmed',
  CampaignProposed: 'CampaignProposed',
  CampaignReviewed: 'CampaignReviewed',
  CampaignCancelled: 'CampaignCancelled',
} as const;
export type DetailType = (typeof DetailType)[keyof typeof DetailType];

/** Which upstream system owns each detail-type (SPEC catalogue, column "source"). */
export const SOURCE_OF: Record<DetailType, Source> = {
  ContactUpdated: Source.TST,
  UnitPaymentReceived: Source.TST,
  EmployeeContributionStopped: Source.TST,
  DossierReceived: Source.TNHS,
  DossierResolved: Source.TNHS,
  HealthCardIssued: Source.TST,
  VoluntaryContributionPaid: Source.TST,
  ContributionHistoryUpdated: Source.TST,
  TemporaryPasswordIssued: Source.DVC,
  InboundSmsReceived: Source.SMS_GATEWAY,
  UnitMonthlyStatement: Source.TST,
  FacilityClaimsSummary: Source.GDBHYT,
  EAccountRegistrationReviewed: Source.DVC,
  EAccountRegistrationSubmitted: Source.DVC,
  OtpIssued: Source.DVC,
  PasswordChanged: Source.DVC,
  CollectionPaymentConfirmed: Source.TCDVT,
  CampaignProposed: Source.CAMPAIGNS,
  CampaignReviewed: Source.CNTT,
  CampaignCancelled: Source.CAMPAIGNS,
};

/** The few detail-types more than one source may publish: a campaign is cancelled by its agency or by the IT Centre. */
export const ALSO_PUBLISHED_BY: Partial<Record<DetailType, readonly Source[]>> = {
  CampaignCancelled: [Source.CNTT],
};

/** Every source allowed to publish a detail-type, its own first. */
export const sourcesOf = (detailType: DetailType): readonly Source[] => [SOURCE_OF[detailType], ...(ALSO_PUBLISHED_BY[detailType] ?? [])];

export const ALL_DETAIL_TYPES = Object.values(DetailType);

/**
 * Events the system sends to itself later, through one-time EventBridge
 * Scheduler schedules that deliver them to the intake queue (source NOTIFY_SOURCE).
 */
export const InternalDetailType = {
  OrphanResolutionCheck: 'OrphanResolutionCheck',
  /** A recurring schedule's tick: start today's campaign run of a kind. */
  CampaignDue: 'CampaignDue',
  /** Every six hours: sent messages with no receipt for 72 hours become temporary failures. */
  ReceiptDeadlineCheck: 'ReceiptDeadlineCheck',
} as const;
export type InternalDetailType = (typeof InternalDetailType)[keyof typeof InternalDetailType];

/** Kinds that skip every backlog (their own intake and send queues) and quiet hours: one-time codes. */
export const URGENT_DETAIL_TYPES: readonly DetailType[] = [DetailType.OtpIssued];

/** Kinds whose detail carries a password or a one-time code: never archived, redacted when quarantined. */
export const SECRET_FIELDS: Partial<Record<DetailType, readonly string[]>> = {
  EAccountRegistrationReviewed: ['temporaryPassword'],
  TemporaryPasswordIssued: ['temporaryPassword'],
  OtpIssued: ['code'],
};
export const SECRET_BEARING_DETAIL_TYPES = Object.keys(SECRET_FIELDS) as DetailType[];

/** Detail-types this system publishes on the bus for others (never consumed by the intake). */
export const NotifyDetailType = {
  PasswordResetRequested: 'PasswordResetRequested',
  DossierOverdue: 'DossierOverdue',
  DossierResolutionUnmatched: 'DossierResolutionUnmatched',
  CollectionDailySummaryReady: 'CollectionDailySummaryReady',
  /** A province campaign changed status (proposed, refused, awaiting review, approved, sending, sent…). */
  CampaignStatusChanged: 'CampaignStatusChanged',
  /** A message reached a final status (delivered, failed, skipped, expired): key, kind, channel, status, parts, price; never a number, an address, a name or a text. */
  NotificationStatusChanged: 'NotificationStatusChanged',
} as const;
