/** The campaign files bucket: the agencies' recipients CSV files, and the reports written next to them. */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { CampaignFiles } from '../flows/province-campaigns/ports.ts';
import { s3 } from './clients.ts';

export class S3CampaignFiles implements CampaignFiles {
  constructor(readonly bucket: string) {}

  async read(bucket: string, key: string): Promise<string> {
    const result = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!result.Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return result.Body.transformToString('utf-8');
  }

  async write(bucket: string, key: string, csv: string): Promise<void> {
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: csv, ContentType: 'text/csv; charset=utf-8' }));
  }
}
