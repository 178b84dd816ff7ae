/**
 * What every test file of the run shares, made once:
 *
 * - One DynamoDB Local; each test file creates its own tables under a unique
 *   prefix, so files can run in parallel without sharing data.
 * - The stack's template, synthesized once from the working tree with the
 *   default context. Each of the 50-odd files that start a local system used
 *   to load aws-cdk-lib and synthesize it again (about 3 s each, measured by
 *   local/synth.ts's numbers); a file that needs another context or a changed
 *   template still synthesizes or builds its own.
 *
 * The run also starts with an empty IAM usage directory (BHXH_IAM_USAGE_DIR,
 * vitest.config.ts), so `npm run iam-report` reads the grants this run used
 * and nothing older.
 */
import { mkdirSync, rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { synthesizeTemplate } from '../../local/synth.ts';
import type { CfnTemplate } from '../../local/template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    /** The default stack's template (local/synth.ts, no context): read it through test/support/local-system.ts. */
    stackTemplate: CfnTemplate;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const usageDir = project.config.env.BHXH_IAM_USAGE_DIR;
  if (usageDir) {
    rmSync(usageDir, { recursive: true, force: true });
    mkdirSync(usageDir, { recursive: true });
  }
  // The JVM boots while the stack synthesizes (each takes about 2 s); dynamodb-local.ts stops it at exit if synth throws.
  const starting = startDynamoDbLocal();
  project.provide('stackTemplate', synthesizeTemplate());
  const db = await starting;
  project.provide('dynamoEndpoint', db.endpoint);
  return () => db.stop();
}
