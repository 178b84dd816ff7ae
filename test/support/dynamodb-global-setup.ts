/**
 * One DynamoDB Local for the whole test run; each test file creates its own
 * tables under a unique prefix, so files can run in parallel without sharing data.
 *
 * The run also starts with an empty IAM usage directory (BHXH_IAM_USAGE_DIR,
 * vitest.config.ts), so `npm run iam-report` reads the grants this run used
 * and nothing older.
 */
import { mkdirSync, rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const usageDir = project.config.env.BHXH_IAM_USAGE_DIR;
  if (usageDir) {
    rmSync(usageDir, { recursive: true, force: true });
    mkdirSync(usageDir, { recursive: true });
  }
  const db = await startDynamoDbLocal();
  project.provide('dynamoEndpoint', db.endpoint);
  return () => db.stop();
}
