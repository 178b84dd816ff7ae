/**
 * Lambda's quota on a function's environment, as a pure function like the rest
 * of local/quotas.ts. Separate because it is a deploy-time quota: the template
 * checks (checkTemplate, local/assembly.ts) enforce it, not an emulator.
 */
import { QuotaError, utf8Bytes } from './quotas.ts';

export const LAMBDA_QUOTAS = {
  /**
   * "Function environment variables: 4 KB, for all environment variables
   * associated with the function, in aggregate"
   * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, "Lambda quotas"). A hard quota.
   */
  maxEnvironmentBytes: 4_096,
} as const;

/**
 * The environment's size as Lambda measures it: Lambda's error quotes the
 * "String measured", the variables as compact JSON (`{"KEY":"value",…}`), so
 * names, values, quotes, colons, commas and braces all count, in UTF-8 bytes.
 * (LocalStack measures the same string.) This is a few bytes more per variable
 * than names plus values alone, so it errs on the side AWS errs on.
 */
export function functionEnvironmentSize(variables: Record<string, string>): number {
  return utf8Bytes(JSON.stringify(variables));
}

/**
 * A function's environment within 4 KB; otherwise the deploy fails with
 * `InvalidParameterValueException`, "Lambda was unable to configure your
 * environment variables because the environment variables you have provided
 * exceeded the 4KB limit. String measured: …" (Lambda's message at
 * CreateFunction/UpdateFunctionConfiguration, and so at CloudFormation deploy).
 * Returns the size in bytes.
 */
export function checkFunctionEnvironment(variables: Record<string, string>): number {
  const size = functionEnvironmentSize(variables);
  if (size > LAMBDA_QUOTAS.maxEnvironmentBytes) {
    throw new QuotaError(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(variables)}`,
      LAMBDA_QUOTAS.maxEnvironmentBytes,
      size,
    );
  }
  return size;
}
