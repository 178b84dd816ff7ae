import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  campaignMessageKey,
  campaignOfKey,
  ESTIMATED_USD_PER_PART,
  locateRecipients,
  pacingSeconds,
  parseBudgets,
  reportKeyOf,
  secondsUntil,
  sendStartOf,
} from '../../lambdas/domain/province-campaigns.ts';

const QUIET = { start: '07:00', end: '21:00' };

describe('a campaign message key', () => {
  it('names its campaign, whatever the id holds (dots, dashes, underscores)', () => {
    expect(campaignOfKey(campaignMessageKey('NA_2018.12-tet', 52))).toBe('NA_2018.12-tet');
    expect(campaignOfKey('unit-payment-received#QW18013#PT-1')).toBeUndefined();
    expect(campaignOfKey('campaign#')).toBeUndefined();
  });
});

describe('the recipients file', () => {
  it("is the stack's bucket, under the agency's own prefix", () => {
    expect(locateRecipients('s3://files/recipients/BHXH-NGHEAN/a.csv', 'BHXH-NGHEAN', 'files')).toEqual({ ok: true, bucket: 'files', key: 'recipients/BHXH-NGHEAN/a.csv' });
  });

  it.each([
    ['/tmp/a.csv', /must be an s3:\/\/ address/],
    ['s3://other/recipients/BHXH-NGHEAN/a.csv', /must be in the campaign files bucket files, not other/],
    ['s3://files/recipients/BHXH-HANOI/a.csv', /under the agency's own prefix recipients\/BHXH-NGHEAN\//],
    ['s3://files/recipients/BHXH-NGHEAN/../BHXH-HANOI/a.csv', /own prefix/],
  ])('refuses %s', (uri, problem) => {
    const located = locateRecipients(uri, 'BHXH-NGHEAN', 'files');
    expect(located.ok).toBe(false);
    expect(located.ok ? '' : located.problem).toMatch(problem);
  });

  it('has its reports next to it', () => {
    expect(reportKeyOf('recipients/A/doi-thoai.csv', 'refused')).toBe('recipients/A/doi-thoai.refused.csv');
    expect(reportKeyOf('recipients/A/list.CSV', 'outcomes')).toBe('recipients/A/list.outcomes.csv');
  });
});

describe('the send window', () => {
  it('starts at sendFrom when that is in the sending window and later than now', () => {
    expect(sendStartOf('2018-12-05T09:00:00+07:00', new Date('2018-12-03T10:00:00+07:00'), QUIET).toISOString()).toBe('2018-12-05T02:00:00.000Z');
  });

  it('moves out of quiet hours to 07:00, and never starts in the past', () => {
    expect(sendStartOf('2018-12-05T22:30:00+07:00', new Date('2018-12-03T10:00:00+07:00'), QUIET).toISOString()).toBe('2018-12-06T00:00:00.000Z');
    expect(sendStartOf('2018-12-01T09:00:00+07:00', new Date('2018-12-03T10:00:00+07:00'), QUIET).toISOString()).toBe('2018-12-03T03:00:00.000Z');
  });

  it('is waited for at least one second (Step Functions refuses 0)', () => {
    expect(secondsUntil(new Date(0), new Date(5000))).toBe(1);
    expect(secondsUntil(new Date(10_500), new Date(0))).toBe(11);
  });
});

describe('the pace', () => {
  it('keeps a campaign to half the SMS quota', () => {
    expect(pacingSeconds(1000, 10)).toBe(200);
    expect(pacingSeconds(3, 1000)).toBe(1);
  });
});

describe('the monthly budgets', () => {
  it('read a default and per-agency parts', () => {
    expect(parseBudgets('{"default":100000,"BHXH-NGHEAN":5000}')).toEqual({ default: 100000, 'BHXH-NGHEAN': 5000 });
  });

  it.each([
    ['{"BHXH-NGHEAN":5000}', /"default"/],
    ['{"default":-1}', /default must be a whole number of parts ≥ 0/],
    ['[1]', /JSON object/],
  ])('refuse %s', (raw, problem) => {
    expect(() => parseBudgets(raw)).toThrow(problem);
  });

  it("estimate the cost at docs/prices.json's price of a part", () => {
    const prices = JSON.parse(readFileSync(new URL('../../docs/prices.json', import.meta.url), 'utf8')) as { smsPerPartVietnam: { usd: number } };
    expect(ESTIMATED_USD_PER_PART).toBe(prices.smsPerPartVietnam.usd);
  });
});
