/**
 * The stand-ins wired to the real handler modules (policy and recognition), configured only
 * through the environment, as the offline run will do. No face engine here: the Rekognition
 * endpoint is a counter that answers 500, so the test proves denied uploads never reach it.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { fixedClock } from '../../../lambda/shared/moratorium';
import { parseGovernance } from '../../../lambda/shared/settings';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../local/dynamodb';
import { applyEnvironment, handlerEnvironment } from '../../../local/handler-env';
import { LocalIamRegistry } from '../../../local/iam/registry';
import { type LocalIamEndpoint, startIamEndpoint } from '../../../local/iam/server';
import { type LambdaEndpoint, startLambdaEndpoint } from '../../../local/lambda-endpoint';
import { LocalQueue } from '../../../local/queue';
import { buildReviewReport, collectReportInput } from '../../../local/report';
import { type LocalS3, startLocalS3 } from '../../../local/s3';
import { assumedRolePrincipalId, Sequencer, s3EventMessageBody } from '../../../local/s3-events';
import { uploadAs } from '../../../local/s3-upload';
import { synthesizedAssembly } from '../../helpers/cloud-assembly';

const ROOT = join(__dirname, '..', '..', '..');
const governance = JSON.parse(readFileSync(join(ROOT, 'config', 'governance.json'), 'utf8')) as Record<string, unknown>;
const settings = parseGovernance(governance);
const assembly = synthesizedAssembly();
const stack = assembly.local;
const ids = {
  intakeQueue: assembly.id(assembly.stack.pipeline.intakeQueue),
  policy: assembly.id(assembly.stack.pipeline.policyFunction),
  recognition: assembly.id(assembly.stack.pipeline.recognitionFunction),
  intake: assembly.id(assembly.stack.pipeline.intakeBucket),
};
const POLICE_ROLE = 'arn:aws:iam::111111111111:role/govrec-police-investigations';
const PNG = readFileSync(join(ROOT, 'test', 'fixtures', 'images', 'astronaut.png'));

type Handler = (event: unknown, context: Context) => Promise<unknown>;

describe('stand-ins wired to the policy and recognition handlers', () => {
  let s3: LocalS3;
  let ddb: LocalDynamoDb;
  let lambda: LambdaEndpoint;
  let iamEndpoint: LocalIamEndpoint;
  let rekognition: Server;
  let rekognitionCalls = 0;
  let workerName: string;
  const restoreEnvironment: (() => void)[] = [];
  const iam = new LocalIamRegistry('111111111111', () => new Date('2027-01-01T00:00:00Z'));
  const queue = new LocalQueue({
    name: ids.intakeQueue,
    clock: fixedClock('2027-07-01T00:00:00Z'),
    accountId: '111111111111',
    ...{
      maxReceiveCount: stack.redrivePolicy(ids.intakeQueue)!.maxReceiveCount,
      batchSize: stack.sqsEventSourceMappings()[0]!.batchSize,
    },
  });

  beforeAll(async () => {
    for (const org of settings.organisations) {
      for (const arn of org.roleArns) iam.addRole(arn, { 'govrec:category': org.category });
    }
    rekognition = createServer((_req, res) => {
      rekognitionCalls += 1;
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' }).end('{"__type":"InternalServerError"}');
    });
    await new Promise<void>((resolve) => rekognition.listen(0, '127.0.0.1', resolve));
    [s3, ddb, lambda, iamEndpoint] = await Promise.all([
      startLocalS3({ buckets: stack.buckets().map((b) => ({ name: b.name, versioned: b.versioned })) }),
      startLocalDynamoDb({ template: stack }),
      startLambdaEndpoint({ accountId: '111111111111' }),
      startIamEndpoint(iam),
    ]);
    const standIns = [
      s3.env,
      ddb.env,
      lambda.env,
      {
        AWS_ENDPOINT_URL_IAM: iamEndpoint.endpoint,
        AWS_ENDPOINT_URL_REKOGNITION: `http://127.0.0.1:${(rekognition.address() as AddressInfo).port}`,
      },
    ];
    const overrides = {
      GOVREC_SETTINGS: JSON.stringify(governance),
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_MAX_ATTEMPTS: '1',
    };
    const policy = stack.functionByPrefix(ids.policy);
    const worker = stack.functionByPrefix(ids.recognition);
    // Each handler's config is read at its first import; the endpoint variables (identical for
    // both) must stay set while the handlers run, because the SDK reads them on first use.
    restoreEnvironment.push(applyEnvironment(handlerEnvironment(policy, standIns, overrides)));
    const policyHandler = require('../../../lambda/decision/handler').handler as Handler;
    lambda.register(policy.name, { handler: policyHandler, timeoutMs: policy.timeoutSeconds * 1000 });
    restoreEnvironment.push(applyEnvironment(handlerEnvironment(worker, standIns, overrides)));
    const recognition = require('../../../lambda/recognition/handler').handler as Handler;
    lambda.register(worker.name, { handler: recognition, timeoutMs: worker.timeoutSeconds * 1000 });
    workerName = worker.name;
  }, 60_000);

  afterAll(async () => {
    for (const restore of restoreEnvironment.reverse()) restore();
    await Promise.all([
      s3.stop(),
      ddb.stop(),
      lambda.stop(),
      iamEndpoint.stop(),
      new Promise((resolve) => rekognition.close(resolve)),
    ]);
  });

  it('denies and quarantines a police upload in the moratorium and an unknown caller, without calling Rekognition', async () => {
    const intake = stack.buckets().find((b) => b.logicalId === ids.intake)!.name;
    const quarantine = stack.functionByPrefix(ids.recognition).environment.QUARANTINE_BUCKET_NAME!;
    const sequencer = new Sequencer();
    const police = assumedRolePrincipalId(iam.roleByArn(POLICE_ROLE)!.roleId, 'analyst');
    const uploads = [
      { key: 'incoming/metro-police/search/red flower.png', principalId: police },
      { key: 'incoming/thorn-like/search/who.png', principalId: 'AWS:AROAUNKNOWNUNKNOWN1:x' },
    ];
    for (const upload of uploads) {
      const { record } = await uploadAs(s3, {
        bucket: intake,
        key: upload.key,
        body: PNG,
        contentType: 'image/png',
        principalId: upload.principalId,
        eventTime: '2027-07-01T10:00:00.000Z',
        sequencer,
      });
      queue.send(s3EventMessageBody([record]));
    }

    const drained = await queue.drain(
      (event: SQSEvent) => lambda.invoke(workerName, event) as Promise<SQSBatchResponse>,
    );
    const failures = lambda.invocations.filter((i) => i.error !== undefined);
    expect(failures).toEqual([]);

    expect(drained).toMatchObject({ deadLettered: 0, errors: [] });
    expect(rekognitionCalls).toBe(0);
    expect(lambda.invocations.map((i) => [i.functionName, i.invocationType])).toEqual([
      [ids.policy, 'RequestResponse'],
      [ids.policy, 'RequestResponse'],
      [ids.recognition, 'EventSourceMapping'],
    ]);
    for (const upload of uploads) {
      await expect(s3.client.send(new HeadObjectCommand({ Bucket: intake, Key: upload.key }))).rejects.toMatchObject({
        name: 'NotFound',
      });
    }
    const auditTable = stack.functionByPrefix(ids.recognition).environment.AUDIT_TABLE_NAME!;
    const report = buildReviewReport({
      ...(await collectReportInput({ dynamodb: ddb.client, auditTable, s3: s3.client, quarantineBucket: quarantine })),
      generatedAt: '2027-07-02T00:00:00.000Z',
      settings,
    });
    // Both uploads carry the same event time; the report's order between them is not under test.
    expect(report.uploads.map((row) => [row.orgId, row.effect, row.reason, row.outcome]).sort()).toEqual([
      ['metro-police', 'DENY', 'MORATORIUM_IN_FORCE', 'QUARANTINED'],
      ['thorn-like', 'DENY', 'UNKNOWN_PRINCIPAL', 'QUARANTINED'],
    ]);
    expect(report.headline).toMatchObject({
      ok: true,
      restrictedRequests: 1,
      restrictedGotThrough: 0,
      uploadsWithoutOutcome: 0,
    });
    expect(report.quarantine.recorded.map((q) => q.present)).toEqual([true, true]);
  });
});
