/**
 * Dossiers on DynamoDB: status, due date, the waiting execution's task token, parked resolutions.
 * The token and a parked resolution meet only in conditional writes (parkResolution, storeTaskToken): whichever
 * lands first, the other sees it, so a resolution is either answered through the new token or picked up by the wait.
 * Every write moves the item's expiry (TTL `expiresAt`, epoch seconds) to `retentionDays` after it, so a
 * dossier that still changes stays, and one left alone disappears with its applicant and phone number.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { WAITING_STATUSES, type DossierItem, type Resolution } from '../domain/dossiers.ts';
import type { DossierStore } from '../flows/ports.ts';
import { applied, type Db } from './dynamo.ts';

export class DynamoDossierStore implements DossierStore {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
    /** bhxh:dossierRetentionDays (DOSSIER_RETENTION_DAYS). */
    private readonly retentionDays: number,
  ) {}

  async get(dossierNo: string): Promise<DossierItem | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { dossierNo }, ConsistentRead: true }));
    return result.Item as DossierItem | undefined;
  }

  /** Claims the dossier for a new lifecycle. False if it was received before (a duplicate DossierReceived). */
  async claimForLifecycle(d: Omit<DossierItem, 'status' | 'updatedAt'>, at: Date): Promise<boolean> {
    return this.update(
      d.dossierNo,
      'SET #status = :starting, subjectType = :st, subjectId = :sid, phone = :phone, expectedResultDate = :due, rejectReason = :reason, executionName = :name, receivedEventId = :eid, updatedAt = :now',
      'attribute_not_exists(dossierNo) OR #status = :awaiting',
      {
        ':starting': 'starting',
        ':awaiting': 'awaiting-receipt',
        ':st': d.subjectType,
        ':sid': d.subjectId,
        ':phone': d.phone ?? null,
        ':due': d.expectedResultDate ?? null,
        ':reason': d.rejectReason ?? null,
        ':name': d.executionName,
        ':eid': d.receivedEventId,
        ':now': at.toISOString(),
      },
    );
  }

  /** Keeps a resolution for a dossier that has not been received. False if the dossier exists meanwhile. */
  async keepOrphanResolution(dossierNo: string, resolution: Resolution, at: Date): Promise<boolean> {
    return this.update(dossierNo, 'SET #status = :awaiting, pendingResolution = :res, orphanSince = :now, updatedAt = :now', 'attribute_not_exists(dossierNo)', {
      ':awaiting': 'awaiting-receipt',
      ':res': resolution,
      ':now': at.toISOString(),
    });
  }

  /**
   * Parks a resolution for the execution's next wait, if the dossier still holds `seenToken` (none, or one that
   * can no longer be answered) and is still waiting. False if the execution stored a new token meanwhile, another
   * resolution was parked first, or the dossier was resolved.
   */
  async parkResolution(dossierNo: string, resolution: Resolution, at: Date, seenToken?: string): Promise<boolean> {
    const token = seenToken === undefined ? 'attribute_not_exists(taskToken)' : 'taskToken = :seen';
    return this.update(
      dossierNo,
      'SET pendingResolution = :res, updatedAt = :now',
      `#status IN (${WAITING_STATUSES.map((_, i) => `:waiting${i}`).join(', ')}) AND attribute_not_exists(pendingResolution) AND ${token}`,
      {
        ':res': resolution,
        ':now': at.toISOString(),
        ...Object.fromEntries(WAITING_STATUSES.map((status, i) => [`:waiting${i}`, status])),
        ...(seenToken === undefined ? {} : { ':seen': seenToken }),
      },
    );
  }

  /** Stores the waiting execution's token. False if a resolution was parked meanwhile (the caller answers it at once). */
  async storeTaskToken(dossierNo: string, taskToken: string, at: Date): Promise<boolean> {
    return this.update(dossierNo, 'SET taskToken = :token, updatedAt = :now', 'attribute_exists(dossierNo) AND attribute_not_exists(pendingResolution)', {
      ':token': taskToken,
      ':now': at.toISOString(),
    });
  }

  async setReceived(dossierNo: string, valid: boolean, at: Date): Promise<void> {
    await this.update(dossierNo, 'SET #status = :status, updatedAt = :now', 'attribute_exists(dossierNo)', {
      ':status': valid ? 'received' : 'rejected',
      ':now': at.toISOString(),
    });
  }

  /** Marks the dossier overdue, once. True the first time. */
  async markOverdue(dossierNo: string, at: Date): Promise<boolean> {
    return this.update(dossierNo, 'SET #status = :overdue, overdueSince = :now, updatedAt = :now', '#status = :received', {
      ':overdue': 'overdue',
      ':received': 'received',
      ':now': at.toISOString(),
    });
  }

  async setResolved(dossierNo: string, resolution: Resolution, at: Date): Promise<void> {
    await this.update(dossierNo, 'SET #status = :resolved, resolvedAt = :at, updatedAt = :now REMOVE taskToken, pendingResolution, orphanSince', 'attribute_exists(dossierNo)', {
      ':resolved': 'resolved',
      ':at': resolution.resolvedAt,
      ':now': at.toISOString(),
    });
  }

  async countIgnoredResolution(dossierNo: string, at: Date): Promise<void> {
    await this.update(dossierNo, 'SET updatedAt = :now ADD ignoredResolutions :one', 'attribute_exists(dossierNo)', { ':one': 1, ':now': at.toISOString() });
  }

  /** `expression` starts with its SET clause (values `:now`…); the expiry is added to it, from `:now`. */
  private update(dossierNo: string, expression: string, condition: string, values: Record<string, unknown>): Promise<boolean> {
    if (!expression.startsWith('SET ') || typeof values[':now'] !== 'string') throw new Error('a dossier update sets updatedAt = :now');
    const expiresAt = Math.floor(Date.parse(values[':now'] as string) / 1000) + this.retentionDays * 86_400;
    const names = expression.includes('#status') || condition.includes('#status') ? { ExpressionAttributeNames: { '#status': 'status' } } : {};
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { dossierNo },
          UpdateExpression: `SET expiresAt = :expiresAt, ${expression.slice('SET '.length)}`,
          ConditionExpression: condition,
          ExpressionAttributeValues: { ...values, ':expiresAt': expiresAt },
          ...names,
        }),
      ),
    );
  }
}
