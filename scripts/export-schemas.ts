/**
 * `npm run schemas`: writes one JSON Schema per detail-type to schemas/, for
 * the upstream teams that publish to the bus. The zod schemas stay the source
 * of truth; a test fails when the committed files drift from them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jsonSchemas } from '../lambdas/domain/json-schemas.ts';

const outDir = path.resolve(import.meta.dirname, '..', 'schemas');
mkdirSync(outDir, { recursive: true });
for (const [detailType, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(path.join(outDir, `${detailType}.json`), `${JSON.stringify(schema, null, 2)}\n`);
}
process.stdout.write(`Wrote ${Object.keys(jsonSchemas()).length} JSON Schemas to ${path.relative(process.cwd(), outDir)}/\n`);
