/**
 * The e-mail forms (SPEC rule 12): where the seeds name e-mail (the e-account's
 * approval and refusal, seed 002; collection confirmations and the collector's
 * form 01-XN, seed 004; the e-registration's notices), a message also goes by
 * e-mail when an address is known. Unlike an SMS, an e-mail keeps its
 * diacritics (UTF-8) and has a subject; it has no parts to count.
 *
 * A password or one-time code never goes by e-mail: the approval's form takes
 * no password, and says the password comes by SMS.
 */
import { formatAmount, formatDate } from './text/format.ts';
import type { TemplateData, TemplateId } from './templates.ts';

export interface EmailContent {
  subject: string;
  text: string;
}

/** A file sent with an e-mail: its name as the recipient sees it, and where the sender reads it (the reports bucket). */
export interface EmailAttachment {
  name: string;
  key: string;
}

/** Every e-mail ends the same way: who sent it, and that a reply reaches nobody. */
const SIGNATURE = '\n\nBảo hiểm xã hội Việt Nam\nThư này được gửi tự động; vui lòng không trả lời thư này.';

const schemeName = (scheme: 'voluntary-social' | 'household-health') => (scheme === 'voluntary-social' ? 'BHXH tự nguyện' : 'BHYT hộ gia đình');

type EmailForms = { [K in TemplateId]?: (d: TemplateData<K>) => EmailContent };

export const emailForms: EmailForms = {
  // Seed 002: the approval goes "to the e-mail address (if any) and by SMS"; the password only by SMS.
  'account-approved': (d) => ({
    subject: 'Tài khoản giao dịch điện tử với cơ quan BHXH đã được phê duyệt',
    text: `Kính gửi ${d.fullName},\n\nĐăng ký giao dịch điện tử với cơ quan BHXH của ${d.fullName} đã được phê duyệt.\nTên đăng nhập: ${d.loginName}\n\nMật khẩu đăng nhập lần đầu được gửi riêng bằng tin nhắn SMS tới số điện thoại đã đăng ký; mật khẩu không bao giờ được gửi qua thư điện tử. Đề nghị đổi mật khẩu khi đăng nhập lần đầu.${SIGNATURE}`,
  }),

  'account-rejected': (d) => ({
    subject: 'Đăng ký giao dịch điện tử với cơ quan BHXH chưa được phê duyệt',
    text: `Kính gửi ${d.fullName},\n\nĐăng ký giao dịch điện tử với cơ quan BHXH của ${d.fullName} chưa được phê duyệt do ${d.reason}.\n\nĐề nghị kiểm tra lại thông tin và đăng ký lại, hoặc liên hệ cơ quan BHXH nơi gần nhất để được hướng dẫn.${SIGNATURE}`,
  }),

  // Seed 004: the participant's confirmation "directly, by SMS, by e-mail or on paper".
  'collection-confirmed': (d) => ({
    subject: `Xác nhận đã nộp ${schemeName(d.scheme)}, mã xác nhận ${d.confirmationCode}`,
    text: `Kính gửi ${d.fullName},\n\nCơ quan BHXH xác nhận khoản đã nộp:\n- Mã xác nhận: ${d.confirmationCode}\n- Họ và tên: ${d.fullName}\n- Mã số BHXH: ${d.personId}\n- Ngày nộp: ${formatDate(d.paidAt)}\n- Số tiền: ${formatAmount(d.amount)} đồng\n- Loại: ${schemeName(d.scheme)}\n- Số tháng: ${d.months} tháng${SIGNATURE}`,
  }),

  // Seed 004: form 01-XN to the collection service organisation, its CSV attached.
  'collector-summary': (d) => ({
    subject: `Mẫu 01-XN${d.supplement ? ` bổ sung lần ${d.supplement}` : ''} ngày ${formatDate(d.date)}, tổ chức dịch vụ thu ${d.collectorCode}`,
    text: `Kính gửi tổ chức dịch vụ thu ${d.collectorCode},\n\nDanh sách xác nhận đã nộp tiền (Mẫu 01-XN${d.supplement ? `, bổ sung lần ${d.supplement}` : ''}) ngày ${formatDate(d.date)}: ${d.count} mã xác nhận, tổng số tiền ${formatAmount(d.total)} đồng.\nChi tiết từng mã xác nhận trong tệp CSV đính kèm.${SIGNATURE}`,
  }),

  // Seed 002: a declaration not submitted at a BHXH office within 10 days is deleted; the portal asked for the address.
  'registration-received': (d) => ({
    subject: `Đã nhận tờ khai đăng ký giao dịch điện tử số ${d.registrationId}`,
    text: `Cơ quan BHXH đã nhận tờ khai đăng ký giao dịch điện tử số ${d.registrationId}.\n\nĐể hoàn tất đăng ký, đề nghị mang đến cơ quan BHXH nơi gần nhất, trước ngày ${formatDate(d.deadline)}:\n- Tờ khai đăng ký giao dịch điện tử (mẫu 01) đã ký;\n- Căn cước công dân hoặc hộ chiếu.\n\nQuá hạn, tờ khai sẽ tự động bị xóa.${SIGNATURE}`,
  }),

  'registration-reminder': (d) => ({
    subject: `Nhắc nộp tờ khai đăng ký giao dịch điện tử số ${d.registrationId}`,
    text: `Tờ khai đăng ký giao dịch điện tử số ${d.registrationId} chưa được nộp tại cơ quan BHXH.\n\nĐề nghị mang tờ khai (mẫu 01) đã ký và căn cước công dân hoặc hộ chiếu đến cơ quan BHXH trước ngày ${formatDate(d.deadline)}; quá hạn, tờ khai sẽ tự động bị xóa.${SIGNATURE}`,
  }),

  'registration-deleted': (d) => ({
    subject: `Tờ khai đăng ký giao dịch điện tử số ${d.registrationId} đã bị xóa`,
    text: `Tờ khai đăng ký giao dịch điện tử số ${d.registrationId} đã bị xóa do không được nộp tại cơ quan BHXH trước ngày ${formatDate(d.deadline)}.\n\nNếu vẫn có nhu cầu giao dịch điện tử với cơ quan BHXH, đề nghị đăng ký lại.${SIGNATURE}`,
  }),
};

/** Whether a kind also goes by e-mail. */
export const hasEmailForm = (kind: string): kind is TemplateId => Object.hasOwn(emailForms, kind);

export function renderEmail<K extends TemplateId>(kind: K, data: TemplateData<K>): EmailContent {
  const form = emailForms[kind] as ((d: TemplateData<K>) => EmailContent) | undefined;
  if (!form) throw new Error(`kind ${kind} has no e-mail form`);
  return form(data);
}

/** The ledger key of a message's e-mail: the channel is part of the business key (SPEC rule 12). */
export const emailKeyOf = (smsKey: string): string => `${smsKey}#email`;

/** `t***@example.vn`: what logs, the ledger's masked recipient and the CLI show of an address. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address.slice(0, 1)}***${address.slice(at)}`;
}

/** Why an e-mail is not sent: an address that bounced hard or complained before (SPEC rule 12). */
export const EMAIL_SUPPRESSED = 'email-suppressed';
