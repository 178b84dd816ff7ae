import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseLookup } from '../../lambdas/domain/lookup-request.ts';
import { historyAnswer } from '../../lambdas/domain/lookup-answers.ts';
import { renderSms } from '../../lambdas/domain/templates.ts';

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

  it.each([
    '',
    'hello',
    'BH',
    'BH QT',
    'BH QT 12345',
    'BH QTX 0110129425',
    'BH QT 0110129425 2018 2017',
    'BH QT 0110129425 13/2017 06/2018',
    'BH THE 123',
    'BH XY 0110129425',
    'BH QT 0110129425 2017',
  ])('answers %j with the help text', (body) => {
    expect(parseLookup(body)).toEqual({ kind: 'help' });
  });

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

describe('8079 syntax parser: what citizens type, and what is refused', () => {
  it.each([
    [' BH QT 0110129425', { kind: 'history', personId: '0110129425' }],
    ['B.H QT 0110129425', { kind: 'history', personId: '0110129425' }],
    ['B H QT 0110129425', { kind: 'history', personId: '0110129425' }],
    ['BH MK0110129425', { kind: 'password-reset', personId: '0110129425' }],
    ['BH MK 0110 129 425', { kind: 'password-reset', personId: '0110129425' }],
    ['BH QT 0110129425.2017.2018', { kind: 'history', personId: '0110129425', from: '2017-01', to: '2018-12' }],
    ['BH QT 0110129425 12/2017 12/2018', { kind: 'history', personId: '0110129425', from: '2017-12', to: '2018-12' }],
    ['BH QT 0110129425 05/2018 05/2018', { kind: 'history', personId: '0110129425', from: '2018-05', to: '2018-05' }],
    ['BH HS 04548/ 2018/006', { kind: 'dossier', dossierNo: '04548/2018/006' }],
    ['BH HS 04548/2018/006..', { kind: 'dossier', dossierNo: '04548/2018/006' }],
    ['BH THE HC4 01 0110129425', { kind: 'card', cardNo: 'HC4010110129425' }],
    ['BH THE HC4.01.0110129425', { kind: 'card', cardNo: 'HC4010110129425' }],
    ['BH QT 0110129425. 2017. 2018', { kind: 'history', personId: '0110129425', from: '2017-01', to: '2018-12' }],
    ['BH QT 0110129425;', { kind: 'history', personId: '0110129425' }],
  ])('tolerates %j', (body, expected) => {
    // Act
    const request = parseLookup(body);

    // Assess
    expect(request).toEqual(expected);
  });

  it.each([
    // the message must start with the BH keyword
    'TRA CUU BH QT 0110129425',
    'BXH QT 0110129425',
    // a BHXH number is exactly 10 digits
    'BH QT 01101294251',
    'BH MK 01101294251',
    'BH MK X0110129425',
    // a range is two bounds, each a year or a real month
    'BH QT 0110129425 2017 2018 2019',
    'BH QT 0110129425 ABC 2018',
    'BH QT 0110129425 00/2017 06/2018',
    'BH QT 0110129425 X01/2017 06/2018',
    'BH QT 0110129425 01/20175 06/2018',
    'BH QT 0110129425 1012017 062018',
    'BH QT 0110129425 0120171 062018',
    // a health card number is 15 characters (the seed's 16-character example is a typo)
    'BH THE HC40101101129425',
    'BH THE XHC4010110129425',
    // a dossier number starts with a letter or digit, has at most 40 characters of its alphabet
    'BH HS /04548/2018/006',
    'BH HS 04548/2018#006',
    `BH HS ${'A'.repeat(41)}`,
  ])('answers %j with the help text', (body) => {
    // Act
    const request = parseLookup(body);

    // Assess
    expect(request).toEqual({ kind: 'help' });
  });
});

