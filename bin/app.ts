#!/usr/bin/env node
/**
 * Builds the CDK app: loads and validates the configuration, creates the stack with an explicit
 * environment and registers the cdk-nag AwsSolutions checks (synth fails on any finding that is
 * not acknowledged, with its reason, next to the resource).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type AppConfig, loadAppConfig } from '../lib/config/app-config';
import { configPath, deploymentEnvironment } from '../lib/app-environment';
import { GovernedRecognitionStack } from '../lib/governed-recognition-stack';
import { SettingsValidationError } from '../lambda/shared/settings';

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

new GovernedRecognitionStack(app, 'GovernedRecognition', {
  config,
  env: deploymentEnvironment(config, process.env),
  description: 'Governed face recognition: policy-checked Rekognition with an enforceable moratorium on police use',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
