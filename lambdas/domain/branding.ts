/**
 * bhxh:brandInText: which kinds carry the brand in their text (BRAND_PREFIX). Carriers ask, since August 2024, that a
 * brand-name SMS name its brand; the seeds' wording has none, so the list is empty unless a deployment names kinds.
 * Read from CDK context (a JSON list or a comma list) and from the functions' BRANDED_KINDS (a JSON list).
 */
import { TEMPLATE_IDS, type TemplateId } from './templates.ts';

/** The kinds named by `raw` (a list, a JSON list or a comma list), each known; throws naming an unknown one. */
export function parseBrandedKinds(raw: unknown): TemplateId[] {
  if (raw === undefined || raw === null || raw === '') return [];
  let list: unknown = raw;
  if (typeof raw === 'string') {
    const trimmed = raw.trim();
    if (trimmed.startsWith('[')) {
      try {
        list = JSON.parse(trimmed);
      } catch {
        throw new Error(`must be a list of message kinds (JSON or comma-separated), got ${JSON.stringify(raw)}`);
      }
    } else {
      list = trimmed.split(',').map((k) => k.trim());
    }
  }
  if (!Array.isArray(list) || list.some((k) => typeof k !== 'string')) throw new Error(`must be a list of message kinds, got ${JSON.stringify(raw)}`);
  const unknown = (list as string[]).filter((k) => !(TEMPLATE_IDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new Error(`names unknown message kind(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}; the kinds are ${TEMPLATE_IDS.join(', ')}`);
  return [...new Set(list as TemplateId[])];
}
