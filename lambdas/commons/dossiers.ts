/**
 * Dossiers: the status of each dossier (received with its due date,
 * rejected, resolved, overdue) and the task token of the execution waiting
 * for its resolution. A resolution that arrives before its dossier is kept
 * here too (status `awaiting-receipt`) and applied when the dossier appears.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type DossierStatus = 'awaiting-receipt' | 'starting' | 'received' | 'rejected' | 'overdue' | 'resolved';

export interface Resolution {
  resolvedAt: string;
  eventId: string;
}

export interface DossierItem {
  dossierNo: string;
  status: DossierStatus;
  subjectType?: string;
  subjectId?: string;
  phone?: string | null;
  expectedResultDate?: string;
  rejectReason?: string;
  executionName?: string;
  receivedEventId?: string;
  taskToken?: string;
  pendingResolution?: Resolution;
  /** When a resolution arrived for a dossier not (yet) received: operators are told after a while. */
  orphanSince?: string;
  resolvedAt?: string;
  overdueSince?: string;
  ignoredResolutions?: number;
  updatedAt: string;
}

/**
 * Step Functions execution names allow letters, digits, `-`, `_` and `.`, but
 * not `/`. Dossier numbers (`03085_G/2018/00604`) become readable, unique and
 * reversible names: `/` → `-`, and `_` or `-` in the number are escaped with `_`.
 */
export function executionNameOf(dossierNo: string): string {
  return dossierNo.replace(/[_\-/]/g, (c) => (c === '/' ? '-' : `_${c}`));
}

export function dossierNoOf(executionName: string): string {
  return executionName.replace(/_([_-])|-/g, (match, escaped: string | undefined) => escaped ?? '/');
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException;
}

export class Dossiers {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
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

  /** Parks a resolution for an execution that has not stored its token yet. False if the token is there by now. */
  async parkResolution(dossierNo: string, resolution: Resolution, at: Date): Promise<boolean> {
    return this.update(dossierNo, 'SET pendingResolution = :res, updatedAt = :now', 'attribute_exists(dossierNo) AND attribute_not_exists(taskToken)', {
      ':res': resolution,
      ':now': at.toISOString(),
    });
  }

  /** Stores the waiting execution's token. False if a resolution was parked meanwhile (the caller answers it at once). */
  async storeTaskToken(dossierNo: string, taskToken: string, at: Date): Promise<boolean> {
    return this.update(dossierNo, 'SET taskToken = :token, updatedAt = :now', 'attribute_exists(dossierNo) AND attribute_not_exists(pendingResolution)', {
      ':token': taskToken,
      ':now': at.toISOString(),
    });
  }

  async setReceived(dossierNo: string, valid: boolean, at: Date): Promise<void> {
    await this.update(dossierNo, 'SET #status = :status, updatedAt = :now', 'attribute_exists(dossierNo)', { ':status': valid ? 'received' : 'rejected', ':now': at.toISOString() });
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

  private async update(dossierNo: string, expression: string, condition: string, values: Record<string, unknown>): Promise<boolean> {
    const names = expression.includes('#status') || condition.includes('#status') ? { ExpressionAttributeNames: { '#status': 'status' } } : {};
    try {
      await this.db.send(
        new UpdateCommand({ TableName: this.tableName, Key: { dossierNo }, UpdateExpression: expression, ConditionExpression: condition, ExpressionAttributeValues: values, ...names }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
