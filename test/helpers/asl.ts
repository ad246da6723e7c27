/**
 * The enforcement state machines as plain ASL, taken from a synthesized stack, and the
 * asl-validator check. The stack holds only the enforcement workflows (plus a topic), so the
 * workflow tests do not depend on the rest of the app being buildable.
 */
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { GovernanceSettings } from '../../lambda/shared/settings';
import { loadAppConfig } from '../../lib/config/app-config';
import { EnforcementWorkflows } from '../../lib/constructs/enforcement/enforcement-workflows';
import { REPO_ROOT } from '../../lib/constructs/shared/house-function';
import { LOCAL_ENV, placeholderArn, stateMachineByPrefix, type TemplateJson } from '../../local/stepfunctions/extract';
import { testApp } from './cdk-app';

// asl-validator ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (
  definition: unknown,
  options: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };

/** Validate a definition with JSONPath and ARN checks (on a copy: the validator mutates its input). */
export const validateAsl = (definition: Record<string, unknown>): { isValid: boolean; errors: string } => {
  const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  return { isValid: result.isValid, errors: result.isValid ? '' : result.errorsText('\n') };
};

/** Governance settings of the shipped example configuration. */
export const exampleSettings = (): GovernanceSettings =>
  loadAppConfig(path.join(REPO_ROOT, 'config', 'governance.json')).governance;

/** The restricted tag of the example configuration's defaults. */
export const RESTRICTED_TAG = { key: 'govrec:category', value: 'police' } as const;

/** One extracted state machine with its placeholder ARN. */
export interface ExtractedMachine {
  readonly logicalId: string;
  readonly arn: string;
  readonly definition: Record<string, unknown>;
}

/** A synthesized enforcement stack. */
export interface EnforcementStack {
  readonly stack: Stack;
  readonly workflows: EnforcementWorkflows;
  readonly template: Template;
  readonly json: TemplateJson;
  readonly machines: {
    readonly enforceRole: ExtractedMachine;
    readonly sweep: ExtractedMachine;
    readonly restore: ExtractedMachine;
  };
}

/**
 * Synthesize the enforcement workflows alone (no bundling) and extract the three definitions.
 *
 * @example
 * const { machines } = synthEnforcement();
 * validateAsl(machines.enforceRole.definition).isValid // true
 */
export const synthEnforcement = (settings: GovernanceSettings = exampleSettings()): EnforcementStack => {
  const app = testApp();
  const stack = new Stack(app, 'EnforcementTest', { env: { account: LOCAL_ENV.account, region: LOCAL_ENV.region } });
  const alarmTopic = new sns.Topic(stack, 'AlarmTopic', { enforceSSL: true });
  const workflows = new EnforcementWorkflows(stack, 'Enforcement', {
    settings,
    restrictedTag: RESTRICTED_TAG,
    alarmTopic,
    intakeBucketArn: 'arn:aws:s3:::govrec-intake',
  });
  const template = Template.fromStack(stack);
  const json = template.toJSON() as TemplateJson;
  const machine = (prefix: string): ExtractedMachine => {
    const { logicalId, definition } = stateMachineByPrefix(json, prefix);
    return { logicalId, definition, arn: placeholderArn(logicalId, 'AWS::StepFunctions::StateMachine') };
  };
  return {
    stack,
    workflows,
    template,
    json,
    machines: {
      enforceRole: machine('EnforcementEnforceRole'),
      sweep: machine('EnforcementSweep'),
      restore: machine('EnforcementRestore'),
    },
  };
};
