import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { AUDIT_INDEXES } from '../../../lambda/shared/audit';
import type { Decision } from '../../../lambda/shared/decision';
import { POLICE_ROLE_ARN, policeDenial, unknownCallerDenial } from './fixtures';
import { type LocalLedger, startLocalLedger } from './local-ledger';

// The audit-table queries of docs/runbook.md, run as written against the table the construct
// synthesizes: the documented commands are valid (keys, reserved words, projections) and answer
// what the runbook says they answer.
const RUNBOOK = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'runbook.md'), 'utf8');
const COMMAND_PREFIX = 'aws dynamodb query --table-name "$AUDIT_TABLE" ';

/** Every `aws dynamodb query` on the audit table in the runbook's `sh` blocks, continuation lines joined. */
const runbookQueries = (): string[] =>
  [...RUNBOOK.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((block) => block[1]!.replace(/\\\n\s*/g, '').split('\n'))
    .filter((line) => line.startsWith(COMMAND_PREFIX));

/** The QueryCommand input an `aws dynamodb query` command line sends. Unknown options fail the test. */
const toInput = (command: string, tableName: string): QueryCommandInput => {
  const words = [...command.slice(COMMAND_PREFIX.length).matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3]!,
  );
  const input: QueryCommandInput = { TableName: tableName };
  for (let i = 0; i < words.length; i += 2) {
    const [option, value] = [words[i]!, words[i + 1]!];
    if (option === '--index-name') input.IndexName = value;
    else if (option === '--key-condition-expression') input.KeyConditionExpression = value;
    else if (option === '--filter-expression') input.FilterExpression = value;
    else if (option === '--projection-expression') input.ProjectionExpression = value;
    else if (option === '--expression-attribute-values') input.ExpressionAttributeValues = JSON.parse(value);
    else if (option === '--expression-attribute-names') input.ExpressionAttributeNames = JSON.parse(value);
    else if (option === '--select') input.Select = value as QueryCommandInput['Select'];
    else throw new Error(`The test does not translate ${option} (in: ${command})`);
  }
  return input;
};

const ANALYSTS_ROLE_ARN = 'arn:aws:iam::111111111111:role/govrec-police-analysts';
const allowed = (decision: Decision): Decision => ({
  ...decision,
  effect: 'ALLOW',
  reason: 'ALLOWED',
  policyIds: ['registered-use'],
  moratorium: { ...decision.moratorium, inForce: false },
});
const byAnalysts = (decision: Decision): Decision => ({
  ...decision,
  caller: { ...decision.caller, roleArn: ANALYSTS_ROLE_ARN },
});
const SEED: readonly Decision[] = [
  allowed(policeDenial('before', '2027-06-09T23:59:59.999Z')), // 1 ms before the window: legitimately allowed
  policeDenial('case-1', '2027-06-10T00:00:00.000Z'),
  policeDenial('case-2', '2027-06-20T00:00:00.000Z'),
  byAnalysts(policeDenial('analyst-1', '2027-06-21T00:00:00.000Z')),
  policeDenial('case-3', '2027-07-01T00:00:00.001Z'), // 1 ms after the reviewer queries' range
  allowed(policeDenial('after', '2028-06-10T00:00:00.000Z')), // the window has ended: normal rules
  {
    ...unknownCallerDenial('2027-06-15T00:00:00.000Z'),
    caller: { principalId: 'AWS:AROAEXAMPLEID:session-name', restricted: false },
  },
];

describe('docs/runbook.md audit ledger queries, against the synthesized table in dynalite', () => {
  let local: LocalLedger;
  const queries = runbookQueries();
  const run = (index: number, override?: Partial<QueryCommandInput>): Promise<QueryCommandOutput> =>
    local.ddb.client.send(new QueryCommand({ ...toInput(queries[index]!, local.tableName), ...override }));
  const items = (output: QueryCommandOutput) => (output.Items ?? []).map((item) => unmarshall(item));

  beforeAll(async () => {
    local = await startLocalLedger();
    for (const decision of SEED) await local.ledger.recordDecision(decision);
  });

  afterAll(async () => {
    await local.ddb.stop();
  });

  it('has the six documented queries, covering every reviewer index', () => {
    expect(queries.map((command) => toInput(command, 'audit').IndexName)).toEqual([
      'byRole',
      'byOrganisation',
      'byPrincipal',
      'byEffectCategory',
      'byEffectCategory',
      'byRole',
    ]);
    expect(new Set(queries.map((command) => toInput(command, 'audit').IndexName))).toEqual(
      new Set(Object.keys(AUDIT_INDEXES)),
    );
  });

  it('byRole: every decision of one role in the range, across its sessions, with the projected fields only', async () => {
    const found = items(await run(0));
    expect(found.map((item) => item.principalId)).toEqual([
      'AWS:AROAPOLICEINVESTIGATE:case-1',
      'AWS:AROAPOLICEINVESTIGATE:case-2',
    ]);
    expect(Object.keys(found[0]!).sort()).toEqual([
      'decidedAt',
      'decisionId',
      'effect',
      'object',
      'policyIds',
      'principalId',
      'reason',
    ]);
    expect(found[0]!.object).toEqual({
      bucket: 'intake',
      key: 'incoming/metro-police/search/case-1.jpg',
      versionId: 'v1',
    });
  });

  it('byOrganisation: every decision of the organisation in the range, whichever role', async () => {
    expect(items(await run(1)).map((item) => [item.decidedAt, item.roleArn])).toEqual([
      ['2027-06-10T00:00:00.000Z', POLICE_ROLE_ARN],
      ['2027-06-20T00:00:00.000Z', POLICE_ROLE_ARN],
      ['2027-06-21T00:00:00.000Z', ANALYSTS_ROLE_ARN],
    ]);
  });

  it('byPrincipal: the caller that was never resolved', async () => {
    expect(items(await run(2))).toEqual([
      expect.objectContaining({
        effect: 'DENY',
        reason: 'UNKNOWN_PRINCIPAL',
        orgId: 'thorn-like',
        detail: 'no registered role has id AROASTRANGER',
      }),
    ]);
  });

  it('byEffectCategory DENY#police: the restricted denials in the range', async () => {
    expect(items(await run(3)).map((item) => item.principalId)).toEqual([
      'AWS:AROAPOLICEINVESTIGATE:case-1',
      'AWS:AROAPOLICEINVESTIGATE:case-2',
      'AWS:AROAPOLICEINVESTIGATE:analyst-1',
    ]);
  });

  it('the auditor query ALLOW#police counts 0 inside the window, and finds the allows 1 ms either side of it', async () => {
    expect((await run(4)).Count).toBe(0);
    const widened = {
      ':ec': { S: 'ALLOW#police' },
      ':from': { S: '2027-06-09T23:59:59.999Z' },
      ':to': { S: '2028-06-10T00:00:00.000Z' },
    };
    expect((await run(4, { ExpressionAttributeValues: widened })).Count).toBe(2);
  });

  it("the auditor query per role counts 0 allows among the role's decisions in the window", async () => {
    const output = await run(5);
    expect([output.Count, output.ScannedCount]).toEqual([0, 3]);
  });
});
