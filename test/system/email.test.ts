/**
 * E-mail beside SMS (SPEC rule 12), end to end in the local run: the intake
 * records the e-mail under its own key, the sender hands it to the outbox (SES's
 * place), SES's events come back through the configuration set's rule on the
 * default bus to the e-mail receipts function; a hard bounce or a complaint
 * suppresses the address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails, SEED } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';

let system: LocalSystem;
const ledger = async (key: string) => (await system.scan<LedgerItem>('Ledger')).find((m) => m.key === key);
const contact = (subjectType: string, subjectId: string, phone: string, email: string | null) =>
  entry('ContactUpdated', { subjectType, subjectId, name: SEED.fullName, phone, email });

beforeAll(async () => {
  system = await startLocalSystem();
});
afterAll(async () => {
  await system?.stop();
});

describe('e-mail beside SMS', () => {
  it('an approved registration sends the password by SMS and an e-mail without it', async () => {
    // Prepare
    await atTime(system, '2018-12-03T09:00:00+07:00', contact('person', SEED.personId, '0912345001', 'Hoai.Dang@Example.vn'));
    const password = String(sampleDetails.EAccountRegistrationReviewed.temporaryPassword);

    // Act
    await atTime(system, '2018-12-03T09:05:00+07:00', entry('EAccountRegistrationReviewed', { ...sampleDetails.EAccountRegistrationReviewed, registrationId: 'REG-EMAIL-1' }));

    // Assess
    const sms = system.outbox.filter((l) => l.key === 'account-approved#REG-EMAIL-1');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.text).toContain(password);
    const emails = system.emails.filter((l) => l.key === 'account-approved#REG-EMAIL-1#email');
    expect(emails).toHaveLength(1);
    const email = emails[0]!;
    // The address as stored (lower-cased by the schema), the Vietnamese with its diacritics, no password.
    expect(email).toMatchObject({ channel: 'email', to: 'hoai.dang@example.vn', kind: 'account-approved', attachments: [] });
    expect(email.subject).toBe('Tài khoản giao dịch điện tử với cơ quan BHXH đã được phê duyệt');
    expect(email.text).toContain(`Đăng ký giao dịch điện tử với cơ quan BHXH của ${SEED.fullName} đã được phê duyệt.`);
    expect(email.text).toContain('Mật khẩu đăng nhập lần đầu được gửi riêng bằng tin nhắn SMS');
    expect(email.text).not.toContain(password);
    // One ledger, a status per channel: both delivered (the outbox's receipt and SES's Delivery event).
    expect((await ledger('account-approved#REG-EMAIL-1'))?.status).toBe('delivered');
    expect(await ledger('account-approved#REG-EMAIL-1#email')).toMatchObject({ channel: 'email', status: 'delivered', recipientMasked: 'h***@example.vn' });
  });

  it('a repeated fact sends neither the SMS nor the e-mail again', async () => {
    // Act
    await atTime(system, '2018-12-03T09:10:00+07:00', entry('EAccountRegistrationReviewed', { ...sampleDetails.EAccountRegistrationReviewed, registrationId: 'REG-EMAIL-1' }));

    // Assess
    expect(system.emails.filter((l) => l.key === 'account-approved#REG-EMAIL-1#email')).toHaveLength(1);
    expect((await ledger('account-approved#REG-EMAIL-1#email'))?.duplicates).toBe(1);
  });

  it('a subject without an address gets the SMS only, and nothing is recorded for the e-mail', async () => {
    // Act
    await atTime(
      system,
      '2018-12-03T09:15:00+07:00',
      entry('EAccountRegistrationReviewed', { ...sampleDetails.EAccountRegistrationReviewed, personId: '0110000001', registrationId: 'REG-NO-EMAIL', phone: '0912345002' }),
    );

    // Assess
    expect(system.outbox.filter((l) => l.key === 'account-rejected#REG-NO-EMAIL' || l.key === 'account-approved#REG-NO-EMAIL')).toHaveLength(1);
    expect(await ledger('account-approved#REG-NO-EMAIL#email')).toBeUndefined();
  });

  it('a collection confirmation goes by SMS and e-mail, and the collector’s form 01-XN e-mail carries its CSV', async () => {
    // Prepare
    await atTime(
      system,
      '2018-12-04T08:30:00+07:00',
      contact('person', '0110129425', '0912345003', 'nguoi.nop@example.vn'),
      contact('collector', 'TCMAIL', '0912345004', 'ketoan@tcmail.example.vn'),
    );
    const confirmation = {
      ...sampleDetails.CollectionPaymentConfirmed,
      confirmationCode: 'XN-MAIL-1',
      collectorCode: 'TCMAIL',
      personId: '0110129425',
      paidAt: '2018-12-04T09:00:00+07:00',
    };

    // Act
    await atTime(system, '2018-12-04T09:05:00+07:00', entry('CollectionPaymentConfirmed', confirmation));
    await atTime(system, '2018-12-05T07:59:00+07:00');

    // Assess: the participant's SMS and e-mail
    expect(system.outbox.filter((l) => l.key === 'collection-confirmed#XN-MAIL-1')).toHaveLength(1);
    const confirmed = system.emails.find((l) => l.key === 'collection-confirmed#XN-MAIL-1#email');
    expect(confirmed?.to).toBe('nguoi.nop@example.vn');
    expect(confirmed?.subject).toBe('Xác nhận đã nộp BHXH tự nguyện, mã xác nhận XN-MAIL-1');
    expect(confirmed?.text).toContain('- Số tiền: 1.650.000 đồng');
    // The collector's form: SMS, and an e-mail with the day's CSV attached
    expect(system.outbox.filter((l) => l.kind === 'collector-summary' && l.to === '+84912345004')).toHaveLength(1);
    const form = system.emails.find((l) => l.kind === 'collector-summary' && l.to === 'ketoan@tcmail.example.vn');
    expect(form?.subject).toBe('Mẫu 01-XN ngày 04/12/2018, tổ chức dịch vụ thu TCMAIL');
    expect(form?.attachments).toEqual(['01-XN_TCMAIL_2018-12-04.csv']);
    expect(form?.text).toContain('1 mã xác nhận, tổng số tiền 1.650.000 đồng');
  });

  it('a hard bounce marks the e-mail permanent-failure and suppresses the address: the next e-mail is skipped, the SMS still goes', async () => {
    // Prepare: SES's mailbox simulator bounces this address
    await atTime(system, '2018-12-05T09:00:00+07:00', contact('person', '0110000002', '0912345005', 'bounce+hoai@simulator.amazonses.com'));
    const reviewed = (registrationId: string) =>
      entry('EAccountRegistrationReviewed', { ...sampleDetails.EAccountRegistrationReviewed, personId: '0110000002', loginName: '0110000002', registrationId });

    // Act
    await atTime(system, '2018-12-05T09:05:00+07:00', reviewed('REG-BOUNCE-1'));
    await atTime(system, '2018-12-05T09:10:00+07:00', reviewed('REG-BOUNCE-2'));

    // Assess
    expect(await ledger('account-approved#REG-BOUNCE-1#email')).toMatchObject({ status: 'permanent-failure', providerResponse: 'bounce Permanent/General (SES)' });
    expect(await ledger('account-approved#REG-BOUNCE-2#email')).toMatchObject({ status: 'skipped', reason: 'email-suppressed' });
    expect(system.emails.filter((l) => l.to === 'bounce+hoai@simulator.amazonses.com').map((l) => l.key)).toEqual(['account-approved#REG-BOUNCE-1#email']);
    expect(system.outbox.filter((l) => l.to === '+84912345005')).toHaveLength(2);
  });

  it('a complaint after the delivery turns the e-mail into a permanent failure and suppresses the address', async () => {
    // Prepare
    await atTime(system, '2018-12-05T10:00:00+07:00', contact('person', '0110000003', '0912345006', 'complaint@simulator.amazonses.com'));
    const reviewed = (registrationId: string) =>
      entry('EAccountRegistrationReviewed', { ...sampleDetails.EAccountRegistrationReviewed, personId: '0110000003', loginName: '0110000003', registrationId });

    // Act
    await atTime(system, '2018-12-05T10:05:00+07:00', reviewed('REG-COMPLAINT-1'));
    await atTime(system, '2018-12-05T10:10:00+07:00', reviewed('REG-COMPLAINT-2'));

    // Assess
    const first = await ledger('account-approved#REG-COMPLAINT-1#email');
    expect(first).toMatchObject({ status: 'permanent-failure', providerResponse: 'complaint abuse (SES)' });
    // SES may report the complaint before or after the delivery: either way the delivery never turns it back.
    expect((await ledger('account-approved#REG-COMPLAINT-2#email'))?.status).toBe('skipped');
  });

  it('nothing the local run denied, and no address in a log-bound place: the SES events queue got only ids and types', async () => {
    expect(system.accessDenied).toEqual([]);
    const suppressed = (await system.scan<{ subject: string }>('Contacts')).filter((c) => c.subject.startsWith('suppressed-email#'));
    expect(suppressed).toHaveLength(2);
    for (const item of suppressed) expect(JSON.stringify(item)).not.toContain('simulator');
  });
});
