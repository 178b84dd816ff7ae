/**
 * Test numbers: operators can smoke-test production safely. A message to one
 * of these numbers never reaches SNS; the sender records it as sent and then
 * applies the receipt the number stands for, in a deployed stack and locally.
 */
export interface TestNumberOutcome {
  status: 'delivered' | 'permanent-failure' | 'temporary-failure';
  providerResponse: string;
}

export const TEST_NUMBERS: Readonly<Record<string, TestNumberOutcome>> = {
  '+84900000001': { status: 'delivered', providerResponse: 'Test number: delivered' },
  '+84900000002': { status: 'permanent-failure', providerResponse: 'Test number: phone carrier has blocked this message' },
  '+84900000003': { status: 'temporary-failure', providerResponse: 'Test number: phone is currently unreachable/unavailable' },
};

export const isTestNumber = (e164: string) => Object.hasOwn(TEST_NUMBERS, e164);

/** The receipt a test number stands for, or undefined for a real number. */
export const testNumberOutcome = (e164: string): TestNumberOutcome | undefined => (isTestNumber(e164) ? TEST_NUMBERS[e164] : undefined);
