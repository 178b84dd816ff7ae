/**
 * The SMS templates, written in proper Vietnamese with diacritics, in the
 * agency's own wording (seeds 000 and 001). Rendering transliterates to plain
 * GSM-7 ASCII and measures the parts; a message over 3 parts is a bug.
 */
import { transliterate } from './text/transliterate.ts';
import { measureSms } from './text/gsm7.ts';
import { formatAmount, formatDate, formatMonth, formatPercent, formatTime, nextMonth, salutation, type Gender } from './text/format.ts';

export const MAX_SEGMENTS = 3;

/**
 * What the ledger keeps in place of a password or one-time code. The message
 * is rendered with this mask; the sender puts the secret back just before the
 * SMS leaves, so the secret is never written to the ledger or a log.
 */
export const SECRET_MASK = '********';

export const templates = {
  'unit-payment-received': (d: { unitName: string; unitCode: string; amount: number; agency: string }) =>
    `${d.unitName} (${d.unitCode}) đã nộp ${formatAmount(d.amount)} đ. Thông tin liên hệ để được trợ giúp ${d.agency}.`,

  'contribution-stopped': (d: { fullName: string; gender?: Gender; personId: string; unitName: string; fromMonth: string }) => {
    const s = salutation(d.gender);
    return `Kính gửi ${s} ${d.fullName} (mã số BHXH: ${d.personId}), ${d.unitName} đã ngừng đóng BHXH cho ${s} từ tháng ${formatMonth(d.fromMonth)}. Nếu có vướng mắc, đề nghị ${s} liên hệ với đơn vị để được làm rõ.`;
  },

  'dossier-accepted': (d: { dossierNo: string; expectedResultDate: string }) =>
    `Hồ sơ số ${d.dossierNo} đang được xử lý. Kết quả giải quyết hồ sơ sẽ có vào ngày ${formatDate(d.expectedResultDate)}.`,

  'dossier-rejected': (d: { dossierNo: string; reason: string }) => `Hồ sơ số ${d.dossierNo} đã bị từ chối do ${d.reason}.`,

  'dossier-resolved': (d: { dossierNo: string }) => `Hồ sơ số ${d.dossierNo} đã được giải quyết xong. Vui lòng nhận kết quả giải quyết theo hình thức đã đăng ký.`,

  'health-card-expiring': (d: { cardNo: string; validTo: string }) =>
    `Mã thẻ: ${d.cardNo}, có giá trị sử dụng đến hết ngày ${formatDate(d.validTo)}. Đề nghị ông/bà gia hạn thẻ để được đảm bảo quyền lợi hưởng BHYT.`,

  'facility-claims-summary': (d: { facilityCode: string; month: string; claimCount: number; claimAmount: number; onTimeRate: number }) =>
    `Tháng ${formatMonth(d.month)}, Mã CSKCB ${d.facilityCode}: Tổng số lượt đề nghị là ${formatAmount(d.claimCount)} lượt, tổng số tiền đề nghị BHXH thanh toán là ${formatAmount(d.claimAmount)} đồng, tỷ lệ hồ sơ gửi đúng ngày là ${formatPercent(d.onTimeRate)}. Trân trọng!`,

  // The seed has no "đồng" after the expected amount and no closing full stop; kept as the agency wrote it.
  'unit-monthly-statement': (d: { unitName: string; month: string; paidAmount: number; carriedOverAmount: number; expectedAmount: number; agency: string }) => {
    const next = formatMonth(nextMonth(d.month));
    return `Kính gửi ${d.unitName}: số tiền đã đóng tháng ${formatMonth(d.month)} là ${formatAmount(d.paidAmount)} đồng; Số tiền còn phải đóng chuyển sang tháng ${next} là ${formatAmount(d.carriedOverAmount)} đồng; Số tiền dự tính phải đóng tháng ${next} là ${formatAmount(d.expectedAmount)}. Chi tiết liên hệ ${d.agency}`;
  },

  // Voluntary contributors, on day 15 of the last paid month (seed 003: the agency's practice).
  'voluntary-term-ending': (d: { fullName: string; gender?: Gender; paidThrough: string }) => {
    const s = salutation(d.gender);
    return `Kính gửi ${s} ${d.fullName}, thời gian đóng BHXH tự nguyện của ${s} đến hết tháng ${formatMonth(d.paidThrough)}. Đề nghị ${s} tiếp tục đóng để được hưởng đầy đủ quyền lợi.`;
  },

  // Confirmation to the participant of a payment made through a collection service (seed 004).
  'collection-confirmed': (d: {
    confirmationCode: string;
    fullName: string;
    personId: string;
    paidAt: string;
    amount: number;
    scheme: 'voluntary-social' | 'household-health';
    months: number;
  }) =>
    `Mã xác nhận ${d.confirmationCode}: ${d.fullName}, mã số BHXH ${d.personId}, ngày ${formatDate(d.paidAt)} đã nộp ${formatAmount(d.amount)} đồng ${d.scheme === 'voluntary-social' ? 'BHXH tự nguyện' : 'BHYT hộ gia đình'} cho ${d.months} tháng.`,

  // Each morning, to a collection service organisation: the previous day's form 01-XN (seed 004).
  // A confirmation that arrives after the day's form went out is reported in a supplementary form (`supplement` 1, 2...).
  'collector-summary': (d: { collectorCode: string; date: string; count: number; total: number; supplement?: number }) =>
    `Mẫu 01-XN${d.supplement ? ` bổ sung lần ${d.supplement}` : ''} ngày ${formatDate(d.date)}, tổ chức dịch vụ thu ${d.collectorCode}: ${d.count} mã xác nhận, tổng số tiền ${formatAmount(d.total)} đồng. Chi tiết đã gửi qua hệ thống kết nối với cơ quan BHXH.`,

  // Only when the deployment enables it (bhxh:dossierOverdueApology): the agency's apology for a late result.
  'dossier-overdue-apology': (d: { dossierNo: string; expectedResultDate: string }) =>
    `Hồ sơ số ${d.dossierNo} chưa có kết quả đúng hẹn ngày ${formatDate(d.expectedResultDate)}. Cơ quan BHXH xin lỗi và sẽ báo ngay khi có kết quả.`,

  'password-reminder': (d: { loginName: string }) =>
    `Đã 6 tháng kể từ lần đổi mật khẩu gần nhất của tài khoản VssID ${d.loginName}. Đề nghị đổi mật khẩu để bảo vệ thông tin cá nhân.`,

  // 8079 look-up answers (SPEC "8079 look-ups"). The mismatch wording is the agency's own.
  'lookup-mismatch': (_d: Record<string, never>) => 'Số điện thoại và mã số BHXH không khớp hoặc chưa đăng ký giao dịch điện tử với cơ quan BHXH',

  'lookup-help': (_d: Record<string, never>) => 'Cú pháp tra cứu gửi 8079: BH QT <mã số BHXH> [từ năm] [đến năm]; BH THE <mã thẻ BHYT>; BH HS <số hồ sơ>; BH MK <mã số BHXH>',

  'lookup-rate-limited': (d: { limit: number }) => `Số điện thoại đã tra cứu quá ${d.limit} lần trong 1 giờ. Vui lòng thử lại sau.`,

  // `periods` is already a list of "unit mm/yyyy-mm/yyyy" items (Vietnamese), chosen to fit 3 parts.
  'lookup-history': (d: { personId: string; months: number; range?: string; periods: string; more: number }) =>
    `Mã số BHXH ${d.personId}${d.range ? ` (${d.range})` : ''}: tổng ${d.months} tháng đóng. ${d.periods ? `Gần nhất: ${d.periods}` : 'Chưa có quá trình đóng'}${d.more > 0 ? `; và ${d.more} giai đoạn khác` : ''}.`,

  'lookup-card-valid': (d: { cardNo: string; validTo: string }) => `Thẻ BHYT ${d.cardNo} có giá trị sử dụng đến hết ngày ${formatDate(d.validTo)}.`,

  'lookup-card-expired': (d: { cardNo: string; validTo: string }) => `Thẻ BHYT ${d.cardNo} đã hết giá trị sử dụng từ sau ngày ${formatDate(d.validTo)}.`,

  'lookup-dossier': (d: { dossierNo: string; status: 'received' | 'overdue' | 'rejected' | 'resolved'; expectedResultDate?: string }) => {
    const due = d.expectedResultDate ? formatDate(d.expectedResultDate) : '';
    switch (d.status) {
      case 'received':
        return `Hồ sơ số ${d.dossierNo} đang được xử lý, kết quả dự kiến ngày ${due}.`;
      case 'overdue':
        return `Hồ sơ số ${d.dossierNo} đang được xử lý, đã quá ngày hẹn ${due}.`;
      case 'rejected':
        return `Hồ sơ số ${d.dossierNo} đã bị từ chối.`;
      case 'resolved':
        return `Hồ sơ số ${d.dossierNo} đã được giải quyết xong.`;
    }
  },

  'temporary-password': (d: { loginName: string; password: string }) =>
    `Mật khẩu tạm thời của tài khoản VssID ${d.loginName} là ${d.password}. Đề nghị đổi mật khẩu ngay sau khi đăng nhập.`,

  // VssID e-transaction accounts (seed 002). The password is filled in at send time: see SECRET_MASK.
  'account-approved': (d: { fullName: string; loginName: string; password: string }) =>
    `Tài khoản giao dịch điện tử BHXH của ${d.fullName} đã được phê duyệt. Tên đăng nhập: ${d.loginName}, mật khẩu: ${d.password}. Đề nghị đổi mật khẩu khi đăng nhập lần đầu.`,

  'account-rejected': (d: { fullName: string; reason: string }) => `Đăng ký giao dịch điện tử với cơ quan BHXH của ${d.fullName} chưa được phê duyệt do ${d.reason}.`,

  // The e-registration's lifecycle (seed 002): a declaration made online is deleted if the signed form 01 and an
  // identity document do not reach a BHXH office within 10 days. `deadline` is the date it must reach one before.
  'registration-received': (d: { registrationId: string; deadline: string }) =>
    `Cơ quan BHXH đã nhận tờ khai đăng ký giao dịch điện tử số ${d.registrationId}. Đề nghị mang Tờ khai đăng ký giao dịch điện tử (mẫu 01) đã ký và CCCD/hộ chiếu đến cơ quan BHXH trước ngày ${formatDate(d.deadline)}; quá hạn, tờ khai sẽ tự động bị xóa.`,

  'registration-reminder': (d: { registrationId: string; deadline: string }) =>
    `Tờ khai đăng ký giao dịch điện tử số ${d.registrationId} chưa được nộp tại cơ quan BHXH. Đề nghị mang tờ khai (mẫu 01) đã ký và CCCD/hộ chiếu đến cơ quan BHXH trước ngày ${formatDate(d.deadline)}; quá hạn, tờ khai sẽ tự động bị xóa.`,

  'registration-deleted': (d: { registrationId: string; deadline: string }) =>
    `Tờ khai đăng ký giao dịch điện tử số ${d.registrationId} đã bị xóa do không được nộp tại cơ quan BHXH trước ngày ${formatDate(d.deadline)}. Nếu vẫn có nhu cầu, đề nghị đăng ký lại.`,

  otp: (d: { code: string; purpose: 'password-change' | 'device-login'; expiresAt: string }) =>
    `Mã OTP ${d.code} dùng để ${d.purpose === 'password-change' ? 'đổi mật khẩu VssID' : 'đăng nhập VssID trên thiết bị mới'}, hiệu lực đến ${formatTime(d.expiresAt)} ${formatDate(d.expiresAt)}. Không cung cấp mã này cho bất kỳ ai.`,
} as const;

