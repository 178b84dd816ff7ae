/**
 * Safety limits per message kind: the configured daily ceilings (messages
 * handed to the provider per kind and Vietnam day) and which ceiling applies
 * to a kind: its own override, else the kind's configured one, else the default.
 */
import { describe, expect, it } from 'vitest';
import { ceilingOf, parseCeilings, type KindControl } from '../../lambdas/domain/kind-controls.ts';

describe('parseCeilings', () => {
  it('reads kind → messages per day', () => {
    // Act
    const ceilings = parseCeilings('{"default": 1000000, "UnitMonthlyStatement": 600000}');

    // Assess
    expect(ceilings).toEqual({ default: 1_000_000, UnitMonthlyStatement: 600_000 });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['blank', '  \n '],
  ])('has no ceilings when the setting is %s', (_, json) => {
    expect(parseCeilings(json)).toEqual({});
  });

  it('accepts a ceiling of one message a day', () => {
    expect(parseCeilings('{"OtpIssued": 1}')).toEqual({ OtpIssued: 1 });
  });

  it.each([
    ['an array', '[1000]'],
    ['null', 'null'],
    ['a number', '1000'],
    ['a string', '"1000"'],
  ])('refuses %s: ceilings are an object', (_, json) => {
    expect(() => parseCeilings(json)).toThrow('daily ceilings must be a JSON object of kind → whole number');
  });

  it.each([
    ['zero', '{"default": 0}', 'default', '0'],
    ['a negative number', '{"OtpIssued": -5}', 'OtpIssued', '-5'],
    ['a fraction', '{"default": 1.5}', 'default', '1.5'],
    ['a number written as text', '{"default": "1000"}', 'default', '"1000"'],
    ['null', '{"default": null}', 'default', 'null'],
  ])('refuses %s as a ceiling, naming the kind and the value', (_, json, kind, shown) => {
    expect(() => parseCeilings(json)).toThrow(`daily ceiling of ${kind} must be a whole number ≥ 1, got ${shown}`);
  });

  it('refuses a setting that is not JSON', () => {
    expect(() => parseCeilings('default=1000')).toThrow(SyntaxError);
  });
});

describe('ceilingOf', () => {
  const ceilings = parseCeilings('{"default": 1000000, "UnitMonthlyStatement": 600000}');
  const control = (kind: string, ceiling?: number): KindControl => ({ kind, paused: false, ...(ceiling === undefined ? {} : { ceiling }) });

  it("is the kind's own override first", () => {
    expect(ceilingOf(control('UnitMonthlyStatement', 5000), ceilings)).toBe(5000);
    expect(ceilingOf(control('HealthCardIssued', 5000), ceilings)).toBe(5000);
  });

  it("is the kind's configured ceiling without an override", () => {
    expect(ceilingOf(control('UnitMonthlyStatement'), ceilings)).toBe(600_000);
  });

  it('is the default for a kind without its own', () => {
    expect(ceilingOf(control('HealthCardIssued'), ceilings)).toBe(1_000_000);
  });

  it('is none when nothing is configured', () => {
    expect(ceilingOf(control('HealthCardIssued'), {})).toBeUndefined();
  });
});
