/**
 * `govrec status --stack` over the stack's real tables (dynalite, created from the synthesized
 * template) and the local IAM endpoint: roles restricted by tag are listed, a role's last
 * enforcement record is its newest even past the first page, and denials come from the
 * byEffectCategory index without a Scan.
 */
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { closeStack, stackFromOutputs } from '../../../cli/deployed/stack';
import { stackStatus, UNREGISTERED } from '../../../cli/deployed/status';
import { AUDIT_TRANSLATE_CONFIG, AuditLedger } from '../../../lambda/shared/audit';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../local/dynamodb';
import { LocalIamRegistry } from '../../../local/iam/registry';
import { type LocalIamEndpoint, startIamEndpoint } from '../../../local/iam/server';
import { synthesizedAssembly } from '../../helpers/cloud-assembly';
import { decisionOf, settings, UPLOADS } from '../local/fixtures/report-input';

const assembly = synthesizedAssembly();
const AUDIT = assembly.id(assembly.stack.pipeline.auditTable);
const ENFORCEMENT_LEDGER = assembly.id(assembly.stack.pipeline.enforcer.workflows.ledger);
const INVESTIGATIONS = 'arn:aws:iam::111111111111:role/govrec-police-investigations';
const ROGUE = 'arn:aws:iam::111111111111:role/govrec-rogue-police';

describe('stackStatus', () => {
  let ddb: LocalDynamoDb;
  let iam: LocalIamEndpoint;
  let enforcementLedger: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    ddb = await startLocalDynamoDb({ template: assembly.local });
    const registry = new LocalIamRegistry('111111111111', () => new Date('2027-07-01T00:00:00.000Z'));
    for (const org of settings.organisations) for (const arn of org.roleArns) registry.addRole(arn);
    registry.addRole(ROGUE, { 'govrec:category': 'police' });
    iam = await startIamEndpoint(registry);
    process.env.AWS_ENDPOINT_URL_IAM = iam.endpoint;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
    enforcementLedger = ENFORCEMENT_LEDGER;
  });
  afterAll(async () => {
    process.env = saved;
    await Promise.all([ddb.stop(), iam.stop()]);
  });

  it('lists tag-restricted roles, reads the newest record past the first page and queries denials', async () => {
    const documents = DynamoDBDocumentClient.from(ddb.client, AUDIT_TRANSLATE_CONFIG);
    // 400 records of ~4 KB (more than one 1 MB Query page), the newest last.
    const records = Array.from({ length: 400 }, (_, i) => ({
      pk: INVESTIGATIONS,
      sk: `EVENT#${new Date(Date.parse('2027-06-10T00:00:00.000Z') + i * 60_000).toISOString()}#e${i}`,
      action: i === 399 ? 'REAPPLIED' : 'NOOP',
      eventAt: new Date(Date.parse('2027-06-10T00:00:00.000Z') + i * 60_000).toISOString(),
      detail: 'x'.repeat(4000),
    }));
    for (let i = 0; i < records.length; i += 25)
      await documents.send(
        new BatchWriteCommand({
          RequestItems: { [enforcementLedger]: records.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    const ledger = new AuditLedger(documents, AUDIT);
    const during = UPLOADS.find((u) => u.id === 'd-police-during')!;
    await ledger.recordDecision({ ...decisionOf(during), decidedAt: '2027-07-02T09:00:00.000Z' });
    const unknown = UPLOADS.find((u) => u.id === 'd-unknown')!;
    await ledger.recordDecision({ ...decisionOf(unknown), decidedAt: '2027-06-01T09:00:00.000Z' });
    const send = jest.spyOn(DynamoDBDocumentClient.prototype, 'send');

    const stack = stackFromOutputs(
      { stack: 'GovernedRecognition', region: 'eu-west-1' },
      {
        MoratoriumStart: settings.moratorium.start,
        MoratoriumEnd: settings.moratorium.end,
        EnforcementLedgerTableName: enforcementLedger,
        AuditTableName: AUDIT,
        AlarmTopicArn: 'arn:aws:sns:eu-west-1:111111111111:alarms',
      },
    );
    try {
      const status = await stackStatus(stack, settings, {
        now: new Date('2027-07-03T00:00:00.000Z'),
        sinceHours: 48,
      });

      expect(status.roles.map((r) => [r.roleArn, r.orgId])).toEqual([
        [INVESTIGATIONS, 'metro-police'],
        ['arn:aws:iam::111111111111:role/govrec-police-analysts', 'metro-police'],
        [ROGUE, UNREGISTERED],
      ]);
      expect(status.roles[0]!.lastRecord).toMatchObject({ action: 'REAPPLIED', at: records[399]!.eventAt });
      expect(status.recentDenials.map((d) => [d.decisionId, d.reason])).toEqual([
        ['d-police-during', 'MORATORIUM_IN_FORCE'],
      ]);
      expect(send.mock.calls.filter(([command]) => command instanceof ScanCommand)).toHaveLength(0);
    } finally {
      send.mockRestore();
      closeStack(stack);
    }
  });
});
