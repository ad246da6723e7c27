/**
 * Starts every stand-in the offline run needs, named from the synthesized template: local S3 with
 * the template's buckets, dynalite with its tables, the local IAM registry (every registered role
 * plus one unregistered role) behind its endpoint, the face engine with the template's
 * collections, and the Lambda endpoint. All on 127.0.0.1 with random ports; `stop()` ends them.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { CreateCollectionCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import type { Clock } from '../../lambda/shared/moratorium';
import type { GovernanceSettings } from '../../lambda/shared/settings';
import { type LocalDynamoDb, startLocalDynamoDb } from '../dynamodb';
import { RekognitionServer, s3ObjectGetter } from '../face-engine';
import { LocalIamRegistry } from '../iam/registry';
import { type LocalIamEndpoint, startIamEndpoint } from '../iam/server';
import { type LambdaEndpoint, startLambdaEndpoint } from '../lambda-endpoint';
import { type LocalS3, startLocalS3 } from '../s3';
import type { LocalTemplate } from '../template';
import { OfflineRunError } from './errors';

/** The role of no registered organisation: the run's "unknown principal". */
export const unregisteredRoleArn = (accountId: string): string =>
  `arn:aws:iam::${accountId}:role/govrec-unregistered-uploader`;

export interface StandInOptions {
  readonly template: LocalTemplate;
  readonly settings: GovernanceSettings;
  readonly accountId: string;
  readonly region: string;
  /**
   * The principal tag naming a role's organisation (`orgPrincipalTag` of the configuration): the
   * intake bucket policy needs it on every uploader role, so every registered role carries it.
   */
  readonly orgPrincipalTag: string;
  /** Folder for the face collections (emptied first: every run starts without faces). */
  readonly collectionsFolder: string;
  /** The simulated clock: IAM changes are stamped with it. */
  readonly clock: Clock;
}

/** The running stand-ins. */
export interface StandIns {
  readonly s3: LocalS3;
  readonly dynamodb: LocalDynamoDb;
  readonly lambda: LambdaEndpoint;
  readonly iam: LocalIamRegistry;
  readonly iamEndpoint: LocalIamEndpoint;
  readonly faceEngine: RekognitionServer;
  readonly faceEngineEndpoint: string;
  /** Collection ids the template declares, created on the engine. */
  readonly collections: readonly string[];
  /** `AWS_ENDPOINT_URL_*` (and S3 client settings) every handler needs. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** Any credentials do: every stand-in listens on loopback and none checks signatures. */
export const LOCAL_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' } as const;

/**
 * Roles are tagged as a deployment tags them: with their organisation only. None carries the
 * restricted tag, so a registered police role is restricted by its organisation's category alone
 * and the decision point and the enforcement take their category path (the tag path is for roles
 * outside the registry, which the scenario does not play).
 */
const registerRoles = (iam: LocalIamRegistry, settings: GovernanceSettings, options: StandInOptions): void => {
  for (const org of settings.organisations) {
    for (const arn of org.roleArns) {
      if (iam.roleByArn(arn) === undefined) iam.addRole(arn, { [options.orgPrincipalTag]: org.id });
    }
  }
  iam.addRole(unregisteredRoleArn(options.accountId), {});
};

/**
 * Start everything. On a failure part-way, whatever started is stopped again.
 *
 * @example
 * const standIns = await startStandIns({ template, settings, accountId, region, orgPrincipalTag: 'govrec:org', collectionsFolder: 'output/collections', clock });
 * // ... run handlers with standIns.env ...
 * await standIns.stop();
 */
export const startStandIns = async (options: StandInOptions): Promise<StandIns> => {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => errors.push(error));
    stops.length = 0;
    if (errors.length > 0)
      throw new OfflineRunError(`${errors.length} stand-in(s) did not stop cleanly`, { cause: errors[0] });
  };
  try {
    const iam = new LocalIamRegistry(options.accountId, () => options.clock.now());
    registerRoles(iam, options.settings, options);
    const s3 = await startLocalS3({
      region: options.region,
      buckets: options.template.buckets().map((b) => ({ name: b.name, versioned: b.versioned })),
      acceptAccessKeyIds: [],
    });
    stops.push(() => s3.stop());
    const dynamodb = await startLocalDynamoDb({ template: options.template, region: options.region });
    stops.push(() => dynamodb.stop());
    const lambda = await startLambdaEndpoint({ region: options.region, accountId: options.accountId });
    stops.push(() => lambda.stop());
    const iamEndpoint = await startIamEndpoint(iam);
    stops.push(() => iamEndpoint.stop());

    rmSync(options.collectionsFolder, { recursive: true, force: true });
    mkdirSync(options.collectionsFolder, { recursive: true });
    const faceEngine = new RekognitionServer({
      folder: options.collectionsFolder,
      getS3Object: s3ObjectGetter(s3.client),
      preload: true,
      region: options.region,
      accountId: options.accountId,
      now: () => options.clock.now(),
    });
    const running = await faceEngine.start();
    stops.push(() => running.stop());

    const collections = options.template
      .resourcesOfType('AWS::Rekognition::Collection')
      .map((c) => String(c.resource.Properties?.CollectionId ?? c.name));
    const rekognition = new RekognitionClient({
      endpoint: running.endpoint,
      region: options.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      for (const CollectionId of collections) await rekognition.send(new CreateCollectionCommand({ CollectionId }));
    } finally {
      rekognition.destroy();
    }

    return {
      s3,
      dynamodb,
      lambda,
      iam,
      iamEndpoint,
      faceEngine,
      collections,
      faceEngineEndpoint: running.endpoint,
      env: {
        ...LOCAL_CREDENTIALS,
        AWS_REGION: options.region,
        AWS_DEFAULT_REGION: options.region,
        ...s3.env,
        ...dynamodb.env,
        ...lambda.env,
        AWS_ENDPOINT_URL_IAM: iamEndpoint.endpoint,
        AWS_ENDPOINT_URL_REKOGNITION: running.endpoint,
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error instanceof OfflineRunError
      ? error
      : new OfflineRunError(`Starting the local stand-ins failed: ${(error as Error).message}`, { cause: error });
  }
};
