/** Reports (form 01-XN) as CSV objects in the reports bucket. */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { ReportStore } from '../flows/ports.ts';
import { s3 } from './clients.ts';

export class S3ReportStore implements ReportStore {
  constructor(private readonly bucket: string) {}

  async save(key: string, csv: string): Promise<{ bucket: string; key: string }> {
    await s3().send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: csv, ContentType: 'text/csv; charset=utf-8' }));
    return { bucket: this.bucket, key };
  }
}
