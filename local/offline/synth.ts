/**
 * Synthesizes the real `GovernedRecognitionStack` in this process, without Docker and without
 * bundling, into a folder of the run's output. The offline run then takes every name, function
 * environment and state machine definition from that template, never from a second list.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { accountOfArn } from '../../lambda/shared/arn';
import { deploymentEnvironment } from '../../lib/app-environment';
import type { AppConfig } from '../../lib/config/app-config';
import { IAM_EVENTS_REGION } from '../../lib/constructs/enforcement/iam-change-forwarder';
import { REPO_ROOT } from '../../lib/constructs/shared/house-function';
import { GovernedRecognitionStack } from '../../lib/governed-recognition-stack';
import { LocalTemplate } from '../template';
import { loadOfflineConfig } from './config';
import { OfflineConfigError, OfflineRunError } from './errors';
import { cachedSynth, forgetSynth, rememberSynth, synthInputsHash } from './synth-cache';

/** The stack id `bin/app.ts` uses; the template file is named after it. */
export const STACK_ID = 'GovernedRecognition';

export interface SynthOptions {
  /** Path of the deployment configuration. */
  readonly configPath: string;
  /** Cloud assembly folder (created). */
  readonly outdir: string;
  /**
   * Where the region comes from, read as `bin/app.ts` reads it (`CDK_DEFAULT_REGION`, else
   * us-east-1). @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Reuse the cloud assembly in `outdir` when config and code are unchanged. @default true */
  readonly reuse?: boolean;
}

export interface SynthesizedApp {
  readonly config: AppConfig;
  /** The configuration file as JSON: what `GOVREC_SETTINGS` carries for the handlers. */
  readonly configJson: Record<string, unknown>;
  readonly accountId: string;
  readonly region: string;
  readonly outdir: string;
  readonly template: LocalTemplate;
  /** Warnings the synth printed (e.g. annotations in the validation report), one line each. */
  readonly warnings: readonly string[];
  /** The cloud assembly of the same inputs was reused (see `synth-cache.ts`). */
  readonly cached: boolean;
}

/** cdk.json's `context` (feature flags), so this synth matches `cdk synth`. */
export const cdkJsonContext = (): Record<string, unknown> => {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
};

/**
 * Build and synthesize the stack.
 *
 * @example
 * const app = synthesizeOffline({ configPath: 'config/governance.json', outdir: 'output/cdk.out' });
 * app.template.functionByPrefix('GovernedRecognitionPolicyFunction').environment;
 */
export const synthesizeOffline = (options: SynthOptions): SynthesizedApp => {
  const { config, configJson } = loadOfflineConfig(options.configPath);
  // The registry's account is the one the example roles live in; the offline IAM is that account
  // (CDK_DEFAULT_ACCOUNT is not taken: roles of another account would all be unknown callers).
  const firstRole = config.governance.organisations.flatMap((org) => org.roleArns)[0];
  const accountId = firstRole === undefined ? undefined : accountOfArn(firstRole);
  if (accountId === undefined)
    throw new OfflineConfigError('The configuration registers no role, so the offline run has no account to simulate');
  // The region and the IAM-events choice as bin/app.ts makes them, so this is the template
  // `cdk synth` writes for the same environment (outside us-east-1 bin/app.ts adds a forwarder
  // stack in us-east-1; nothing offline runs on it, so it is not synthesized here).
  const region = deploymentEnvironment(config, {
    ...(options.env ?? process.env),
    CDK_DEFAULT_ACCOUNT: accountId,
  }).region;
  const outdir = resolve(options.outdir);
  const hash = synthInputsHash({ configText: readFileSync(options.configPath, 'utf8'), region });
  const hit = options.reuse === false ? undefined : cachedSynth(outdir, hash);
  if (hit !== undefined) {
    const template = LocalTemplate.fromCdkOut(outdir, { region, accountId }, STACK_ID);
    return { config, configJson, accountId, region, outdir, template, warnings: hit.warnings, cached: true };
  }
  forgetSynth(outdir);
  // The CDK prints its validation report (annotations included) with console.error; the run
  // prints one line per step, so the report's warnings are collected and summarised instead.
  const printed: string[] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => printed.push(args.map(String).join(' '));
  try {
    // Bundling is skipped: the handlers run from source in this process, not from the bundles.
    const app = new App({ outdir, context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    new GovernedRecognitionStack(app, STACK_ID, {
      config,
      env: { account: accountId, region },
      iamEventsForwarded: region !== IAM_EVENTS_REGION,
    });
    app.synth();
  } catch (error) {
    throw new OfflineRunError(
      `Synthesizing the stack failed: ${(error as Error).message}${printed.length > 0 ? `\n${printed.join('\n')}` : ''}`,
      { cause: error },
    );
  } finally {
    console.error = consoleError;
  }
  const warnings = printed
    .join('\n')
    .split('\n')
    .filter((line) => /^\s*WARNING\b/.test(line))
    .map((line) => line.trim());
  const template = LocalTemplate.fromCdkOut(outdir, { region, accountId }, STACK_ID);
  rememberSynth(outdir, { hash, warnings });
  return { config, configJson, accountId, region, outdir, template, warnings, cached: false };
};
