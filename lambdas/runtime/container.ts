/**
 * What a Lambda container keeps between invocations: the composed
 * dependencies, built on the first invocation (so a missing variable fails
 * that cold start with its name) and reused by every later one.
 */
export function perContainer<T>(compose: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= compose());
}
