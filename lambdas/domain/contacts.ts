/**
 * The contact projection: who to text about a person, unit, facility or
 * collector, fed by `ContactUpdated`. The phone is stored normalised (E.164)
 * or, when the upstream number is unusable, as the rejection reason, so a
 * message to that subject is recorded as skipped `invalid-phone`, not lost.
 */
import type { PhoneRejection } from './phone.ts';

export type SubjectType = 'person' | 'unit' | 'facility' | 'collector';

export const subjectKey = (type: SubjectType, id: string): string => `${type}#${id}`;

export interface Contact {
  subject: string;
  name: string;
  phone: string | null;
  phoneRejected?: PhoneRejection;
  /** Where e-mail goes (SPEC rule 12), lower-cased; absent when the upstream gave none. */
  email?: string | null;
  gender?: 'male' | 'female' | null;
  agency?: string | null;
  /** Time of the upstream event this version comes from; older events never overwrite newer ones. */
  asOf: string;
  eventId: string;
}
