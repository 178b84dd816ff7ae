/**
 * Each function gets exactly the variables its handler reads: the synthesized
 * environment equals the contract, and a construct that forgets one (or sets
 * one the handler never reads) fails synth with the variable's name.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  CAMPAIGN_PAGE_ENVIRONMENT,
  DOSSIER_STEP_ENVIRONMENT,
  INTAKE_ENVIRONMENT,
  RECEIPT_DEADLINES_ENVIRONMENT,
  PROVINCE_CAMPAIGN_ENVIRONMENT,
  RECEIPTS_ENVIRONMENT,
  readEnvironment,
  REGISTRATION_STEP_ENVIRONMENT,
  SENDER_ENVIRONMENT,
  STATUS_EVENTS_ENVIRONMENT,
  EMAIL_RECEIPTS_ENVIRONMENT,
} from '../../lambdas/aws/environment.ts';
import { buildApp } from '../../lib/app.ts';
import { NotifyFunction } from '../../lib/notify-function.ts';

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

const CONTRACTS: Record<string, object> = {
  'lambdas/functions/intake/handler.ts': INTAKE_ENVIRONMENT,
  'lambdas/functions/sender/handler.ts': SENDER_ENVIRONMENT,
  'lambdas/functions/dossier-step/handler.ts': DOSSIER_STEP_ENVIRONMENT,
  'lambdas/functions/registration-step/handler.ts': REGISTRATION_STEP_ENVIRONMENT,
  'lambdas/functions/campaign-page/handler.ts': CAMPAIGN_PAGE_ENVIRONMENT,
  'lambdas/functions/province-campaign/handler.ts': PROVINCE_CAMPAIGN_ENVIRONMENT,
  'lambdas/functions/receipts/handler.ts': RECEIPTS_ENVIRONMENT,
  'lambdas/functions/receipt-deadlines/handler.ts': RECEIPT_DEADLINES_ENVIRONMENT,
  'lambdas/functions/status-events/handler.ts': STATUS_EVENTS_ENVIRONMENT,
  'lambdas/functions/email-receipts/handler.ts': EMAIL_RECEIPTS_ENVIRONMENT,
};

describe('environment contracts in the synthesized stack', () => {
  const { stack } = buildApp({ context: NO_BUNDLING, nag: false });
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).filter((f) => f.Metadata?.['bhxh:entry']);

  it('has one function per handler folder, each with a contract', () => {
    // Assess
    expect(functions.map((f) => f.Metadata['bhxh:entry']).sort()).toEqual(Object.keys(CONTRACTS).sort());
  });

  it.each(Object.entries(CONTRACTS))('%s gets exactly the variables of its contract', (entry, contract) => {
    // Prepare
    const fn = functions.find((f) => f.Metadata['bhxh:entry'] === entry)!;

    // Act
    const names = Object.keys(fn.Properties.Environment.Variables).filter((name) => !name.startsWith('POWERTOOLS_'));

    // Assess
    expect(names.sort()).toEqual(Object.keys(contract).sort());
  });

  it('sets plain values that pass the handler-side checks', () => {
    // Prepare: the values that are not tokens (names and ARNs resolve at deploy time)
    const sender = functions.find((f) => f.Metadata['bhxh:entry'] === 'lambdas/functions/sender/handler.ts')!;
    const literal = Object.fromEntries(Object.entries(sender.Properties.Environment.Variables).map(([k, v]) => [k, typeof v === 'string' ? v : 'token']));

    // Act
    const env = readEnvironment(SENDER_ENVIRONMENT, literal);

    // Assess
    expect(env.SMS_TYPE).toBe('Transactional');
    expect(env.SMS_PARTS_PER_SECOND).toBeGreaterThanOrEqual(1);
  });
});

describe('NotifyFunction checks its contract at synth', () => {
  const functionIn = () => {
    const app = new App({ context: NO_BUNDLING });
    const stack = new Stack(app, 'ContractTest', { env: { account: '111111111111', region: 'ap-southeast-1' } });
    const fn = new NotifyFunction(stack, 'Receipts', {
      entry: 'lambdas/functions/receipts/handler.ts',
      serviceName: 'receipts',
      description: 'contract test',
      timeout: Duration.seconds(10),
      logRetention: RetentionDays.ONE_DAY,
      contract: RECEIPTS_ENVIRONMENT,
    });
    return { app, fn };
  };

  it('fails synth naming a variable of the contract that is never set', () => {
    // Prepare
    const { app, fn } = functionIn();
    fn.setVariable('LEDGER_TABLE_NAME', 'ledger');

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).toThrow(/CONTROL_TABLE_NAME is in the function's environment contract but is never set/);
  });

  it('fails synth naming a variable the handler does not read', () => {
    // Prepare
    const { app, fn } = functionIn();
    fn.setVariable('LEDGER_TABLE_NAME', 'ledger').setVariable('CONTROL_TABLE_NAME', 'control');
    fn.addEnvironment('STRAY_SECRET', 'x');

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).toThrow(/STRAY_SECRET is set but is not in the function's environment contract/);
  });

  it('synthesizes when every variable is set', () => {
    // Prepare
    const { app, fn } = functionIn();
    fn.setVariable('LEDGER_TABLE_NAME', 'ledger').setVariable('CONTROL_TABLE_NAME', 'control');

    // Act + Assess
    expect(() => app.synth()).not.toThrow();
  });
});
