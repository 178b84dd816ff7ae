/**
 * E-registrations on DynamoDB: status, deadline, the address of the citizen
 * and the waiting execution's task token. The review and the token meet only
 * in conditional writes (recordReview returns the item as it was, its token
 * included; storeTaskToken refuses once the review is recorded): whichever
 * lands first, the other sees it, so a review either answers the stored token
 * or is found by the next wait or step.
 * Every write moves the item's expiry (TTL `expiresAt`) to
 * REGISTRATION_RETENTION_DAYS after it.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AWAITING_REVIEW, REGISTRATION_RETENTION_DAYS, STEP_FROM, type RegistrationItem, type RegistrationStatus } from '../domain/registrations.ts';
import type { RegistrationStore } from '../flows/ports.ts';
import { applied, ifApplied, type Db } from './dynamo.ts';

/** `#status IN (:s0, :s1…)` and its values. */
function statusIn(statuses: readonly RegistrationStatus[]): { condition: string; values: Record<string, string> } {
  return {
    condition: `#status IN (${statuses.map((_, i) => `:s${i}`).join(', ')})`,
    values: Object.fromEntries(statuses.map((status, i) => [`:s${i}`, status])),
  };
}

export class DynamoRegistrationStore implements RegistrationStore {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
  ) {}

  async get(registrationId: string): Promise<RegistrationItem | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { registrationId }, ConsistentRead: true }));
    return result.Item as RegistrationItem | undefined;
  }

  claimForLifecycle(r: Omit<RegistrationItem, 'status' | 'updatedAt' | 'expiresAt'>, at: Date): Promise<boolean> {
    return applied(
      this.update(
        r.registrationId,
        'SET #status = :starting, personId = :person, phone = :phone, email = :email, submittedAt = :submitted, deadline = :deadline, executionName = :name, submittedEventId = :eid, updatedAt = :now',
        'attribute_not_exists(registrationId)',
        {
          ':starting': 'starting',
          ':person': r.personId,
          ':phone': r.phone ?? null,
          ':email': r.email ?? null,
          ':submitted': r.submittedAt,
          ':deadline': r.deadline,
          ':name': r.executionName,
          ':eid': r.submittedEventId,
          ':now': at.toISOString(),
        },
      ),
    );
  }

  async recordReview(registrationId: string, review: { reviewedAt: string; eventId: string }, at: Date): Promise<{ previous?: RegistrationItem } | false> {
    const waiting = statusIn(AWAITING_REVIEW);
    // The phone number and address go with the review: nothing more is sent from this item.
    const result = await ifApplied(
      this.update(
        registrationId,
        'SET #status = :reviewed, reviewedAt = :at, reviewEventId = :eid, updatedAt = :now REMOVE phone, email',
        `attribute_not_exists(registrationId) OR ${waiting.condition}`,
        { ':reviewed': 'reviewed', ':at': review.reviewedAt, ':eid': review.eventId, ':now': at.toISOString(), ...waiting.values },
        'ALL_OLD',
      ),
    );
    if (!result) return false;
    return result.Attributes ? { previous: result.Attributes as RegistrationItem } : {};
  }

  storeTaskToken(registrationId: string, taskToken: string, at: Date): Promise<boolean> {
    const waiting = statusIn(AWAITING_REVIEW);
    return applied(
      this.update(registrationId, 'SET taskToken = :token, updatedAt = :now', waiting.condition, { ':token': taskToken, ':now': at.toISOString(), ...waiting.values }),
    );
  }

  advance(registrationId: string, to: 'waiting' | 'reminded' | 'deleted', at: Date): Promise<boolean> {
    const from = statusIn(STEP_FROM[to]);
    // The first step records when it ran: the reminder step reads it (reminderSkip). A retried first step moves it, harmlessly.
    const set = to === 'waiting' ? 'SET #status = :to, updatedAt = :now, toldAt = :now' : 'SET #status = :to, updatedAt = :now';
    return applied(this.update(registrationId, set, from.condition, { ':to': to, ':now': at.toISOString(), ...from.values }));
  }

  /** `expression` starts with its SET clause (values `:now`…); the expiry is added to it, from `:now`. */
  private update(registrationId: string, expression: string, condition: string, values: Record<string, unknown>, returnValues?: 'ALL_OLD') {
    const expiresAt = Math.floor(Date.parse(values[':now'] as string) / 1000) + REGISTRATION_RETENTION_DAYS * 86_400;
    return this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { registrationId },
        UpdateExpression: `SET expiresAt = :expiresAt, ${expression.slice('SET '.length)}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...values, ':expiresAt': expiresAt },
        ...(returnValues ? { ReturnValues: returnValues } : {}),
      }),
    );
  }
}