export type TemplateId = keyof typeof templates;
export type TemplateData<K extends TemplateId> = Parameters<(typeof templates)[K]>[0];
export const TEMPLATE_IDS = Object.keys(templates) as TemplateId[];

export class TemplateTooLongError extends Error {
  constructor(
    readonly templateId: TemplateId,
    readonly segments: number,
  ) {
    super(`template ${templateId} rendered to ${segments} parts; at most ${MAX_SEGMENTS} are allowed`);
    this.name = 'TemplateTooLongError';
  }
}

export interface RenderedSms {
  /** Transliterated, GSM-7 text: what is sent. */
  text: string;
  segments: number;
  septets: number;
}

/**
 * The brand in the text (bhxh:brandInText): carriers ask, since August 2024, that a brand-name message name its
 * brand; the kinds a deployment lists carry this prefix. Off by default, so the seeds' wording stays exact.
 */
export const BRAND_PREFIX = 'BHXHVN: ';

export interface RenderOptions {
  /** Prefix BRAND_PREFIX (the kind is in bhxh:brandInText); its parts count like the rest. */
  branded?: boolean;
}

export function renderSms<K extends TemplateId>(id: K, data: TemplateData<K>, options: RenderOptions = {}): RenderedSms {
  const vietnamese = (templates[id] as (d: TemplateData<K>) => string)(data);
  const text = `${options.branded ? BRAND_PREFIX : ''}${transliterate(vietnamese)}`;
  const { segments, septets } = measureSms(text);
  if (segments > MAX_SEGMENTS) throw new TemplateTooLongError(id, segments);
  return { text, segments, septets };
}
