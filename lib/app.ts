/**
 * Builds the CDK app: used by bin/ (cdk synth/deploy), the stack tests and
 * the local run, so all three see the same stack.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BhxhNotifyStack } from './bhxh-notify-stack.ts';
import { readRegion } from './config.ts';

/**
 * CDK feature flags the stack relies on, set here rather than only in cdk.json
 * so that the tests and the local run synthesize what `cdk deploy` does.
 */
const FEATURE_FLAGS = {
  // Server access logs are allowed by a bucket policy, not the legacy LogDeliveryWrite ACL (cfn-lint W3045).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

export interface BuildAppOptions {
  context?: Record<string, unknown>;
  /** Run cdk-nag's AwsSolutions checks at synth (default true). */
  nag?: boolean;
  outdir?: string;
}

export function buildApp(options: BuildAppOptions = {}): { app: App; stack: BhxhNotifyStack } {
  const app = new App({ context: { ...FEATURE_FLAGS, ...options.context }, ...(options.outdir ? { outdir: options.outdir } : {}) });
  // The account is the CLI's (its credentials); the region is chosen in context (bhxh:region), never the profile's.
  const stack = new BhxhNotifyStack(app, 'BhxhNotify', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: readRegion(app.node) },
  });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
