/**
 * Synthesizes the stack in-process. Kept apart from template.ts, which only
 * reads a template: loading aws-cdk-lib and synthesizing take about 3 s
 * (0.9 s import, 2.2 s first synth, measured here), which a caller that
 * already has the template (a test file given the run's one synthesis, an
 * `--assembly` run) does not pay.
 */
import { buildApp } from '../lib/app.ts';
import type { CfnTemplate } from './template.ts';

/** Bundling is skipped because the local run executes the TypeScript sources. */
export function synthesizeTemplate(context: Record<string, unknown> = {}): CfnTemplate {
  const { app, stack } = buildApp({ context: { 'aws:cdk:bundling-stacks': [], ...context }, nag: false });
  const assembly = app.synth();
  return assembly.getStackArtifact(stack.artifactId).template as CfnTemplate;
}
