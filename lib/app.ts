/**
 * Builds the CDK app: used by bin/ (cdk synth/deploy), the stack tests and
 * the local run, so all three see the same stack.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BhxhNotifyStack } from './bhxh-notify-stack.ts';

export interface BuildAppOptions {
  context?: Record<string, unknown>;
  /** Run cdk-nag's AwsSolutions checks at synth (default true). */
  nag?: boolean;
  outdir?: string;
}

export function buildApp(options: BuildAppOptions = {}): { app: App; stack: BhxhNotifyStack } {
  const app = new App({ context: options.context, ...(options.outdir ? { outdir: options.outdir } : {}) });
  const stack = new BhxhNotifyStack(app, 'BhxhNotify', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'ap-southeast-1' },
  });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
