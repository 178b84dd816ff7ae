/**
 * The message ledger's small rules: the recipient tail kept beside the masked
 * number (last three digits and the Vietnam day), the short history lines,
 * the Vietnam day on which a sent message's 72-hour receipt wait ends, and
 * the subject key the ledger and the contact projection share.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { historyLine, receiptDueDayOf, RECEIPT_WAIT_HOURS, recipientTail } from '../../lambdas/domain/ledger.ts';
import { subjectKey } from '../../lambdas/domain/contacts.ts';

describe('recipientTail', () => {
  it('is the last three digits and the Vietnam day', () => {
    expect(recipientTail('+84912345678', '2026-11-23')).toBe('678#2026-11-23');
  });

  it('takes a suffix as well as a whole number', () => {
    expect(recipientTail('678', '2026-11-23')).toBe('678#2026-11-23');
    expect(recipientTail('***678', '2026-11-23')).toBe('678#2026-11-23');
  });
});

describe('historyLine', () => {
  it('is `<ISO time> <what>` for a Date', () => {
    expect(historyLine(new Date('2026-11-23T01:02:03.004Z'), 'sent')).toBe('2026-11-23T01:02:03.004Z sent');
  });

  it('keeps a time given as text as it is', () => {
    expect(historyLine('2026-11-23T08:02:03+07:00', 'permanent-failure: Invalid phone number')).toBe('2026-11-23T08:02:03+07:00 permanent-failure: Invalid phone number');
  });

  it('is at most 200 characters', () => {
    // Act
    const line = historyLine(new Date('2026-11-23T01:02:03.004Z'), `technical-failure: ${'x'.repeat(500)}`);

    // Assess
    expect(line).toHaveLength(200);
    expect(line.startsWith('2026-11-23T01:02:03.004Z technical-failure: xxx')).toBe(true);
  });
});

describe('receiptDueDayOf', () => {
  it('waits 72 hours', () => {
    expect(RECEIPT_WAIT_HOURS).toBe(72);
  });

  it('is the Vietnam day 72 hours after the message was sent', () => {
    // 2026-11-20 10:00 in Vietnam + 72 h = 2026-11-23 10:00
    expect(receiptDueDayOf(new Date('2026-11-20T10:00:00+07:00'))).toBe('2026-11-23');
  });

  it('counts the day in Vietnam, not in UTC', () => {
    // 2026-11-20 23:30 UTC is 2026-11-21 06:30 in Vietnam; + 72 h is 2026-11-24 in Vietnam (still the 23rd in UTC)
    expect(receiptDueDayOf(new Date('2026-11-20T23:30:00Z'))).toBe('2026-11-24');
    // 23:59 in Vietnam + 72 h is still that Vietnam day
    expect(receiptDueDayOf(new Date('2026-11-20T23:59:00+07:00'))).toBe('2026-11-23');
  });

  it('crosses months and years', () => {
    expect(receiptDueDayOf(new Date('2026-12-30T12:00:00+07:00'))).toBe('2027-01-02');
  });

  it('is never before the 72 hours are over (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (sentAt) => {
        const dueDay = receiptDueDayOf(sentAt);
        const endOfDueDay = new Date(`${dueDay}T24:00:00+07:00`).getTime();
        const startOfDueDay = new Date(`${dueDay}T00:00:00+07:00`).getTime();
        const due = sentAt.getTime() + RECEIPT_WAIT_HOURS * 3_600_000;
        expect(due).toBeGreaterThanOrEqual(startOfDueDay);
        expect(due).toBeLessThan(endOfDueDay);
      }),
    );
  });
});

describe('subjectKey', () => {
  it('is `<type>#<id>`', () => {
    expect(subjectKey('person', '0110129425')).toBe('person#0110129425');
    expect(subjectKey('collector', 'TC0101')).toBe('collector#TC0101');
  });
});
