/**
 * The contact projection on DynamoDB Local: an update replaces what the
 * upstream sends, except the e-mail address, which an update without one
 * leaves as it was and `email: null` removes (SPEC catalogue, ContactUpdated).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact } from '../../lambdas/domain/contacts.ts';
import { DynamoContactStore } from '../../lambdas/stores/contact-store.ts';
import { DynamoEmailSuppressions } from '../../lambdas/stores/email-suppressions.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { startLocalSystem } from '../support/local-system.ts';

let system: LocalSystem;
let store: DynamoContactStore;
beforeAll(async () => {
  system = await startLocalSystem({ recurringSchedules: false });
  store = new DynamoContactStore(system.db, system.tableName('Contacts'));
});
afterAll(async () => system?.stop());

const version = (asOf: string, fields: Partial<Contact>): Contact => ({ subject: 'person#0113096123', name: 'Hoài', phone: '+84912345678', asOf, eventId: asOf, ...fields });

describe('contact store', () => {
  it('keeps the e-mail address through an update that names none, and removes it on null', async () => {
    // Act + Assess
    await store.upsert(version('2026-01-01T00:00:00Z', { email: 'hoai@example.vn', gender: 'female' }));
    await store.upsert(version('2026-01-02T00:00:00Z', { phone: '+84912345679' }));
    expect(await store.get('person#0113096123')).toMatchObject({ email: 'hoai@example.vn', phone: '+84912345679' });
    // A field the upstream no longer sends is gone (the gender), as before e-mail existed.
    expect((await store.get('person#0113096123'))?.gender).toBeUndefined();

    await store.upsert(version('2026-01-03T00:00:00Z', { email: null }));
    expect((await store.get('person#0113096123'))?.email).toBeUndefined();
  });

  it('never lets an older update win', async () => {
    // Act
    const stored = await store.upsert(version('2025-12-31T00:00:00Z', { email: 'old@example.vn' }));

    // Assess
    expect(stored).toBe(false);
    expect((await store.get('person#0113096123'))?.email).toBeUndefined();
  });

  it('suppresses an address by its hash: the same address in any case is suppressed, and the address is not stored', async () => {
    // Prepare
    const suppressions = new DynamoEmailSuppressions(system.db, system.tableName('Contacts'));

    // Act
    await suppressions.suppress('Hoai@Example.vn', 'bounce Permanent/General (SES)', new Date('2026-01-04T00:00:00Z'));

    // Assess
    expect(await suppressions.isSuppressed('hoai@example.vn')).toBe(true);
    expect(await suppressions.isSuppressed('other@example.vn')).toBe(false);
    expect(JSON.stringify(await system.scan('Contacts'))).not.toMatch(/hoai@example/i);
  });
});
