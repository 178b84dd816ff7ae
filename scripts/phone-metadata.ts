/**
 * `npm run phone-metadata`: writes lambdas/domain/phone-metadata.vn.json,
 * the Vietnam-only slice of libphonenumber-js's mobile metadata. The full
 * metadata (every country) is 130 KB of every function's bundle and about
 * 12 ms of its cold start; only +84 numbers are ever valid here. A test fails
 * when an upgrade of libphonenumber-js changes the slice: run this again.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { vietnamMetadata } from './phone-metadata-source.ts';

const out = path.join(import.meta.dirname, '..', 'lambdas', 'domain', 'phone-metadata.vn.json');
writeFileSync(out, `${JSON.stringify(vietnamMetadata())}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
