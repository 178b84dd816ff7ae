/** The Vietnam-only slice of libphonenumber-js's mobile metadata (build time and tests only, never bundled). */
import { createRequire } from 'node:module';

export function vietnamMetadata(): Record<string, unknown> {
  const full = createRequire(import.meta.url)('libphonenumber-js/metadata.mobile.json') as {
    version: number;
    country_calling_codes: Record<string, string[]>;
    countries: Record<string, unknown>;
  };
  return { version: full.version, country_calling_codes: { '84': full.country_calling_codes['84'] }, countries: { VN: full.countries.VN }, nonGeographic: {} };
}
