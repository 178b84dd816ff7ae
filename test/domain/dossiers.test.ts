/**
 * Dossiers: the name of the execution that follows a dossier (readable,
 * unique, reversible, allowed by Step Functions), the end of the promised day
 * in Vietnam, and when the waiting execution wakes up to check the dossier.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dossierNoOf, dueEnd, executionNameOf, MAX_WAKE_SECONDS, wakeInSeconds } from '../../lambdas/domain/dossiers.ts';

describe('executionNameOf / dossierNoOf', () => {
  it.each([
    // SPEC examples
    ['06991/2018/08608', '06991-2018-08608'],
    ['04548/2018/006', '04548-2018-006'],
    ['03085_G/2018/00604', '03085__G-2018-00604'],
    ['04486.G/2019/08708', '04486_dG-2019-08708'],
    ['A-1/2', 'A_-1-2'],
    ['_-/', '___--'],
  ])('names the execution of dossier %j %j and reads the dossier back', (dossierNo, name) => {
    // Act
    const executionName = executionNameOf(dossierNo);

    // Assess
    expect(executionName).toBe(name);
    expect(dossierNoOf(executionName)).toBe(dossierNo);
  });

  const dossierNo = fc.stringMatching(/^[A-Za-z0-9_./-]{1,40}$/);

  it('reads back every dossier number (property)', () => {
    fc.assert(
      fc.property(dossierNo, (no) => {
        expect(dossierNoOf(executionNameOf(no))).toBe(no);
      }),
    );
  });

  it('gives different dossiers different names, of characters Step Functions allows (property)', () => {
    fc.assert(
      fc.property(dossierNo, dossierNo, (a, b) => {
        fc.pre(a !== b);
        expect(executionNameOf(a)).not.toBe(executionNameOf(b));
        expect(executionNameOf(a)).toMatch(/^[A-Za-z0-9_-]+$/);
      }),
    );
  });
});

describe('dueEnd', () => {
  it('is the midnight that ends the promised day in Vietnam', () => {
    // 2018-12-07 00:00 in Vietnam is 2018-12-06 17:00 UTC
    expect(dueEnd('2018-12-06').toISOString()).toBe('2018-12-06T17:00:00.000Z');
  });

  it('crosses months and years', () => {
    expect(dueEnd('2018-12-31').toISOString()).toBe('2018-12-31T17:00:00.000Z');
    expect(dueEnd('2020-02-29').toISOString()).toBe('2020-02-29T17:00:00.000Z');
  });
});

describe('wakeInSeconds', () => {
  const end = new Date('2018-12-06T17:00:00.000Z'); // end of 2018-12-06 in Vietnam
  /** The instant `ms` milliseconds before the end of the promised day. */
  const beforeEnd = (ms: number) => new Date(end.getTime() - ms);

  it('is 20 days at most', () => {
    expect(MAX_WAKE_SECONDS).toBe(20 * 86_400);
  });

  it('is the time left until the end of the promised day', () => {
    expect(wakeInSeconds('2018-12-06', beforeEnd(3_600_000), false)).toBe(3600);
    expect(wakeInSeconds('2018-12-06', new Date('2018-12-03T08:00:00+07:00'), false)).toBe(3 * 86_400 + 16 * 3600);
  });

  it('rounds a part of a second up, so that the check comes after the end', () => {
    expect(wakeInSeconds('2018-12-06', beforeEnd(1_400), false)).toBe(2);
    expect(wakeInSeconds('2018-12-06', beforeEnd(1_001), false)).toBe(2);
  });

  it('is one second at the end or after it', () => {
    expect(wakeInSeconds('2018-12-06', end, false)).toBe(1);
    expect(wakeInSeconds('2018-12-06', new Date(end.getTime() + 86_400_000), false)).toBe(1);
  });

  it('is 20 days when the promised day is further away', () => {
    expect(wakeInSeconds('2018-12-06', beforeEnd(MAX_WAKE_SECONDS * 1000 + 1000), false)).toBe(MAX_WAKE_SECONDS);
    expect(wakeInSeconds('2018-12-06', beforeEnd(MAX_WAKE_SECONDS * 1000 - 1000), false)).toBe(MAX_WAKE_SECONDS - 1);
  });

  it('is 20 days for a dossier without a promised day', () => {
    expect(wakeInSeconds(undefined, beforeEnd(3_600_000), false)).toBe(MAX_WAKE_SECONDS);
  });

  it('is 20 days for a dossier already overdue', () => {
    expect(wakeInSeconds('2018-12-06', beforeEnd(3_600_000), true)).toBe(MAX_WAKE_SECONDS);
    expect(wakeInSeconds(undefined, beforeEnd(3_600_000), true)).toBe(MAX_WAKE_SECONDS);
  });
});
