/** Message core throughput: render a seed template, transliterate, count parts. */
import { renderSms } from '../lambdas/domain/templates.ts';

export function measureCore(messages: number) {
  const started = performance.now();
  let parts = 0;
  for (let i = 0; i < messages; i++) {
    const sms =
      i % 2 === 0
        ? renderSms('contribution-stopped', {
            fullName: 'Đặng Thị Thu Hoài',
            gender: 'female',
            personId: String(1_000_000_000 + i),
            unitName: 'CN Cty TNHH CJ KOREA EXPRESS FREIGHT Việt Nam Tại Hà Nội',
            fromMonth: '2018-11',
          })
        : renderSms('unit-payment-received', {
            unitName: 'CN Viện dầu khí VNTT nghiên cứu tìm kiếm thăm dò & khai thác Dầu khí',
            unitCode: 'QW18013',
            amount: 10_000_000 + i,
            agency: 'VP Bảo hiểm Xã hội TP HCM',
          });
    parts += sms.segments;
  }
  const seconds = (performance.now() - started) / 1000;
  return { messages, parts, seconds: Math.round(seconds * 1000) / 1000, messagesPerSecond: Math.round(messages / seconds) };
}
