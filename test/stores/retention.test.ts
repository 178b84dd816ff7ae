/**
 * The stores that hold personal data write an expiry (TTL `expiresAt`, epoch
 * seconds) on every item, and the look-up counters name numbers by an HMAC
 * under a secret key, not by a plain hash.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../lambdas/stores/dynamo.ts';
import { DynamoCollectionStore } from '../../lambdas/stores/collection-store.ts';
import { DynamoDossierStore } from '../../lambdas/stores/dossier-store.ts';
import { counterName, DynamoLookupCounter } from '../../lambdas/stores/lookup-counter-store.ts';

/** A Db that records each command's input and answers as an applied write would. */
function recordingDb(): { db: Db; inputs: Array<Record<string, any>> } {
  const inputs: Array<Record<string, any>> = [];
  const send = async (command: { input: Record<string, any> }) => {
    inputs.push(command.input);
    return { Attributes: { count: 1 } };
  };
  const db = { send } as unknown as Db;
  return { db, inputs };
}

const AT = new Date('2018-12-03T02:00:00Z');
const epoch = (d: Date) => d.getTime() / 1000;
const DAY = 86_400;

describe('DynamoDossierStore', () => {
  it('sets expiresAt to the retention after each write, whatever the write', async () => {
    const { db, inputs } = recordingDb();
    const store = new DynamoDossierStore(db, 'dossiers', 400);
    const resolution = { resolvedAt: '2018-12-05T15:00:00+07:00', eventId: 'e2' };
    await store.claimForLifecycle({ dossierNo: 'HS-1', subjectType: 'person', subjectId: '0113096123', phone: '0912345678', executionName: 'HS_-1', receivedEventId: 'e1' }, AT);
    await store.keepOrphanResolution('HS-2', resolution, AT);
    await store.parkResolution('HS-1', resolution, AT);
    await store.storeTaskToken('HS-1', 'token', AT);
    await store.setReceived('HS-1', true, AT);
    await store.markOverdue('HS-1', AT);
    await store.setResolved('HS-1', resolution, AT);
    await store.countIgnoredResolution('HS-1', AT);

    expect(inputs).toHaveLength(8);
    for (const input of inputs) {
      expect(input.UpdateExpression).toMatch(/^SET expiresAt = :expiresAt, /);
      expect(input.ExpressionAttributeValues[':expiresAt']).toBe(epoch(AT) + 400 * DAY);
    }
  });
});

describe('DynamoCollectionStore', () => {
  it('puts each confirmation with expiresAt the retention after its payment', async () => {
    const { db, inputs } = recordingDb();
    const confirmation = {
      collectorDay: 'TC001#2023-08-07',
      confirmationCode: 'XN-1',
      personId: '0113096123',
      fullName: 'Dang Thi Thu Hoai',
      paidAt: '2023-08-07T10:00:00+07:00',
      amount: 1_650_000,
      scheme: 'voluntary-social' as const,
      months: 3,
    };
    await new DynamoCollectionStore(db, 'collections', 90).put(confirmation);

    expect(inputs[0]!.Item).toEqual({ ...confirmation, expiresAt: epoch(new Date('2023-08-07T03:00:00Z')) + 90 * DAY });
  });

  it('built without a retention (a reader), refuses to write an item that would never expire', async () => {
    const { db } = recordingDb();
    await expect(new DynamoCollectionStore(db, 'collections').put({} as never)).rejects.toThrow(/without a retention/);
  });
});

describe('DynamoLookupCounter', () => {
  const PHONE = '+84912345678';

  it('names the counter by an HMAC of the number under the key: not its SHA-256, and another key gives another name', async () => {
    const { db, inputs } = recordingDb();
    await new DynamoLookupCounter(db, 'control', async () => 'key-one').count(PHONE, AT);
    await new DynamoLookupCounter(db, 'control', async () => 'key-two').count(PHONE, AT);

    const [one, two] = inputs.map((i) => String(i.Key.pk));
    const sha256 = createHash('sha256').update(PHONE).digest('hex');
    expect(one).toBe(`lookup-rate#${counterName('key-one', PHONE)}#${Math.floor(AT.getTime() / 3_600_000)}`);
    expect(one).not.toContain(sha256.slice(0, 16));
    expect(one).not.toContain(PHONE.slice(1));
    expect(two).not.toBe(one);
  });

  it('counts one number under one name within an hour', () => {
    expect(counterName('k', PHONE)).toBe(counterName('k', PHONE));
    expect(counterName('k', PHONE)).not.toBe(counterName('k', '+84912345679'));
  });
});
