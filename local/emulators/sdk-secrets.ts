/**
 * Secrets Manager and KMS, answered locally (through aws-sdk-client-mock, as
 * sdk-interception.ts answers the other services): the stack's secrets and
 * keys get values of this system's own, and every call is authorized first by
 * the `asCaller` that sdk-interception.ts gives.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { GetSecretValueCommand, type GetSecretValueCommandInput, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DecryptCommand,
  type DecryptCommandInput,
  EncryptCommand,
  type EncryptCommandInput,
  GenerateDataKeyCommand,
  type GenerateDataKeyCommandInput,
  KMSClient,
} from '@aws-sdk/client-kms';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import type { Authorizer, IamRequest } from '../iam/authorizer.ts';
import { kmsRequests, secretRequests } from '../iam/requests.ts';
import { namedError, required } from './errors.ts';

/** Authorizes the calling function's requests (calls outside any invocation, the operator's, pass). */
export type AsCaller = (requests: () => IamRequest[]) => Promise<void>;

/** Secrets Manager: each secret's value is generated on its first read, random, and this system's own. */
export function secretsManagerStub(asCaller: AsCaller): AwsClientStub<SecretsManagerClient> {
  const secretValues = new Map<string, string>();
  const stub = mockClient(SecretsManagerClient);
  stub.on(GetSecretValueCommand).callsFake(async (input: GetSecretValueCommandInput) => {
    const secretId = required(input.SecretId, 'GetSecretValue', 'SecretId', 'InvalidParameterException');
    await asCaller(() => secretRequests('GetSecretValueCommand', { ...input }));
    if (!/^arn:aws:secretsmanager:[^:]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/.test(secretId)) {
      throw namedError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    let value = secretValues.get(secretId);
    if (value === undefined) {
      value = randomBytes(32).toString('hex');
      secretValues.set(secretId, value);
    }
    return {
      ARN: secretId,
      Name: secretId
        .split(':')
        .pop()
        ?.replace(/-[A-Za-z0-9]{6}$/, ''),
      SecretString: value,
      VersionId: 'local',
    };
  });
  return stub;
}

/**
 * KMS, answered locally: each key of the template gets a random 256-bit secret of this system's own, and
 * Encrypt is AES-256-GCM under it with the encryption context as additional data. The ciphertext names its key,
 * as KMS's does, so Decrypt finds it, and refuses another key or another context. Each call is authorized on
 * the key's ARN against the caller's role and the key policy (model.ts), which must allow it as KMS requires.
 */
export function kmsStub(asCaller: AsCaller, authorizer: Authorizer): AwsClientStub<KMSClient> {
  /** Each key's local secret (AES-256): random, made on first use, never leaves this system. */
  const kmsKeys = new Map<string, Buffer>();
  const keySecret = (keyArn: string): Buffer => {
    let secret = kmsKeys.get(keyArn);
    if (!secret) {
      secret = randomBytes(32);
      kmsKeys.set(keyArn, secret);
    }
    return secret;
  };
  const stub = mockClient(KMSClient);
  const keyArnOf = (keyId: string | undefined, operation: string): string => {
    const arn = required(keyId, operation, 'KeyId');
    if (!arn.startsWith('arn:aws:kms:')) throw namedError('NotFoundException', `${operation}: the local run expects a key ARN, got ${JSON.stringify(arn)}`);
    if (!authorizer.resourcePolicy(arn)) throw namedError('NotFoundException', `Key '${arn}' does not exist`);
    return arn;
  };
  const aad = (context: Record<string, string> | undefined) => Buffer.from(JSON.stringify(Object.entries(context ?? {}).sort(([a], [b]) => a.localeCompare(b))));
  const seal = (keyArn: string, plaintext: Uint8Array, context: Record<string, string> | undefined): Uint8Array => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keySecret(keyArn), iv).setAAD(aad(context));
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const arn = Buffer.from(keyArn, 'utf8');
    const length = Buffer.alloc(2);
    length.writeUInt16BE(arn.length);
    return Buffer.concat([Buffer.from('LKMS'), length, arn, iv, cipher.getAuthTag(), sealed]);
  };
  stub.on(EncryptCommand).callsFake(async (input: EncryptCommandInput) => {
    const keyArn = keyArnOf(input.KeyId, 'Encrypt');
    await asCaller(() => kmsRequests('EncryptCommand', keyArn, input.EncryptionContext));
    return { KeyId: keyArn, CiphertextBlob: seal(keyArn, required(input.Plaintext, 'Encrypt', 'Plaintext'), input.EncryptionContext), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  });
  stub.on(GenerateDataKeyCommand).callsFake(async (input: GenerateDataKeyCommandInput) => {
    const keyArn = keyArnOf(input.KeyId, 'GenerateDataKey');
    await asCaller(() => kmsRequests('GenerateDataKeyCommand', keyArn, input.EncryptionContext));
    const plaintext = randomBytes(input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32));
    return { KeyId: keyArn, Plaintext: plaintext, CiphertextBlob: seal(keyArn, plaintext, input.EncryptionContext) };
  });
  stub.on(DecryptCommand).callsFake(async (input: DecryptCommandInput) => {
    const blob = Buffer.from(required(input.CiphertextBlob, 'Decrypt', 'CiphertextBlob'));
    const invalid = () => namedError('InvalidCiphertextException', 'The ciphertext is invalid, or was encrypted with another encryption context');
    if (blob.length < 6 || blob.subarray(0, 4).toString() !== 'LKMS') throw invalid();
    const arnLength = blob.readUInt16BE(4);
    const keyArn = keyArnOf(blob.subarray(6, 6 + arnLength).toString('utf8'), 'Decrypt');
    if (input.KeyId !== undefined && input.KeyId !== keyArn)
      throw namedError('IncorrectKeyException', 'The key ID in the request does not identify the key that encrypted the ciphertext');
    await asCaller(() => kmsRequests('DecryptCommand', keyArn, input.EncryptionContext));
    const rest = blob.subarray(6 + arnLength);
    try {
      const decipher = createDecipheriv('aes-256-gcm', keySecret(keyArn), rest.subarray(0, 12)).setAAD(aad(input.EncryptionContext)).setAuthTag(rest.subarray(12, 28));
      return { KeyId: keyArn, Plaintext: Buffer.concat([decipher.update(rest.subarray(28)), decipher.final()]), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    } catch {
      throw invalid();
    }
  });
  return stub;
}
