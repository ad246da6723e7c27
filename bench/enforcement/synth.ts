/**
 * The enforcement state machines as plain ASL. Taken from `cdk.out` when the deployed stack
 * holds them; otherwise the `EnforcementWorkflows` construct is synthesized alone (no bundling),
 * the same definitions the app deploys.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EnforcementWorkflows } from '../../lib/constructs/enforcement/enforcement-workflows';
import { LOCAL_ENV, placeholderArn, stateMachineByPrefix, type TemplateJson } from '../../local/stepfunctions';
import { exampleGovernance, REPO_ROOT } from '../lib/repo';

export const RESTRICTED_TAG = { key: 'govrec:category', value: 'police' } as const;
export const INTAKE_BUCKET_ARN = 'arn:aws:s3:::govrec-intake';

export interface Machine {
  readonly arn: string;
  readonly definition: Record<string, unknown>;
}

export interface EnforcementMachines {
  readonly source: string;
  readonly enforceRole: Machine;
  readonly sweep: Machine;
}

const fromTemplate = (
  json: TemplateJson,
  enforcePrefix: string,
  sweepPrefix: string,
  source: string,
): EnforcementMachines => {
  const machine = (prefix: string): Machine => {
    const { logicalId, definition } = stateMachineByPrefix(json, prefix);
    return { arn: placeholderArn(logicalId, 'AWS::StepFunctions::StateMachine'), definition };
  };
  return { source, enforceRole: machine(enforcePrefix), sweep: machine(sweepPrefix) };
};

const templateHasEnforcement = (json: TemplateJson): boolean =>
  Object.entries(json.Resources ?? {}).some(
    ([id, r]) => (r as { Type?: string }).Type === 'AWS::StepFunctions::StateMachine' && id.includes('EnforceRole'),
  );

/** The definitions, preferring the synthesized app. */
export const enforcementMachines = (): EnforcementMachines => {
  const templatePath = join(REPO_ROOT, 'cdk.out', 'GovernedRecognition.template.json');
  if (existsSync(templatePath)) {
    const json = JSON.parse(readFileSync(templatePath, 'utf8')) as TemplateJson;
    if (templateHasEnforcement(json)) {
      const ids = Object.keys(json.Resources ?? {});
      const prefixOf = (part: string) =>
        ids.find(
          (id) =>
            id.includes(part) &&
            (json.Resources as Record<string, { Type?: string }>)[id]!.Type === 'AWS::StepFunctions::StateMachine',
        )!;
      return fromTemplate(
        json,
        prefixOf('EnforceRole'),
        prefixOf('Sweep'),
        'cdk.out/GovernedRecognition.template.json',
      );
    }
  }
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'BenchEnforcement', { env: { account: LOCAL_ENV.account, region: LOCAL_ENV.region } });
  const alarmTopic = new sns.Topic(stack, 'AlarmTopic', { enforceSSL: true });
  new EnforcementWorkflows(stack, 'Enforcement', {
    settings: exampleGovernance().settings,
    restrictedTag: RESTRICTED_TAG,
    alarmTopic,
    intakeBucketArn: INTAKE_BUCKET_ARN,
  });
  const json = app.synth().getStackByName(stack.stackName).template as TemplateJson;
  return fromTemplate(
    json,
    'EnforcementEnforceRole',
    'EnforcementSweep',
    'EnforcementWorkflows synthesized alone (the app template in cdk.out has none yet)',
  );
};
