/**
 * NotificationStatusChanged from a ledger item's stream images: only a change
 * into a final status makes one, and it carries the allowed fields only, never
 * the number, the address, the name or the text the item holds.
 */
import { describe, expect, it } from 'vitest';
import { FINAL_STATUSES, notificationStatusChangedSchema, publishableReason, statusChangeOf } from '../../lambdas/domain/status-events.ts';

const ALLOWED = ['key', 'kind', 'channel', 'status', 'reason', 'parts', 'priceUsd', 'at'];

/** A delivered SMS as the ledger holds it, with everything personal an item (or its content item) can carry. */
const delivered = {
  key: 'contribution-stopped#0113096123#CJKE01#2018-11',
  kind: 'contribution-stopped',
  subject: '0113096123',
  status: 'delivered',
  recipient: '+84912345678',
  recipientMasked: '+84******678',
  recipientTail: '678#2018-12-03',
  text: 'Kinh gui Ba Dang Thi Thu Hoai (ma so BHXH: 0113096123) ...',
  fullName: 'Đặng Thị Thu Hoài',
  name: 'Đặng Thị Thu Hoài',
  emailSubject: 'Thong bao',
  providerResponse: 'Message has been accepted by phone carrier',
  resendReason: 'goi lai cho ba Hoai 0912345678',
  segments: 2,
  priceInUSD: 0.0473,
  sentAt: '2018-12-03T02:00:01.000Z',
  updatedAt: '2018-12-03T02:00:05.000Z',
  createdAt: '2018-12-03T02:00:00.000Z',
};

describe('statusChangeOf', () => {
  it('gives exactly the allowed fields for a delivered SMS, none of the personal ones', () => {
    // Act
    const detail = statusChangeOf(delivered, { ...delivered, status: 'sent' });

    // Assess
    expect(detail).toEqual({ key: delivered.key, kind: 'contribution-stopped', channel: 'sms', status: 'delivered', parts: 2, priceUsd: 0.0473, at: delivered.updatedAt });
    expect(Object.keys(detail ?? {}).every((field) => ALLOWED.includes(field))).toBe(true);
    const published = JSON.stringify(detail);
    for (const personal of ['912345678', 'Hoai', 'Hoài', 'Kinh gui', 'Thong bao', '******678', 'carrier']) expect(published).not.toContain(personal);
    expect(notificationStatusChangedSchema.safeParse(detail).success).toBe(true);
  });

  it('makes one for every final status reached from another, and none on the way or for a rewrite of the same status', () => {
    // Assess
    for (const status of FINAL_STATUSES) {
      expect(statusChangeOf({ ...delivered, status }, { ...delivered, status: 'sending' })?.status).toBe(status);
      expect(statusChangeOf({ ...delivered, status, duplicates: 1 }, { ...delivered, status })).toBeUndefined();
    }
    for (const status of ['queued', 'paused', 'sending', 'sent', 'unknown']) expect(statusChangeOf({ ...delivered, status }, { ...delivered, status: 'queued' })).toBeUndefined();
    // A complaint after delivery: delivered → permanent-failure is a new final status
    expect(statusChangeOf({ ...delivered, status: 'permanent-failure', reason: 'complaint' }, delivered)).toMatchObject({ status: 'permanent-failure', reason: 'complaint' });
  });

  it('makes one for an item recorded final (skipped for want of a number), without parts it never sent', () => {
    // Prepare
    const { sentAt: _never, priceInUSD: _none, recipient: _no, ...skipped } = { ...delivered, status: 'skipped', reason: 'no-phone' };

    // Act
    const detail = statusChangeOf(skipped);

    // Assess
    expect(detail).toEqual({ key: delivered.key, kind: 'contribution-stopped', channel: 'sms', status: 'skipped', reason: 'no-phone', at: delivered.updatedAt });
  });

  it('makes none for an item that is not a message (the content item, a deletion)', () => {
    expect(statusChangeOf({ key: `content#${delivered.key}`, text: delivered.text, recipient: delivered.recipient })).toBeUndefined();
    expect(statusChangeOf(undefined, delivered)).toBeUndefined();
  });

  it("says e-mail for an e-mail, and masks addresses and numbers in a provider's reason", () => {
    // Act
    const detail = statusChangeOf(
      { ...delivered, channel: 'email', status: 'permanent-failure', reason: '550 5.1.1 <hoai.dang@example.vn>: mailbox unavailable, call 0912345678' },
      { ...delivered, channel: 'email', status: 'sent' },
    );

    // Assess
    expect(detail?.channel).toBe('email');
    expect(detail?.reason).not.toContain('hoai.dang');
    expect(detail?.reason).not.toContain('0912345678');
    expect(publishableReason('x'.repeat(500))).toHaveLength(200);
  });
});
