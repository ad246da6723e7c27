/**
 * Building the app in tests the way `cdk synth` builds it. `new App()` does not read cdk.json,
 * so its context (feature flags) is loaded here; bundling is skipped unless a test is about the
 * bundles, because every bundled app costs seconds.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { type AppConfig, loadAppConfig, parseAppConfig } from '../../lib/config/app-config';
import { REPO_ROOT } from '../../lib/constructs/shared/house-function';
import { GovernedRecognitionStack } from '../../lib/governed-recognition-stack';

/** The account of the example configuration's registered roles. */
export const EXAMPLE_ACCOUNT = '111111111111';
export const TEST_REGION = 'eu-west-1';

/** The `context` block of cdk.json (feature flags and settings `cdk synth` applies). */
export const cdkJsonContext = (): Record<string, unknown> => {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
};

export interface TestAppOptions {
  /** Bundle the functions (slow; only where the bundles are under test). @default false */
  readonly bundle?: boolean;
  /** Extra context, applied last. */
  readonly context?: Record<string, unknown>;
}

/**
 * Warnings every test stack raises on purpose: they deploy to eu-west-1, where IAM's CloudTrail
 * events never arrive. Acknowledged here so a synth does not print the validation report on every
 * test; the warning itself is asserted in test/infra/enforcement-triggers.test.ts.
 */
export const EXPECTED_TEST_WARNINGS = [
  {
    id: 'Annotation::govrec:iam-events-us-east-1',
    reason: 'Test stacks deploy to eu-west-1 on purpose; enforcement-triggers.test.ts asserts this warning.',
  },
] as const;

/** An `App` with cdk.json's context, and no bundling unless asked for. */
export const testApp = (options: TestAppOptions = {}): App => {
  const app = new App({
    context: {
      ...cdkJsonContext(),
      ...(options.bundle === true ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  for (const warning of EXPECTED_TEST_WARNINGS) Validations.of(app).acknowledge(warning);
  return app;
};

/** The shipped example configuration (two NGOs, one police department). */
export const exampleConfig = (): AppConfig => loadAppConfig(path.join(REPO_ROOT, 'config', 'governance.json'));

/** The example configuration as plain JSON, to derive variants from. */
export const exampleConfigJson = (): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'config', 'governance.json'), 'utf8')) as Record<string, unknown>;

/** A configuration derived from the example; `change` edits a deep copy of its JSON. */
export const configWith = (change: (json: any) => void): AppConfig => {
  const json = exampleConfigJson();
  change(json);
  return parseAppConfig(json, 'test configuration');
};

export interface SynthesizedStack {
  readonly app: App;
  readonly stack: GovernedRecognitionStack;
  readonly template: Template;
}

/** Build the app's stack for a configuration and synthesize its template. */
export const synthStack = (config: AppConfig = exampleConfig(), options: TestAppOptions = {}): SynthesizedStack => {
  const app = testApp(options);
  const stack = new GovernedRecognitionStack(app, 'GovernedRecognition', {
    config,
    env: { account: EXAMPLE_ACCOUNT, region: TEST_REGION },
  });
  return { app, stack, template: Template.fromStack(stack) };
};

/** `{ Fn::GetAtt: [<logical id>, Arn] }` of a construct's CloudFormation resource, as the template holds it. */
export const getAttArn = (construct: IConstruct): { 'Fn::GetAtt': [string, string] } => ({
  'Fn::GetAtt': [logicalIdOf(construct), 'Arn'],
});

/** The logical id of a construct's CloudFormation resource (the construct itself or its default child). */
export const logicalIdOf = (construct: IConstruct): string => {
  const element = construct instanceof CfnElement ? construct : (construct.node.defaultChild as CfnElement);
  return Stack.of(construct).getLogicalId(element);
};

/** `<arn of construct><suffix>` as the template joins it. */
export const joinedArn = (construct: IConstruct, suffix: string): { 'Fn::Join': [string, unknown[]] } => ({
  'Fn::Join': ['', [getAttArn(construct), suffix]],
});
