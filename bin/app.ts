#!/usr/bin/env node
/**
 * Builds the CDK app: loads and validates the configuration, creates the stack with an explicit
 * environment (and, outside us-east-1, a small us-east-1 companion that forwards IAM role changes
 * to it), the Organizations guardrails stack when a restricted organisation lists accounts or OUs,
 * and registers the cdk-nag AwsSolutions checks (synth fails on any finding that is not
 * acknowledged, with its reason, next to the resource).
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { guardrailTargets, SettingsValidationError } from '../lambda/shared/settings';
import { configPath, deploymentEnvironment } from '../lib/app-environment';
import { type AppConfig, loadAppConfig } from '../lib/config/app-config';
import { IAM_EVENTS_REGION, IamChangeForwarder } from '../lib/constructs/enforcement/iam-change-forwarder';
import { RekognitionSensor } from '../lib/constructs/enforcement/rekognition-sensor';
import { GovernedRecognitionGuardrailsStack, GUARDRAILS_REGION } from '../lib/governed-recognition-guardrails-stack';
import { GovernedRecognitionStack } from '../lib/governed-recognition-stack';

const app = new App();
const path = configPath(process.env, app.node.tryGetContext('config'));

let config: AppConfig;
try {
  config = loadAppConfig(path);
} catch (error) {
  if (!(error instanceof SettingsValidationError)) throw error;
  // A configuration mistake is the user's to fix: print the message alone, not a stack trace.
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}

const env = deploymentEnvironment(config, process.env);
// IAM's CloudTrail events reach EventBridge in us-east-1 only.
const forwardIamEvents = env.region !== IAM_EVENTS_REGION;
new GovernedRecognitionStack(app, 'GovernedRecognition', {
  config,
  env,
  iamEventsForwarded: forwardIamEvents,
  description: 'Governed face recognition: policy-checked Rekognition with an enforceable moratorium on police use',
});
if (forwardIamEvents) {
  const companion = new Stack(app, 'GovernedRecognitionIamEvents', {
    env: { account: env.account, region: IAM_EVENTS_REGION },
    description: `Forwards IAM role changes from ${IAM_EVENTS_REGION} to the governed-recognition enforcement in ${env.region}`,
  });
  new IamChangeForwarder(companion, 'IamChangeForwarder', { targetRegion: env.region });
}
for (const region of new Set(config.sensorRegions)) {
  if (region === env.region) continue;
  const sensor = new Stack(app, `GovernedRecognitionSensor-${region}`, {
    env: { account: env.account, region },
    description: `Forwards Rekognition calls made in ${region} to the governed-recognition enforcement in ${env.region}`,
  });
  new RekognitionSensor(sensor, 'RekognitionSensor', { targetRegion: env.region });
}
const targets = guardrailTargets(config.governance);
if (targets.accounts.length + targets.organizationalUnits.length > 0) {
  new GovernedRecognitionGuardrailsStack(app, 'GovernedRecognitionGuardrails', {
    settings: config.governance,
    pipelineAccount: config.guardrails.pipelineAccountId ?? env.account,
    breakGlassPrincipalArn: config.guardrails.breakGlassPrincipalArn,
    env: { account: config.guardrails.managementAccountId ?? env.account, region: GUARDRAILS_REGION },
    description:
      'Moratorium guardrails for governed-recognition: an SCP on the restricted accounts and OUs, an RCP on the pipeline account',
  });
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
