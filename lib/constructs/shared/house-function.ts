/**
 * The one place Lambda defaults are set: runtime, architecture, tracing, source maps, log
 * retention and bundling with the locally installed esbuild (never Docker).
 */
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../../lambda/shared/contracts';
import type { GovernanceSettings } from '../../../lambda/shared/settings';

/** Repository root, so entries and copied assets resolve wherever the app is run from. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface HouseFunctionProps extends Omit<NodejsFunctionProps, 'entry' | 'runtime' | 'architecture'> {
  /** Folder under `lambda/` holding `handler.ts`, e.g. `policy`. */
  readonly handlerDir: string;
  /** Powertools service name (logs, metrics namespace dimension, traces). */
  readonly serviceName: string;
  /**
   * Governance settings compiled into the bundle as `process.env.GOVREC_SETTINGS`.
   * @default - not compiled in (the function does not need them)
   */
  readonly settings?: GovernanceSettings;
  /**
   * Ship the Cedar WebAssembly module and the `policies/` folder next to the bundle.
   * @default false
   */
  readonly withCedar?: boolean;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The esbuild target of every bundle: the Node major of `runtime` below, so the syntax the bundle
 * keeps is what the runtime runs and what the tests run on (`.nvmrc`, `.ci/node`).
 */
export const BUNDLE_TARGET = 'node24';

/**
 * A `NodejsFunction` with the house defaults.
 *
 * @example
 * new HouseFunction(this, 'PolicyFunction', { handlerDir: 'decision', serviceName: 'policy', settings, withCedar: true });
 */
export class HouseFunction extends NodejsFunction {
  /** The execution role: the one given in the props, else the one `Function` creates (never absent). */
  declare public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    const {
      handlerDir,
      serviceName,
      settings,
      withCedar = false,
      logRetention = logs.RetentionDays.ONE_YEAR,
      environment,
      bundling,
      ...rest
    } = props;
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logRetention });
    const define: Record<string, string> = { ...(bundling?.define ?? {}) };
    if (settings !== undefined) define['process.env.GOVREC_SETTINGS'] = JSON.stringify(JSON.stringify(settings));
    super(scope, id, {
      entry: path.join(REPO_ROOT, 'lambda', handlerDir, 'handler.ts'),
      handler: 'handler',
      // Named, not `latest`: a new runtime is a reviewed change of BUNDLE_TARGET, .nvmrc and .ci/node together.
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      tracing: lambda.Tracing.ACTIVE,
      memorySize: 512,
      timeout: Duration.seconds(30),
      logGroup,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      projectRoot: REPO_ROOT,
      ...rest,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...environment,
      },
      bundling: {
        format: OutputFormat.CJS,
        target: BUNDLE_TARGET,
        minify: true,
        // Error names reach Lambda's errorType, Step Functions Catch and the ledger (`GovrecError`
        // takes its name from the class): minifying must not rename classes.
        keepNames: true,
        sourceMap: true,
        sourcesContent: false,
        forceDockerBundling: false,
        // Keep `cdk synth` quiet: esbuild's size table on every synth is noise; warnings still show.
        logLevel: LogLevel.WARNING,
        ...bundling,
        define,
        commandHooks: withCedar
          ? {
              beforeBundling: () => [],
              beforeInstall: () => [],
              afterBundling: (inputDir: string, outputDir: string) => [
                `cp "${path.join(inputDir, 'node_modules/@cedar-policy/cedar-wasm/nodejs/cedar_wasm_bg.wasm')}" "${outputDir}/"`,
                `mkdir -p "${outputDir}/policies" && cp "${inputDir}"/policies/*.cedar* "${outputDir}/policies/"`,
              ],
            }
          : bundling?.commandHooks,
      },
    });
  }
}
