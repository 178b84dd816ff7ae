/**
 * Sample data for `ops preview`: one realistic record per template, taken
 * from the seed documents. The type makes a new template without a sample a
 * compile error.
 */
import type { TemplateData, TemplateId } from '../lambdas/domain/templates.ts';

export const SAMPLES: { [K in TemplateId]: TemplateData<K> } = {
  'unit-payment-received': {
    unitName: 'CN Viện dầu khí VNTT nghiên cứu tìm kiếm thăm dò & khai thác Dầu khí',
    unitCode: 'QW18013',
    amount: 10_000_000,
    agency: 'VP Bảo hiểm Xã hội TP HCM',
  },
  'contribution-stopped': { fullName: 'Lê Văn Nam', gender: 'male', personId: '0113096123', unitName: 'Công ty TNHH Minh Phát', fromMonth: '2018-11' },
  'dossier-accepted': { dossierNo: '06991/2018/08608', expectedResultDate: '2018-12-06' },
  'dossier-rejected': { dossierNo: '04548/2018/006', reason: 'hồ sơ không hợp lệ' },
  'dossier-resolved': { dossierNo: '03085_G/2018/00604' },
  'health-card-expiring': { cardNo: 'HC40101101129425', validTo: '2018-12-31' },
  'facility-claims-summary': { facilityCode: '01909', month: '2019-04', claimCount: 10_132, claimAmount: 11_967_526_000, onTimeRate: 0.72 },
  'unit-monthly-statement': {
    unitName: 'Công ty TNHH Minh Phát',
    month: '2018-11',
    paidAmount: 125_000_000,
    carriedOverAmount: 0,
    expectedAmount: 126_500_000,
    agency: 'BHXH quận Ba Đình',
  },
  'voluntary-term-ending': { fullName: 'Đặng Thị Thu Hoài', gender: 'female', paidThrough: '2018-12' },
  'collection-confirmed': {
    confirmationCode: 'XN0001234',
    fullName: 'Đặng Thị Thu Hoài',
    personId: '0113096123',
    paidAt: '2018-12-03T10:00:00+07:00',
    amount: 1_980_000,
    scheme: 'voluntary-social',
    months: 6,
  },
  'collector-summary': { collectorCode: 'BD0001', date: '2018-12-03', count: 42, total: 55_440_000 },
  'dossier-overdue-apology': { dossierNo: '06991/2018/08608', expectedResultDate: '2018-12-06' },
  'password-reminder': { loginName: '0113096123' },
  'lookup-mismatch': {},
  'lookup-help': {},
  'lookup-rate-limited': { limit: 10 },
  'lookup-history': { personId: '0110129425', months: 111, periods: 'Cong ty B 01/2016-nay; Cong ty A 01/2012-12/2015', more: 0 },
  'lookup-card-valid': { cardNo: 'HC40101101129425', validTo: '2018-12-31' },
  'lookup-card-expired': { cardNo: 'HC40101101129425', validTo: '2018-06-30' },
  'lookup-dossier': { dossierNo: '06991/2018/08608', status: 'received', expectedResultDate: '2018-12-06' },
  'temporary-password': { loginName: '0113096123', password: 'Zq8!rT4m' },
  'account-approved': { fullName: 'Đặng Thị Thu Hoài', loginName: '0113096123', password: 'Zq8!rT4m' },
  'account-rejected': { fullName: 'Đặng Thị Thu Hoài', reason: 'thông tin đăng ký không khớp với cơ sở dữ liệu' },
  'registration-received': { registrationId: 'DK-2020-000417', deadline: '2020-12-04' },
  'registration-reminder': { registrationId: 'DK-2020-000417', deadline: '2020-12-04' },
  'registration-deleted': { registrationId: 'DK-2020-000417', deadline: '2020-12-04' },
  otp: { code: '482913', purpose: 'device-login', expiresAt: '2018-12-03T09:05:00+07:00' },
};
