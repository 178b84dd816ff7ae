/**
 * Deploy review, domain side: execution names Step Functions can log (F13)
 * and SNS receipt times read as UTC whatever the host's time zone (F14).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dossierNoOf, executionNameOf } from '../../lambdas/domain/dossiers.ts';
import { parseReceipt } from '../../lambdas/domain/receipts.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('F13: execution names use only 0-9 A-Z a-z - _', () => {
  /** What the event schema accepts as a dossier number (lambdas/domain/schemas.ts), and a little more. */
  const dossierNo = fc.stringMatching(/^[A-Za-z0-9_./-]{1,40}$/);
  /** Step Functions: names of at most 80 characters; CloudWatch logging wants only these characters. */
  const LOGGABLE = /^[A-Za-z0-9_-]{1,80}$/;

  it.each([
    ['04486.G/2019/08708', '04486_dG-2019-08708'],
    ['03085_G/2018/00604', '03085__G-2018-00604'],
    ['06991/2018/08608', '06991-2018-08608'],
    ['a.d_d', 'a_dd__d'],
    ['._-/', '_d___--'],
  ])('names dossier %j %j and reads it back', (no, name) => {
    expect(executionNameOf(no)).toBe(name);
    expect(dossierNoOf(name)).toBe(no);
  });

  it('reads back every dossier number (property)', () => {
    fc.assert(
      fc.property(dossierNo, (no) => {
        expect(dossierNoOf(executionNameOf(no))).toBe(no);
      }),
    );
  });

  it('uses only letters, digits, - and _, in at most 80 characters (property)', () => {
    fc.assert(
      fc.property(dossierNo, (no) => {
        expect(executionNameOf(no)).toMatch(LOGGABLE);
      }),
    );
  });

  it('gives different dossiers different names (property)', () => {
    fc.assert(
      fc.property(dossierNo, dossierNo, (a, b) => {
        fc.pre(a !== b);
        expect(executionNameOf(a)).not.toBe(executionNameOf(b));
      }),
    );
  });

  it('gives different names to dossiers that differ only by their escapable characters (property)', () => {
    const escapable = fc.stringMatching(/^[._/d-]{1,12}$/);
    fc.assert(
      fc.property(escapable, escapable, (a, b) => {
        fc.pre(a !== b);
        expect(executionNameOf(a)).not.toBe(executionNameOf(b));
      }),
    );
  });
});

describe('F14: SNS receipt timestamps are UTC, whatever the host time zone', () => {
  const line = (timestamp: string) => JSON.stringify({ notification: { messageId: 'm-1', timestamp }, status: 'SUCCESS' });
  let tz: string | undefined;

  beforeEach(() => {
    tz = process.env.TZ;
    // Node re-reads TZ when it is assigned: the local-time constructor would now be 7 hours off.
    process.env.TZ = 'Asia/Ho_Chi_Minh';
  });
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('reads it as UTC on a host at UTC+7 (a separate Node process started with TZ=Asia/Ho_Chi_Minh)', () => {
    // Prepare: a process whose time zone is really Vietnam's (assigning TZ inside a worker thread does not change it)
    const script = `import { parseReceipt } from './lambdas/domain/receipts.ts';
      const at = parseReceipt(${JSON.stringify(line('2016-06-28 00:40:34.558'))})?.at;
      console.log(JSON.stringify({ offset: new Date(2016, 5, 28).getTimezoneOffset(), at }));`;

    // Act
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, TZ: 'Asia/Ho_Chi_Minh' },
      encoding: 'utf8',
    });

    // Assess
    expect(JSON.parse(out)).toEqual({ offset: -420, at: '2016-06-28T00:40:34.558Z' });
  });

  it("reads SNS's `2016-06-28 00:40:34.558` as UTC", () => {
    expect(parseReceipt(line('2016-06-28 00:40:34.558'))?.at).toBe(new Date(Date.UTC(2016, 5, 28, 0, 40, 34, 558)).toISOString());
  });

  it('reads it as UTC without milliseconds, and with a T', () => {
    expect(parseReceipt(line('2016-06-28 00:40:34'))?.at).toBe('2016-06-28T00:40:34.000Z');
    expect(parseReceipt(line('2016-06-28T00:40:34.5'))?.at).toBe('2016-06-28T00:40:34.500Z');
  });

  it('still reads an ISO instant with an offset or Z as that instant', () => {
    expect(parseReceipt(line('2026-12-01T09:30:15.250+07:00'))?.at).toBe('2026-12-01T02:30:15.250Z');
    expect(parseReceipt(line('2026-12-01T02:30:15.250Z'))?.at).toBe('2026-12-01T02:30:15.250Z');
  });

  it('reads the same instant under any host offset (property)', () => {
    const zones = ['UTC', 'Asia/Ho_Chi_Minh', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Kathmandu'];
    const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (at, zone) => {
        process.env.TZ = zone;
        const sns = at.toISOString().replace('T', ' ').replace('Z', '');
        expect(parseReceipt(line(sns))?.at).toBe(at.toISOString());
      }),
    );
  });
});
