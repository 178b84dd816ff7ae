/** An error named as the AWS SDK would name it (ConflictException, TaskTimedOut…), so handlers branch on it as they do in AWS. */
export const namedError = (name: string, message = name) => Object.assign(new Error(message), { name });
