import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { carriedHash, contentHash } from '../../../lambda/evidence/canonical';
import { policeDenial, quarantined, unknownCallerDenial } from '../audit/fixtures';
import { type LocalLedger, startLocalLedger } from '../audit/local-ledger';

describe('AuditLedger content hashes, read back raw from dynalite', () => {
  let local: LocalLedger;
  beforeAll(async () => {
    local = await startLocalLedger();
  });
  afterAll(() => local.ddb.stop());

  const raw = async (decisionId: string, entry: string) =>
    (
      await local.ddb.client.send(
        new GetItemCommand({ TableName: local.tableName, Key: { decisionId: { S: decisionId }, entry: { S: entry } } }),
      )
    ).Item!;

  it.each([
    ['a resolved police denial', policeDenial('case-1', '2027-07-01T00:00:00.000Z')],
    ['an unresolved caller', unknownCallerDenial('2027-07-02T00:00:00.000Z')],
  ])('stores DECISION and OUTCOME items whose carried hash is the hash of what is stored (%s)', async (_, decision) => {
    await local.ledger.recordDecision(decision);
    await local.ledger.recordOutcome(quarantined(decision));

    for (const entry of ['DECISION', 'OUTCOME']) {
      const item = await raw(decision.decisionId, entry);
      expect(carriedHash(item)).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(carriedHash(item)).toBe(contentHash(item));
    }
  });
});
