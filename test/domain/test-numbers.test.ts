/**
 * Test numbers (lambdas/domain/test-numbers.ts): operators smoke-test
 * production with them; a message to one never reaches SNS and gets the
 * receipt the number stands for.
 */
import { describe, expect, it } from 'vitest';
import { isTestNumber, testNumberOutcome, TEST_NUMBERS } from '../../lambdas/domain/test-numbers.ts';

describe('test numbers', () => {
  it.each([
    ['+84900000001', 'delivered'],
    ['+84900000002', 'permanent-failure'],
    ['+84900000003', 'temporary-failure'],
  ] as const)('%s stands for a %s receipt', (e164, status) => {
    // Act
    const entry = TEST_NUMBERS[e164];

    // Assess
    expect(isTestNumber(e164)).toBe(true);
    expect(entry?.status).toBe(status);
    expect(testNumberOutcome(e164)).toBe(entry);
  });

  it('says in the provider response that the receipt comes from a test number, so operators can tell it apart', () => {
    // Act
    const responses = Object.values(TEST_NUMBERS).map((t) => t.providerResponse);

    // Assess
    expect(responses).toEqual(['Test number: delivered', 'Test number: phone carrier has blocked this message', 'Test number: phone is currently unreachable/unavailable']);
  });

  it('treats every other number, and inherited property names, as a real number', () => {
    // Act
    const verdicts = ['+84912345678', '+84900000004', '0900000001', 'toString', 'constructor'].map(isTestNumber);

    // Assess
    expect(verdicts).toEqual([false, false, false, false, false]);
  });

  it('has no receipt outcome for a real number: the message goes to SNS', () => {
    // Act
    const outcomes = ['+84912345678', 'toString'].map(testNumberOutcome);

    // Assess
    expect(outcomes).toEqual([undefined, undefined]);
  });
});
