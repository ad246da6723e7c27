/**
 * EnforceRole with its ledger tasks served by dynalite through the real DynamoDB client (as in
 * the offline run): the record lands, and a redelivered event is caught by the conditional put.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { fixedClock } from '../../lambda/shared/moratorium';
import { dynamoDbService } from '../../local/stepfunctions/dynamodb-binding';
import { enforcementBindings } from '../../local/stepfunctions/enforcement-bindings';
import { FakeAws } from '../../local/stepfunctions/fake-aws';
import { type Json, runLocally } from '../../local/stepfunctions/runner';
import { exampleSettings, RESTRICTED_TAG, synthEnforcement } from '../helpers/asl';
import { ACCOUNT, roleArn, roleSessionCall } from './events';

const synthesized = synthEnforcement();
const server = dynalite({ createTableMs: 0 });
let client: DynamoDBClient;
const TABLE = 'local-enforcement-ledger';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
    }),
  );
});
afterAll(async () => {
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('EnforceRole with the ledger in dynalite', () => {
  it('writes the window and event records once, even when the event is redelivered', async () => {
    const aws = new FakeAws(ACCOUNT);
    aws.iam.addRole('govrec-police-analysts');
    const ledgerLogicalId = synthesized.stack.getLogicalId(synthesized.workflows.ledger.node.defaultChild as never);
    const bindings = enforcementBindings({
      settings: exampleSettings,
      clock: fixedClock('2027-09-01T10:00:00Z'),
      accountId: ACCOUNT,
      restrictedTag: RESTRICTED_TAG,
      intakeBucketArn: 'arn:aws:s3:::govrec-intake',
      roleReader: aws.iam.reader(),
      service: dynamoDbService(client, { [ledgerLogicalId]: TABLE }, aws.service),
    });
    const event = roleSessionCall('govrec-police-analysts', {
      eventTime: '2027-09-01T09:59:00Z',
      eventId: 'evt-ddb',
    }) as unknown as Json;
    const { definition, arn } = synthesized.machines.enforceRole;

    const first = await runLocally(definition, event, bindings, { stateMachineArn: arn, executionName: 'first' });
    const second = await runLocally(definition, event, bindings, { stateMachineArn: arn, executionName: 'second' });

    expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(second.statesEntered.at(-1)).toBe('Event already recorded');
    const items = (await client.send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
    expect(items.map((item) => [item.pk?.S, item.sk?.S, item.action?.S ?? item.status?.S]).sort()).toEqual([
      [roleArn('govrec-police-analysts'), 'EVENT#2027-09-01T09:59:00.000Z#evt-ddb', 'DISABLED'],
      [roleArn('govrec-police-analysts'), 'WINDOW#2028-06-10T00:00:00.000Z', 'DISABLED'],
    ]);
  });
});
