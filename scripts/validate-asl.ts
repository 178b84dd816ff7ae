/**
 * `npm run validate-asl`: every Step Functions state machine of the stack,
 * validated with asl-validator (schema, transitions to missing states,
 * unreachable and duplicate states, paths, Resource ARNs) before anything is
 * deployed. One line per machine; exit 1 if any is invalid or none is found.
 *
 *   npm run validate-asl                         synthesize (bundling skipped) and validate
 *   npm run validate-asl -- --assembly cdk.out   validate the stack of an already synthesized cloud assembly
 *
 * A definition is a CloudFormation Fn::Join of text and tokens (function ARNs,
 * the partition); the tokens are replaced with placeholders of the deployed
 * shape (arn:aws:lambda:ap-southeast-1:111111111111:function:…) first.
 */
import { parseArgs } from 'node:util';
import { buildApp } from '../lib/app.ts';
import { loadAssemblyTemplate } from '../local/assembly.ts';
import { STACK_NAME } from '../local/placeholders.ts';
import { validateStateMachines } from '../local/state-machine-definitions.ts';
import type { CfnTemplate } from '../local/template.ts';

function synthesize(): CfnTemplate {
  const { app, stack } = buildApp({ context: { 'aws:cdk:bundling-stacks': [] }, nag: false });
  return app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
}

function main(): number {
  const { values } = parseArgs({ options: { assembly: { type: 'string' } } });
  const template = values.assembly === undefined ? synthesize() : loadAssemblyTemplate(values.assembly, { check: false });
  const source = values.assembly === undefined ? `${STACK_NAME} (synthesized)` : `${STACK_NAME} in ${values.assembly}`;
  const reports = validateStateMachines(template);
  if (reports.length === 0) {
    process.stderr.write(`✗ ${source}: no AWS::StepFunctions::StateMachine found\n`);
    return 1;
  }
  for (const report of reports) {
    if (report.problems.length === 0) {
      process.stdout.write(`✓ ${report.logicalId}: valid (${report.states} states)\n`);
    } else {
      process.stdout.write(`✗ ${report.logicalId}: ${report.problems.join('; ')}\n`);
    }
  }
  const invalid = reports.filter((r) => r.problems.length > 0).length;
  process.stdout.write(`${source}: ${reports.length} state machine(s), ${invalid} invalid\n`);
  return invalid === 0 ? 0 : 1;
}

process.exitCode = main();
