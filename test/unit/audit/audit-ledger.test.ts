import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { AUDIT_TRANSLATE_CONFIG, AuditLedger, AuditWriteError } from '../../../lambda/shared/audit';
import { POLICE_ROLE_ARN, policeDenial, quarantined, TABLE, unknownCallerDenial, WINDOW } from './fixtures';

const DECIDED_AT = '2027-07-01T00:00:01.000Z';
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const setup = () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const ledger = new AuditLedger(DynamoDBDocumentClient.from(new DynamoDBClient({}), AUDIT_TRANSLATE_CONFIG), TABLE);
  return { dynamo, ledger };
};

/** The item as the document client sends it (AUDIT_TRANSLATE_CONFIG drops undefined fields). */
const onTheWire = (item: Record<string, unknown>) => marshall(item, AUDIT_TRANSLATE_CONFIG.marshallOptions);

describe('AuditLedger.recordDecision', () => {
  it('puts the exact DECISION item, guarded by attribute_not_exists(decisionId)', async () => {
    const { dynamo, ledger } = setup();
    dynamo.on(PutCommand).resolves({});
    const decision = policeDenial('case-7', DECIDED_AT);

    await expect(ledger.recordDecision(decision)).resolves.toEqual({ decision, created: true });

    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(decisionId)',
      Item: {
        decisionId: decision.decisionId,
        entry: 'DECISION',
        effect: 'DENY',
        reason: 'MORATORIUM_IN_FORCE',
        policyIds: ['moratorium-forbid'],
        decidedAt: DECIDED_AT,
        requestedAt: DECIDED_AT,
        orgId: 'metro-police',
        principalId: 'AWS:AROAPOLICEINVESTIGATE:case-7',
        roleArn: POLICE_ROLE_ARN,
        callerOrgId: 'metro-police',
        category: 'police',
        restricted: true,
        effectCategory: 'DENY#police',
        operation: 'search',
        purpose: 'criminal-investigation',
        object: { bucket: 'intake', key: 'incoming/metro-police/search/case-7.jpg', versionId: 'v1' },
        moratorium: { ...WINDOW, inForce: true },
        decision,
        contentHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      },
    });
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 0);
  });

  it('leaves roleArn and callerOrgId out for an unresolved caller, so the decision is in byPrincipal but not byRole', async () => {
    const { dynamo, ledger } = setup();
    dynamo.on(PutCommand).resolves({});
    const decision = unknownCallerDenial(DECIDED_AT);

    await ledger.recordDecision(decision);

    const item = onTheWire(dynamo.commandCalls(PutCommand)[0]!.args[0].input.Item!);
    expect(Object.keys(item).sort()).toEqual([
      'category',
      'contentHash',
      'decidedAt',
      'decision',
      'decisionId',
      'detail',
      'effect',
      'effectCategory',
      'entry',
      'moratorium',
      'object',
      'operation',
      'orgId',
      'policyIds',
      'principalId',
      'purpose',
      'reason',
      'requestedAt',
      'restricted',
    ]);
    expect(item).toMatchObject({
      principalId: { S: 'AWS:AROASTRANGER:s' },
      effectCategory: { S: 'DENY#unknown' },
      category: { S: 'unknown' },
      restricted: { BOOL: false },
    });
  });

  it('puts no empty roleArn (an index key cannot be empty): the decision is still recorded, outside byRole', async () => {
    const { dynamo, ledger } = setup();
    dynamo.on(PutCommand).resolves({});
    const resolved = policeDenial('case-8', DECIDED_AT);
    const decision = { ...resolved, caller: { ...resolved.caller, roleArn: '' } };

    await expect(ledger.recordDecision(decision)).resolves.toEqual({ decision, created: true });

    const item = onTheWire(dynamo.commandCalls(PutCommand)[0]!.args[0].input.Item!);
    expect(item.roleArn).toBeUndefined();
    expect(item.decision!.M!.caller!.M!.roleArn).toEqual({ S: '' });
  });

  it('returns the stored decision, unchanged and not created, when the object was already decided (a retry)', async () => {
    const { dynamo, ledger } = setup();
    const stored = policeDenial('case-7', DECIDED_AT);
    const retried = {
      ...stored,
      effect: 'ALLOW' as const,
      reason: 'ALLOWED' as const,
      decidedAt: '2027-07-01T00:05:00.000Z',
    };
    dynamo.on(PutCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: { decisionId: stored.decisionId, entry: 'DECISION', decision: stored } });

    await expect(ledger.recordDecision(retried)).resolves.toEqual({ decision: stored, created: false });

    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 1);
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Key: { decisionId: stored.decisionId, entry: 'DECISION' },
      ConsistentRead: true,
    });
  });

  it('treats an error named ConditionalCheckFailedException (another SDK copy) as a retry too', async () => {
    const { dynamo, ledger } = setup();
    const stored = policeDenial('case-7', DECIDED_AT);
    dynamo
      .on(PutCommand)
      .rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));
    dynamo.on(GetCommand).resolves({ Item: { decision: stored } });

    await expect(ledger.recordDecision(stored)).resolves.toEqual({ decision: stored, created: false });
  });

  it('raises AuditWriteError, with the cause, when the put fails for any other reason', async () => {
    const { dynamo, ledger } = setup();
    const cause = Object.assign(new Error('Throughput exceeds the current capacity'), {
      name: 'ProvisionedThroughputExceededException',
    });
    dynamo.on(PutCommand).rejects(cause);
    const decision = policeDenial('case-7', DECIDED_AT);

    const error = await ledger.recordDecision(decision).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuditWriteError);
    expect(error).toMatchObject({
      name: 'AuditWriteError',
      message: `Could not record decision ${decision.decisionId}`,
      cause,
    });
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 0);
  });

  it('raises AuditWriteError when the decision exists but cannot be read back', async () => {
    const { dynamo, ledger } = setup();
    dynamo.on(PutCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({});
    const decision = policeDenial('case-7', DECIDED_AT);

    const error = await ledger.recordDecision(decision).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuditWriteError);
    expect(error).toMatchObject({ message: `Decision ${decision.decisionId} exists but could not be read` });
    expect((error as AuditWriteError).cause).toBeInstanceOf(ConditionalCheckFailedException);
  });
});

