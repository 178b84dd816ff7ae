/**
 * Step Functions state machine definitions as deployed, read from a template
 * (tokens replaced with placeholders, DefinitionSubstitutions applied) and
 * validated with asl-validator. Apart from local/assembly.ts because
 * `npm run validate-asl` and tests use it on a synthesized template as well as
 * an assembly's; checkTemplate runs it as one of its checks.
 */
import { createRequire } from 'node:module';
import { type PlaceholderOptions, Placeholders } from './placeholders.ts';
import type { CfnTemplate } from './template.ts';

interface AslValidationError {
  'Error code': string;
  Message: string;
}
type AslValidator = (definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }) => { isValid: boolean; errors: AslValidationError[] };
// asl-validator is CommonJS without type declarations: loaded with require and typed here.
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

export interface StateMachineReport {
  logicalId: string;
  /** Number of top-level states, when the definition could be read. */
  states?: number;
  /** What is wrong: asl-validator's findings (`CODE: message`), or why the definition could not be read. Empty when valid. */
  problems: string[];
}

/**
 * Validates one definition (the parsed ASL) with asl-validator: JSON schema,
 * transitions to missing states, unreachable states, duplicate names, paths,
 * Resource ARNs. Returns its findings as `CODE: message`, none when valid.
 */
export function validateDefinition(definition: unknown): string[] {
  // asl-validator writes QueryLanguage into the states it checks: give it a copy.
  const { isValid, errors } = aslValidator(structuredClone(definition));
  return isValid ? [] : errors.map((e) => `${e['Error code']}: ${e.Message}`);
}

/** The state machine's definition as deployed: DefinitionString or Definition with placeholders for its tokens and DefinitionSubstitutions applied. */
export function stateMachineDefinition(template: CfnTemplate, logicalId: string, options: PlaceholderOptions = {}): unknown {
  const properties = template.Resources[logicalId]?.Properties ?? {};
  if (properties.DefinitionS3Location !== undefined) throw new Error('its definition is in S3 (DefinitionS3Location), which neither this check nor the local run reads');
  const placeholders = new Placeholders(template, options);
  const substitutions = (placeholders.resolve(properties.DefinitionSubstitutions ?? {}) ?? {}) as Record<string, unknown>;
  const substitute = (text: string) => text.replace(/\$\{([^}]+)\}/g, (whole, key: string) => (key in substitutions ? String(substitutions[key]) : whole));
  if (properties.DefinitionString !== undefined) return JSON.parse(substitute(String(placeholders.resolve(properties.DefinitionString))));
  if (properties.Definition !== undefined) return JSON.parse(substitute(JSON.stringify(placeholders.resolve(properties.Definition))));
  throw new Error('it has no DefinitionString or Definition');
}

/** Every AWS::StepFunctions::StateMachine of the template, validated. */
export function validateStateMachines(template: CfnTemplate, options: PlaceholderOptions = {}): StateMachineReport[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')
    .map(([logicalId]) => {
      try {
        const definition = stateMachineDefinition(template, logicalId, options) as { States?: Record<string, unknown> };
        return { logicalId, states: Object.keys(definition?.States ?? {}).length, problems: validateDefinition(definition) };
      } catch (error) {
        return { logicalId, problems: [error instanceof Error ? error.message : String(error)] };
      }
    });
}
