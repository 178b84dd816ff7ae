/**
 * Secrets Manager: a secret's value, read once per container. The promise is
 * kept, so concurrent first uses share one GetSecretValue; a failed read is
 * forgotten, so the next invocation tries again instead of failing forever.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

// Created on first use and reused, like the clients of clients.ts; only the intake imports this module.
let client: SecretsManagerClient | undefined;
const secretsManager = () => (client ??= new SecretsManagerClient({}));

/** A reader of the secret's string value, to be created once per container (the value is cached in it). */
export function secretValueOnce(secretArn: string): () => Promise<string> {
  let value: Promise<string> | undefined;
  return () => {
    value ??= secretsManager()
      .send(new GetSecretValueCommand({ SecretId: secretArn }))
      .then((result) => {
        if (!result.SecretString) throw new Error(`secret ${secretArn} has no string value`);
        return result.SecretString;
      })
      .catch((error: unknown) => {
        value = undefined;
        throw error;
      });
    return value;
  };
}
