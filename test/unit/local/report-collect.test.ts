import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { quarantineObject } from '../../../lambda/recognition/quarantine';
import { AUDIT_TRANSLATE_CONFIG, AuditLedger } from '../../../lambda/shared/audit';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../local/dynamodb';
import { buildReviewReport } from '../../../local/report';
import { collectReportInput, enforcementEntryOf } from '../../../local/report/collect';
import { decisionRow } from '../../../local/report/sections/decisions';
import { type LocalS3, startLocalS3 } from '../../../local/s3';
import { synthesizedAssembly } from '../../helpers/cloud-assembly';
import { decisionOf, outcomeOf, settings, UPLOADS } from './fixtures/report-input';

const assembly = synthesizedAssembly();
const stack = assembly.local;
const AUDIT = assembly.id(assembly.stack.pipeline.auditTable);

describe('collectReportInput', () => {
  let ddb: LocalDynamoDb;
  let s3: LocalS3;
  beforeAll(async () => {
    [ddb, s3] = await Promise.all([
      startLocalDynamoDb({ template: stack }),
      startLocalS3({
        buckets: [{ name: 'intake', versioned: true }, { name: 'quarantine', versioned: true }, { name: 'results' }],
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([ddb.stop(), s3.stop()]);
  });

  it('reads decisions, outcomes, result documents and the quarantine listing back into a report', async () => {
    const ledger = new AuditLedger(DynamoDBDocumentClient.from(ddb.client, AUDIT_TRANSLATE_CONFIG), AUDIT);
    const [search, denied] = [
      UPLOADS.find((u) => u.id === 'd-ngo-search')!,
      UPLOADS.find((u) => u.id === 'd-police-during')!,
    ];
    await ledger.recordDecision(decisionOf(search));
    await s3.client.send(
      new PutObjectCommand({
        Bucket: 'results',
        Key: `results/${search.key}.json`,
        Body: JSON.stringify({
          decisionId: search.id,
          operation: 'SearchFacesByImage',
          response: { FaceMatches: [{ Similarity: 97.5, Face: { FaceId: 'f1', ExternalImageId: 'person-a' } }] },
        }),
      }),
    );
    await ledger.recordOutcome(outcomeOf(search));

    await ledger.recordDecision(decisionOf(denied));
    const put = await s3.client.send(new PutObjectCommand({ Bucket: 'intake', Key: denied.key, Body: 'x' }));
    const location = await quarantineObject(s3.client, {
      object: { bucket: 'intake', key: denied.key, versionId: put.VersionId },
      quarantineBucket: 'quarantine',
      quarantineKey: `quarantine/${denied.key}`,
      decisionId: denied.id,
      reason: 'MORATORIUM_IN_FORCE',
      orgId: 'metro-police',
    });
    await ledger.recordOutcome({ ...outcomeOf(denied), location });

    const collected = await collectReportInput({
      dynamodb: ddb.client,
      auditTable: AUDIT,
      s3: s3.client,
      quarantineBucket: 'quarantine',
    });
    expect(collected.ledgerItems).toHaveLength(4);
    expect(collected.results!.map((r) => [r.decisionId, r.operation])).toEqual([
      ['d-ngo-search', 'SearchFacesByImage'],
    ]);
    expect(collected.quarantine).toEqual([
      {
        bucket: 'quarantine',
        key: `quarantine/${denied.key}`,
        versionId: location.versionId,
        size: 1,
        tags: { 'govrec:decisionId': denied.id, 'govrec:reason': 'MORATORIUM_IN_FORCE', 'govrec:org': 'metro-police' },
      },
    ]);

    const report = buildReviewReport({ ...collected, generatedAt: '2027-07-03T00:00:00.000Z', settings });
    expect(report.headline).toMatchObject({ ok: true, restrictedRequests: 1, restrictedGotThrough: 0 });
    expect(report.uploads.find((row) => row.decisionId === 'd-ngo-search')?.recognition?.matches).toEqual([
      { faceId: 'f1', externalImageId: 'person-a', similarity: 97.5 },
    ]);
    expect(report.quarantine.recorded).toEqual([
      {
        decisionId: denied.id,
        outcome: 'QUARANTINED',
        reason: 'MORATORIUM_IN_FORCE',
        orgId: 'metro-police',
        attributedTo: 'metro-police',
        at: denied.at,
        ...location,
        present: true,
      },
    ]);
  });

  it('reads result documents only for the decisions in [from, to) and keeps only those', async () => {
    // Two recognised uploads outside the range whose result documents are gone.
    const ledger = new AuditLedger(DynamoDBDocumentClient.from(ddb.client, AUDIT_TRANSLATE_CONFIG), AUDIT);
    for (const id of ['d-ngo-index', 'd-police-after']) {
      const upload = UPLOADS.find((u) => u.id === id)!;
      await ledger.recordDecision(decisionOf(upload));
      await ledger.recordOutcome(outcomeOf(upload));
    }

    const collected = await collectReportInput({
      dynamodb: ddb.client,
      auditTable: AUDIT,
      s3: s3.client,
      quarantineBucket: 'quarantine',
      within: { from: '2027-07-01T09:00:00Z', to: '2027-07-02T09:00:00Z' },
    });

    expect([...new Set(collected.ledgerItems.map((item) => item.decisionId))]).toEqual(['d-ngo-search']);
    expect(collected.results!.map((r) => r.decisionId)).toEqual(['d-ngo-search']);
  });

  it('shows a result document that is gone as "result expired or missing" instead of failing', async () => {
    const collected = await collectReportInput({
      dynamodb: ddb.client,
      auditTable: AUDIT,
      s3: s3.client,
      quarantineBucket: 'quarantine',
    });

    expect(collected.results!.filter((r) => r.missing).map((r) => r.decisionId)).toEqual(
      expect.arrayContaining(['d-ngo-index', 'd-police-after']),
    );
    const report = buildReviewReport({ ...collected, generatedAt: '2028-07-03T00:00:00.000Z', settings });
    const missing = report.uploads.filter((row) => row.resultMissing).map((row) => row.decisionId);
    expect(missing.sort()).toEqual(['d-ngo-index', 'd-police-after']);
    expect(report.uploads.find((row) => row.decisionId === 'd-ngo-index')?.recognition).toBeUndefined();
    expect(decisionRow(report.uploads.find((row) => row.decisionId === 'd-ngo-index')!, new Set())).toContain(
      'result expired or missing',
    );
  });
});

describe('enforcementEntryOf', () => {
  it('turns an enforcement record into a timeline entry', () => {
    expect(
      enforcementEntryOf({
        roleArn: 'arn:aws:iam::111111111111:role/p',
        action: 'DISABLED',
        eventAt: '2027-06-10T00:00:00.000Z',
        until: '2028-06-10T00:00:00.000Z',
        triggerSource: 'sweep',
        triggerEventName: 'MoratoriumStart',
        detail: 'deny attached',
      }),
    ).toEqual({
      role: 'arn:aws:iam::111111111111:role/p',
      action: 'DISABLED',
      at: '2027-06-10T00:00:00.000Z',
      until: '2028-06-10T00:00:00.000Z',
      trigger: 'sweep: MoratoriumStart',
      detail: 'deny attached',
    });
  });
});