describe('contribution history answer: ranges, order and unit names', () => {
  const now = new Date('2021-03-01T10:00:00+07:00');
  const period = (from: string, to: string | null, unitName: string) => ({ from, to, unitCode: 'U', unitName, scheme: 'compulsory' as const });
  const history = [period('2012-01', '2015-12', 'Công ty A'), period('2016-01', null, 'Công ty B')];
  const answer = (periods: Parameters<typeof historyAnswer>[1], range: { from?: string; to?: string } = {}) =>
    renderSms('lookup-history', historyAnswer('0110129425', periods, range, now)).text;

  it('leaves out a period entirely outside the requested range', () => {
    // Act
    const data = historyAnswer('0110129425', history, { from: '2017-01', to: '2018-12' }, now);

    // Assess
    expect(renderSms('lookup-history', data).text).toBe('Ma so BHXH 0110129425 (01/2017-12/2018): tong 24 thang dong. Gan nhat: Cong ty B 01/2017-12/2018.');
    expect(data.more).toBe(0);
  });

  it('counts a one-month range or period as one month', () => {
    // Act
    const oneMonthRange = answer(history, { from: '2018-05', to: '2018-05' });
    const oneMonthPeriod = answer([period('2020-05', '2020-05', 'Công ty C')]);

    // Assess
    expect(oneMonthRange).toBe('Ma so BHXH 0110129425 (05/2018-05/2018): tong 1 thang dong. Gan nhat: Cong ty B 05/2018-05/2018.');
    expect(oneMonthPeriod).toBe('Ma so BHXH 0110129425: tong 1 thang dong. Gan nhat: Cong ty C 05/2020-05/2020.');
  });

  it('shows an open period as running until now ("nay") when the range reaches this month or beyond', () => {
    // Act: asked in March 2021
    const toThisMonth = answer(history, { from: '2020-01', to: '2021-03' });
    const toEndOfYear = answer(history, { from: '2020-01', to: '2021-12' });
    const toLastYear = answer(history, { from: '2020-01', to: '2020-12' });

    // Assess: months are counted to this month, never into the future
    expect(toThisMonth).toBe('Ma so BHXH 0110129425 (01/2020-03/2021): tong 15 thang dong. Gan nhat: Cong ty B 01/2020-nay.');
    expect(toEndOfYear).toBe('Ma so BHXH 0110129425 (01/2020-12/2021): tong 15 thang dong. Gan nhat: Cong ty B 01/2020-nay.');
    expect(toLastYear).toBe('Ma so BHXH 0110129425 (01/2020-12/2020): tong 12 thang dong. Gan nhat: Cong ty B 01/2020-12/2020.');
  });

  it('clips to a range with only a start, without printing a range', () => {
    // Act
    const data = historyAnswer('0110129425', history, { from: '2015-01' }, now);

    // Assess: 2015-01..2015-12 is 12 months, 2016-01..2021-03 is 63
    expect(data.range).toBeUndefined();
    expect(renderSms('lookup-history', data).text).toBe('Ma so BHXH 0110129425: tong 75 thang dong. Gan nhat: Cong ty B 01/2016-nay; Cong ty A 01/2015-12/2015.');
  });

  it('lists the periods newest first, whatever order the history came in', () => {
    // Prepare
    const periods = [period('2012-01', '2013-12', 'B'), period('2016-01', null, 'D'), period('2010-01', '2011-12', 'A'), period('2014-01', '2015-12', 'C')];

    // Act
    const text = answer(periods);

    // Assess
    expect(text).toBe('Ma so BHXH 0110129425: tong 135 thang dong. Gan nhat: D 01/2016-nay; C 01/2014-12/2015; B 01/2012-12/2013; A 01/2010-12/2011.');
  });

  it('says there is no contribution period when there is none', () => {
    // Act
    const data = historyAnswer('0110129425', [], {}, now);

    // Assess
    expect(data).toEqual({ personId: '0110129425', months: 0, periods: '', more: 0 });
    expect(renderSms('lookup-history', data).text).toBe('Ma so BHXH 0110129425: tong 0 thang dong. Chua co qua trinh dong.');
  });

  it('keeps a unit name of up to 48 characters whole', () => {
    // Prepare: 48 and 40 characters, with word breaks past the 20th
    const exactly48 = 'Cong ty co phan dau tu xay dung va thuong mai HN';
    const forty = 'Cong ty co phan dau tu xay dung Song Da';

    // Act
    const texts = [answer([period('2016-01', '2016-12', exactly48)]), answer([period('2016-01', '2016-12', forty)])];

    // Assess
    expect(exactly48).toHaveLength(48);
    expect(texts[0]).toContain(`Gan nhat: ${exactly48} 01/2016-12/2016.`);
    expect(texts[1]).toContain(`Gan nhat: ${forty} 01/2016-12/2016.`);
  });

  it('cuts a longer unit name at the last word break within 48 characters', () => {
    // Prepare
    const name = 'Cong ty trach nhiem huu han mot thanh vien dich vu ky thuat dau khi bien';

    // Act
    const text = answer([period('2016-01', '2016-12', name)]);

    // Assess
    expect(text).toContain('Gan nhat: Cong ty trach nhiem huu han mot thanh vien dich 01/2016-12/2016.');
  });

  it('cuts at 48 characters when the only word break comes too early (at the 20th character or before)', () => {
    // Prepare
    const spaceAt20 = `${'A'.repeat(20)} ${'B'.repeat(40)}`;
    const noSpace = 'C'.repeat(60);

    // Act
    const texts = [answer([period('2016-01', '2016-12', spaceAt20)]), answer([period('2016-01', '2016-12', noSpace)])];

    // Assess
    expect(texts[0]).toContain(`Gan nhat: ${'A'.repeat(20)} ${'B'.repeat(27)} 01/2016`);
    expect(texts[1]).toContain(`Gan nhat: ${'C'.repeat(48)} 01/2016`);
  });

  it('leaves no trailing space when the cut falls on a double space', () => {
    // Prepare: the last break within 48 characters is a double space
    const name = 'Cong ty co phan dau tu xay dung Thang Long  Hongphatdevelopment';

    // Act
    const text = answer([period('2016-01', '2016-12', name)]);

    // Assess
    expect(text).toContain('Gan nhat: Cong ty co phan dau tu xay dung Thang Long 01/2016-12/2016.');
  });

  it('reports a unit name that cannot be sent by SMS instead of silently hiding the period', () => {
    // Act
    const build = () => historyAnswer('0110129425', [period('2016-01', '2016-12', '公司')], {}, now);

    // Assess
    expect(build).toThrow('text is not GSM-7');
  });
});
