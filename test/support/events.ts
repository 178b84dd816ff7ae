/**
 * Valid sample events for every detail-type of the catalogue, from the seed
 * documents where they have an example. Tests derive bad variants from these.
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_BUS_NAME, SOURCE_OF, type DetailType } from '../../lambdas/domain/catalogue.ts';

export const SEED = {
  unitCode: 'QW18013',
  unitName: 'CN Viện dầu khí VNTT nghiên cứu tìm kiếm thăm dò & khai thác Dầu khí',
  agencyHcm: 'VP Bảo hiểm Xã hội TP HCM',
  personId: '0113096123',
  fullName: 'Đặng Thị Thu Hoài',
  stoppedUnitName: 'CN Cty TNHH CJ KOREA EXPRESS FREIGHT Việt Nam Tại Hà Nội',
} as const;

export const sampleDetails: Record<DetailType, Record<string, unknown>> = {
  ContactUpdated: { subjectType: 'unit', subjectId: SEED.unitCode, name: SEED.unitName, phone: '0912345678', agency: SEED.agencyHcm },
  UnitPaymentReceived: {
    paymentId: 'PT-2018-000731',
    unitCode: SEED.unitCode,
    unitName: SEED.unitName,
    amount: 10_000_000,
    receivedAt: '2018-12-03T08:59:00+07:00',
    agency: SEED.agencyHcm,
  },
  EmployeeContributionStopped: {
    personId: SEED.personId,
    fullName: SEED.fullName,
    gender: 'female',
    unitCode: 'CJKE01',
    unitName: SEED.stoppedUnitName,
    fromMonth: '2018-11',
  },
  DossierReceived: { dossierNo: '06991/2018/08608', subjectType: 'person', subjectId: SEED.personId, valid: true, expectedResultDate: '2018-12-06' },
  DossierResolved: { dossierNo: '03085_G/2018/00604', resolvedAt: '2018-12-05T15:00:00+07:00' },
  HealthCardIssued: { cardNo: 'HC4010110129425', personId: '0110129425', fullName: 'Trần Văn Bình', validTo: '2018-12-31', scheme: 'household' },
  VoluntaryContributionPaid: { personId: SEED.personId, fullName: SEED.fullName, gender: 'female', paidThrough: '2019-06', method: 'hằng tháng' },
  ContributionHistoryUpdated: {
    personId: SEED.personId,
    periods: [{ from: '2012-01', to: '2018-10', unitCode: 'CJKE01', unitName: SEED.stoppedUnitName, scheme: 'compulsory' }],
  },
  TemporaryPasswordIssued: { personId: SEED.personId, loginName: SEED.personId, temporaryPassword: 'Tmp#58213' },
  InboundSmsReceived: { messageId: 'gw-0001', from: '0912345678', to: '8079', body: 'BH QT 0113096123', receivedAt: '2021-03-01T10:00:00+07:00' },
  UnitMonthlyStatement: {
    unitCode: 'HG0042',
    unitName: 'Công ty TNHH Hoya Glass Disk VN',
    month: '2019-05',
    paidAmount: 9_249_473_860,
    carriedOverAmount: 214_541_737,
    expectedAmount: 8_931_964_403,
    agency: 'BHXH TP.Hà Nội',
  },
  FacilityClaimsSummary: { facilityCode: '01909', month: '2019-04', claimCount: 10_132, claimAmount: 11_967_526_000, onTimeRate: 0.72 },
  EAccountRegistrationReviewed: {
    registrationId: 'REG-2020-1',
    personId: SEED.personId,
    fullName: SEED.fullName,
    approved: true,
    loginName: SEED.personId,
    temporaryPassword: 'Kp7#q2Zx',
  },
  // Its own number: a sample published beside the Reviewed sample must not end that registration's lifecycle.
  EAccountRegistrationSubmitted: { registrationId: 'REG-2020-0417', personId: SEED.personId, fullName: SEED.fullName, submittedAt: '2020-11-24T09:00:00+07:00' },
  OtpIssued: { personId: SEED.personId, purpose: 'device-login', code: '482913', expiresAt: '2020-11-25T10:05:00+07:00' },
  PasswordChanged: { personId: SEED.personId, changedAt: '2020-11-25T10:00:00+07:00' },
  CollectionPaymentConfirmed: {
    confirmationCode: 'XN-2023-0001',
    collectorCode: 'TC001',
    personId: SEED.personId,
    fullName: SEED.fullName,
    paidAt: '2023-08-07T10:00:00+07:00',
    amount: 1_650_000,
    scheme: 'voluntary-social',
    months: 3,
  },
  CampaignProposed: {
    campaignId: 'NA-2018-12-doi-thoai',
    agency: 'BHXH-NGHEAN',
    title: 'Mời dự đối thoại chính sách BHXH tự nguyện',
    purpose: 'Mời người tham gia BHXH tự nguyện dự buổi đối thoại tại huyện',
    template: 'BHXH tỉnh Nghệ An trân trọng mời Ông/Bà ((ten)) dự buổi đối thoại về chính sách BHXH tự nguyện lúc ((gio)) ngày ((ngay)) tại ((diaDiem)).',
    recipients: 's3://bhxh-campaign-files/recipients/BHXH-NGHEAN/doi-thoai.csv',
    sendFrom: '2018-12-05T09:00:00+07:00',
    proposedBy: 'Phòng Truyền thông BHXH tỉnh Nghệ An',
  },
  CampaignReviewed: { campaignId: 'NA-2018-12-doi-thoai', approved: true, reviewer: 'Trung tâm CNTT', reason: 'Nội dung phù hợp, không trùng tin nhắn của BHXH Việt Nam' },
  CampaignCancelled: { campaignId: 'NA-2018-12-doi-thoai', cancelledBy: 'BHXH tỉnh Nghệ An', reason: 'Đổi lịch đối thoại' },
};

/** An EventBridge event as a target receives it. */
export function envelope(detailType: DetailType | string, detail: unknown, overrides: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: `evt-${Math.random().toString(36).slice(2)}`,
    'detail-type': detailType,
    source: SOURCE_OF[detailType as DetailType] ?? 'vn.gov.bhxh.unknown',
    account: '000000000000',
    time: '2018-12-03T02:00:00Z',
    region: 'ap-southeast-1',
    resources: [],
    detail,
    ...overrides,
  };
}

/** A PutEvents entry for the local bus. */
export function entry(detailType: DetailType, detail: Record<string, unknown>, time?: string): PutEventsRequestEntry {
  return {
    Source: SOURCE_OF[detailType],
    DetailType: detailType,
    Detail: JSON.stringify(detail),
    EventBusName: EVENT_BUS_NAME,
    ...(time ? { Time: new Date(time) } : {}),
  };
}
