/**
 * The environment contract: a handler's cold start fails with the name of
 * every missing or malformed variable, and nothing is guessed.
 */
import { describe, expect, it } from 'vitest';
import { EnvironmentError, RECEIPTS_ENVIRONMENT, readEnvironment, SENDER_ENVIRONMENT } from '../../lambdas/aws/environment.ts';

const SENDER_OK = {
  LEDGER_TABLE_NAME: 'ledger',
  CONTROL_TABLE_NAME: 'control',
  SMS_SENDER_ID: 'BHXHVN',
  EMAIL_FROM: '"Bảo hiểm xã hội Việt Nam" <thongbao@thongbao.baohiemxahoi.gov.vn>',
  EMAIL_CONFIGURATION_SET: 'bhxh-notify',
  REPORTS_BUCKET_NAME: 'reports',
  SMS_TYPE: 'Transactional',
  SMS_PARTS_PER_SECOND: '10',
  EMAILS_PER_SECOND: '14',
  DAILY_CEILINGS: '{"default":500000}',
  CAMPAIGNS_TABLE_NAME: 'campaigns',
  SECRET_KEY_ARN: 'arn:aws:kms:ap-southeast-1:111122223333:key/secret',
};

describe('readEnvironment', () => {
  it('reads every variable of the contract with its type', () => {
    // Act
    const env = readEnvironment(SENDER_ENVIRONMENT, SENDER_OK);

    // Assess
    expect(env).toEqual({ ...SENDER_OK, SMS_PARTS_PER_SECOND: 10, EMAILS_PER_SECOND: 14, DAILY_CEILINGS: { default: 500000 } });
  });

  it('names each missing variable, not just the first', () => {
    // Act
    const read = () => readEnvironment(RECEIPTS_ENVIRONMENT, {});

    // Assess
    expect(read).toThrow(EnvironmentError);
    expect(read).toThrow(/LEDGER_TABLE_NAME is not set.*CONTROL_TABLE_NAME is not set/);
  });

  it.each([
    ['SMS_PARTS_PER_SECOND', '0', /SMS_PARTS_PER_SECOND is "0", expected a whole number ≥ 1/],
    ['SMS_PARTS_PER_SECOND', '10.5', /SMS_PARTS_PER_SECOND is "10.5"/],
    ['SMS_TYPE', 'Marketing', /SMS_TYPE is "Marketing", expected "Transactional" or "Promotional"/],
    ['DAILY_CEILINGS', '{"default": -1}', /DAILY_CEILINGS is .*expected a JSON object/],
    ['DAILY_CEILINGS', 'not json', /DAILY_CEILINGS is "not json"/],
    ['LEDGER_TABLE_NAME', '  ', /LEDGER_TABLE_NAME is " {2}", expected a non-empty string/],
  ])('refuses a malformed %s (%s) and names it', (name, value, message) => {
    // Act
    const read = () => readEnvironment(SENDER_ENVIRONMENT, { ...SENDER_OK, [name]: value });

    // Assess
    expect(read).toThrow(message);
  });

  it('ignores variables outside the contract (Lambda sets its own)', () => {
    // Act
    const env = readEnvironment(RECEIPTS_ENVIRONMENT, { LEDGER_TABLE_NAME: 'l', CONTROL_TABLE_NAME: 'c', AWS_REGION: 'ap-southeast-1' });

    // Assess
    expect(Object.keys(env).sort()).toEqual(['CONTROL_TABLE_NAME', 'LEDGER_TABLE_NAME']);
  });
});
