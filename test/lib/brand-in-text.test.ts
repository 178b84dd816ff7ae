/**
 * bhxh:brandInText: the kinds whose SMS carries the brand. An unknown kind, or a kind that with the brand would go
 * over 3 parts at the schema maxima, fails the synth naming it; the list reaches every function that renders a
 * central kind's SMS (BRANDED_KINDS).
 */
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../lib/config.ts';
import { freshTemplate, ourFunctions } from '../support/template-variants.ts';
import { synthesizeTemplate } from '../../local/synth.ts';

const configWith = (brandInText: unknown) => readConfig(new App({ context: { 'bhxh:brandInText': brandInText } }).node);

describe('bhxh:brandInText', () => {
  it('is empty by default, so the seeds wording stays exact', () => {
    expect(readConfig(new App().node).brandedKinds).toEqual([]);
  });

  it('takes a list of kinds, as JSON or a comma list', () => {
    expect(configWith(['dossier-accepted', 'otp']).brandedKinds).toEqual(['dossier-accepted', 'otp']);
    expect(configWith('dossier-accepted, otp').brandedKinds).toEqual(['dossier-accepted', 'otp']);
    expect(configWith('["dossier-resolved"]').brandedKinds).toEqual(['dossier-resolved']);
  });

  it('refuses an unknown kind, naming it', () => {
    expect(() => configWith(['dossier-accepted', 'dossier-acepted'])).toThrow(/Context bhxh:brandInText names unknown message kind\(s\) "dossier-acepted"/);
  });

  it('refuses a kind that with the brand would be over 3 parts at the schema maxima, naming it', () => {
    expect(() => configWith(['dossier-accepted', 'contribution-stopped'])).toThrow(
      /Context bhxh:brandInText: contribution-stopped with the brand is 4 parts at the schema maxima \(at most 3; without the brand 3\)/,
    );
  });

  it('reaches the functions that render central kinds (intake, dossier step, campaign page) as BRANDED_KINDS', () => {
    const branded = synthesizeTemplate({ 'bhxh:brandInText': 'dossier-accepted,otp' });
    const variables = (id: string) => (branded.Resources[id]?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const rendering = ourFunctions(branded).filter((f) => f.variables.includes('BRANDED_KINDS'));

    // Every function composed with the messaging ports (a new one, such as a registration step, included).
    expect(rendering.map((f) => f.entry)).toEqual(
      expect.arrayContaining(['lambdas/functions/campaign-page/handler.ts', 'lambdas/functions/dossier-step/handler.ts', 'lambdas/functions/intake/handler.ts']),
    );
    for (const f of rendering) expect(variables(f.id).BRANDED_KINDS).toBe('["dossier-accepted","otp"]');
    expect(ourFunctions(freshTemplate()).filter((f) => f.variables.includes('BRANDED_KINDS'))).toHaveLength(rendering.length);
  });
});
