import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseLookup } from '../../lambdas/lookups/parser.ts';
import { historyAnswer } from '../../lambdas/lookups/answer.ts';
import { renderSms } from '../../lambdas/commons/templates.ts';

describe('8079 syntax parser', () => {
  it.each([
    ['BH QT 0110129425', { kind: 'history', personId: '0110129425' }],
    ['bh qt 0110129425', { kind: 'history', personId: '0110129425' }],
    ['Bh  Qt   0110129425 ', { kind: 'history', personId: '0110129425' }],
    ['BHQT 0110129425', { kind: 'history', personId: '0110129425' }],
    ['BH.QT.0110129425', { kind: 'history', personId: '0110129425' }],
    ['BH QT 0110129425 2017 2018', { kind: 'history', personId: '0110129425', from: '2017-01', to: '2018-12' }],
    ['BH QT 0110129425 01/2017 06/2018', { kind: 'history', personId: '0110129425', from: '2017-01', to: '2018-06' }],
    ['BH QT 0110129425 1-2017 06-2018', { kind: 'history', personId: '0110129425', from: '2017-01', to: '2018-06' }],
    ['bh qt 0110129425 012017 062018', { kind: 'history', personId: '0110129425', from: '2017-01', to: '2018-06' }],
    ['BH THE HC4010110129425', { kind: 'card', cardNo: 'HC4010110129425' }],
    ['bh thẻ hc4010110129425', { kind: 'card', cardNo: 'HC4010110129425' }],
    ['BH HS 04486.G/2019/08708', { kind: 'dossier', dossierNo: '04486.G/2019/08708' }],
    ['bh hs 03085_g/2018/00604.', { kind: 'dossier', dossierNo: '03085_G/2018/00604' }],
    ['BH MK 0110129425', { kind: 'password-reset', personId: '0110129425' }],
    ['Bh.Mk 0110129425', { kind: 'password-reset', personId: '0110129425' }],
  ])('reads %j', (body, expected) => {
    expect(parseLookup(body)).toEqual(expected);
  });

  it.each(['', 'hello', 'BH', 'BH QT', 'BH QT 12345', 'BH QTX 0110129425', 'BH QT 0110129425 2018 2017', 'BH QT 0110129425 13/2017 06/2018', 'BH THE 123', 'BH XY 0110129425', 'BH QT 0110129425 2017'])(
    'answers %j with the help text',
    (body) => {
      expect(parseLookup(body)).toEqual({ kind: 'help' });
    },
  );

  it('never throws, whatever the citizen types (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (body) => {
        expect(['history', 'card', 'dossier', 'password-reset', 'help']).toContain(parseLookup(body).kind);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.constantFrom('BH QT ', 'bh hs ', 'BHTHE ', 'Bh Mk '), fc.string(), (prefix, rest) => {
        expect(typeof parseLookup(prefix + rest).kind).toBe('string');
      }),
    );
  });
});

describe('contribution history answer', () => {
  const now = new Date('2021-03-01T10:00:00+07:00');
  const period = (from: string, to: string | null, unitName: string) => ({ from, to, unitCode: 'U', unitName, scheme: 'compulsory' as const });

  it('totals the months (an open period counts to this month) and lists the latest periods first', () => {
    // 2012-01..2015-12 is 48 months, 2016-01..2021-03 is 63
    const data = historyAnswer('0110129425', [period('2012-01', '2015-12', 'Công ty A'), period('2016-01', null, 'Công ty B')], {}, now);
    expect(renderSms('lookup-history', data).text).toBe('Ma so BHXH 0110129425: tong 111 thang dong. Gan nhat: Cong ty B 01/2016-nay; Cong ty A 01/2012-12/2015.');
  });

  it('limits to the requested years', () => {
    const data = historyAnswer('0110129425', [period('2012-01', '2015-12', 'Công ty A'), period('2016-01', null, 'Công ty B')], { from: '2015-01', to: '2016-12' }, now);
    expect(renderSms('lookup-history', data).text).toBe(
      'Ma so BHXH 0110129425 (01/2015-12/2016): tong 24 thang dong. Gan nhat: Cong ty B 01/2016-12/2016; Cong ty A 01/2015-12/2015.',
    );
  });

  it('fits a long history in 3 parts and says how many periods are not shown', () => {
    const periods = Array.from({ length: 40 }, (_, i) => period(`${1980 + i}-01`, `${1980 + i}-12`, `Công ty trách nhiệm hữu hạn số ${i + 1}`));
    const data = historyAnswer('0110129425', periods, {}, now);
    const sms = renderSms('lookup-history', data);
    expect(sms.segments).toBe(3);
    expect(data.more).toBeGreaterThan(30);
    expect(sms.text).toContain(`tong 480 thang dong`);
    expect(sms.text).toContain(`va ${data.more} giai doan khac.`);
  });
});