describe('AuditLedger.recordOutcome', () => {
  it('puts the exact OUTCOME item under the decision id, guarded by attribute_not_exists(decisionId)', async () => {
    const { dynamo, ledger } = setup();
    dynamo.on(PutCommand).resolves({});
    const record = quarantined(policeDenial('case-7', DECIDED_AT));

    await expect(ledger.recordOutcome(record)).resolves.toBe(true);

    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(decisionId)',
      Item: {
        decisionId: record.decisionId,
        entry: 'OUTCOME',
        outcome: 'QUARANTINED',
        outcomeOrgId: 'metro-police',
        recordedAt: '2027-07-01T00:00:02.000Z',
        record,
        contentHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      },
    });
  });

  it('carries none of the index keys, so outcomes stay out of every reviewer index', async () => {
    const { dynamo, ledger } = setup();
    dynamo.on(PutCommand).resolves({});
    await ledger.recordOutcome(quarantined(policeDenial('case-7', DECIDED_AT)));

    const item = onTheWire(dynamo.commandCalls(PutCommand)[0]!.args[0].input.Item!);
    for (const key of ['orgId', 'roleArn', 'principalId', 'effectCategory', 'decidedAt'])
      expect(item[key]).toBeUndefined();
  });

  it('returns false when the outcome was already recorded (a retry)', async () => {
    const { dynamo, ledger } = setup();
    dynamo.on(PutCommand).rejects(conditionFailed());
    await expect(ledger.recordOutcome(quarantined(policeDenial('case-7', DECIDED_AT)))).resolves.toBe(false);
    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it('raises AuditWriteError, with the cause, when the put fails for any other reason', async () => {
    const { dynamo, ledger } = setup();
    const cause = Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });
    dynamo.on(PutCommand).rejects(cause);
    const record = quarantined(policeDenial('case-7', DECIDED_AT));

    await expect(ledger.recordOutcome(record)).rejects.toMatchObject({
      name: 'AuditWriteError',
      message: `Could not record outcome for ${record.decisionId}`,
      cause,
    });
  });
});

describe('AuditLedger reads', () => {
  it('reads the decision and the outcome back with consistent reads of their exact keys', async () => {
    const { dynamo, ledger } = setup();
    const decision = policeDenial('case-7', DECIDED_AT);
    const record = quarantined(decision);
    dynamo
      .on(GetCommand, { Key: { decisionId: decision.decisionId, entry: 'DECISION' } })
      .resolves({ Item: { decision } });
    dynamo
      .on(GetCommand, { Key: { decisionId: decision.decisionId, entry: 'OUTCOME' } })
      .resolves({ Item: { record } });

    await expect(ledger.getDecision(decision.decisionId)).resolves.toEqual(decision);
    await expect(ledger.getOutcome(decision.decisionId)).resolves.toEqual(record);
    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: TABLE, Key: { decisionId: decision.decisionId, entry: 'DECISION' }, ConsistentRead: true },
      { TableName: TABLE, Key: { decisionId: decision.decisionId, entry: 'OUTCOME' }, ConsistentRead: true },
    ]);
  });

  it('returns undefined for an upload with no record', async () => {
    const { dynamo, ledger } = setup();
    dynamo.on(GetCommand).resolves({});
    await expect(ledger.getDecision('d-none')).resolves.toBeUndefined();
    await expect(ledger.getOutcome('d-none')).resolves.toBeUndefined();
  });
});
