/** The files e-mails carry (form 01-XN's CSV), read from the reports bucket when the e-mail leaves. */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { AttachmentStore } from '../flows/ports.ts';
import { s3 } from './clients.ts';

export class S3AttachmentStore implements AttachmentStore {
  constructor(private readonly bucket: string) {}

  async read(key: string): Promise<Uint8Array> {
    const result = await s3().send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!result.Body) throw new Error(`attachment ${key}: the object has no body`);
    return result.Body.transformToByteArray();
  }
}
