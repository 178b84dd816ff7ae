/**
 * One-time schedule names: EventBridge Scheduler allows [0-9a-zA-Z-_.] and 64
 * characters at most; the same subject always gets the same name, so that a
 * newer fact replaces its pending schedule.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scheduleName } from '../../lambdas/domain/schedules.ts';

const ALLOWED = /^[0-9A-Za-z_.-]{1,64}$/;

describe('scheduleName', () => {
  it('is the prefix and the id, `/` as `-`', () => {
    expect(scheduleName('orphan-resolution', 'a.B9z')).toBe('orphan-resolution-a.B9z');
    expect(scheduleName('orphan-resolution', '06991/2018/08608')).toBe('orphan-resolution-06991-2018-08608');
  });

  it('escapes `_`, `-` and every character the Scheduler does not allow, so no two ids share a name', () => {
    expect(scheduleName('orphan-resolution', '03085_G/2018/00604')).toBe('orphan-resolution-03085__G-2018-00604');
    expect(scheduleName('orphan-resolution', '04486/2019-1')).not.toBe(scheduleName('orphan-resolution', '04486-2019/1'));
    expect(scheduleName('reminder', 'Đơn#1 a:b')).toBe('reminder-_110__1a1_n_23_1_20_a_3a_b');
  });

  it('gives different ids different names (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
        fc.pre(a !== b);
        expect(scheduleName('p', a)).not.toBe(scheduleName('p', b));
      }),
    );
  });

  it('keeps a name of exactly 64 characters', () => {
    // Prepare
    const id = 'x'.repeat(64 - 'p-'.length);

    // Act / Assess
    expect(scheduleName('p', id)).toBe(`p-${id}`);
  });

  it('turns a longer name into the prefix and a hash of the id, 64 characters', () => {
    // Prepare
    const id = 'x'.repeat(63);

    // Act
    const name = scheduleName('orphan-resolution', id);

    // Assess
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^orphan-resolution-[0-9a-f]{46}$/);
    expect(name).toBe(scheduleName('orphan-resolution', id));
  });

  it('gives long ids that differ different names', () => {
    const a = `${'0'.repeat(70)}/1`;
    const b = `${'0'.repeat(70)}:1`;
    expect(scheduleName('orphan-resolution', a)).not.toBe(scheduleName('orphan-resolution', b));
  });

  it('is always a name the Scheduler accepts, the same for the same id (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z-]{0,30}$/), fc.string({ maxLength: 120 }), (prefix, id) => {
        const name = scheduleName(prefix, id);
        expect(name).toMatch(ALLOWED);
        expect(name.startsWith(`${prefix}-`)).toBe(true);
        expect(scheduleName(prefix, id)).toBe(name);
      }),
    );
  });
});
