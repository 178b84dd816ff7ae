/** An error named as the AWS SDK would name it (ConflictException, TaskTimedOut…), so handlers branch on it as they do in AWS. */
export const namedError = (name: string, message = name) => Object.assign(new Error(message), { name });

/**
 * A parameter the API requires (the SDK types it `T | undefined`): missing, the
 * call is refused, as AWS refuses it (SQS says MissingParameter, the others ValidationException).
 */
export function required<T>(value: T | undefined, operation: string, parameter: string, errorName = 'ValidationException'): T {
  if (value === undefined) throw namedError(errorName, `${operation}: ${parameter} is required`);
  return value;
}
