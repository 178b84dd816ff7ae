/**
 * fast-check with every property run FUZZ_FACTOR times longer (default 100), for `npm run fuzz`
 * (vitest.fuzz.config.ts aliases 'fast-check' to this module). The suite's own run counts keep
 * `npm test` fast; a rare counterexample (a few in a million runs, such as a field of spaces only)
 * then shows up in CI at random. Run this before a release to find them first.
 */
// The alias maps the bare name 'fast-check' here; the package's file is imported by path so it is not aliased again.
import real from '../../node_modules/fast-check/lib/fast-check.js';

const factor = Number(process.env.FUZZ_FACTOR ?? '100');
if (!Number.isInteger(factor) || factor < 1) throw new Error(`FUZZ_FACTOR must be a whole number of at least 1, not ${process.env.FUZZ_FACTOR}`);

const longer: typeof real = {
  ...real,
  assert: ((property: Parameters<typeof real.assert>[0], params?: Parameters<typeof real.assert>[1]) =>
    real.assert(property, { ...params, numRuns: (params?.numRuns ?? 100) * factor })) as typeof real.assert,
};
export default longer;
