/**
 * The Step Functions DynamoDB integration (`arn:aws:states:::dynamodb:putItem|getItem`) served by
 * a real DynamoDB client, e.g. one pointed at dynalite in the offline run. Errors are renamed the
 * way Step Functions names them, so the definitions' Catch clauses match.
 */
import {
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { GovrecError } from '../../lambda/shared/errors';
import { sfnError } from './fake-iam';
import type { Json, TaskBindings } from './runner';

/** Raised for a DynamoDB action the enforcement definitions do not use. */
export class UnsupportedDynamoDbActionError extends GovrecError {
  constructor(action: string) {
    super(`dynamoDbService implements putItem and getItem, not ${action}`);
  }
}

/**
 * Serve `dynamodb:*` tasks with `client`; other services go to `fallback`.
 * `tableNames` maps the definition's table names (placeholders: logical ids) to local names.
 *
 * @example
 * const service = dynamoDbService(ddb.client, ddb.tables, fakeAws.service);
 */
export const dynamoDbService =
  (
    client: DynamoDBClient,
    tableNames: Readonly<Record<string, string>>,
    fallback: TaskBindings['service'],
  ): TaskBindings['service'] =>
  async (service, action, parameters, integration) => {
    if (service !== 'dynamodb') return fallback(service, action, parameters, integration);
    const params = parameters as Record<string, unknown>;
    const TableName = tableNames[String(params.TableName)] ?? String(params.TableName);
    // The optimized integration names errors DynamoDB.*; the SDK integration DynamoDb.*.
    const prefix = integration === 'optimized' ? 'DynamoDB' : 'DynamoDb';
    try {
      if (action === 'putItem') {
        await client.send(new PutItemCommand({ ...(params as unknown as PutItemCommandInput), TableName }));
        return {};
      }
      if (action === 'getItem') {
        const result = await client.send(
          new GetItemCommand({ ...(params as unknown as GetItemCommandInput), TableName }),
        );
        return (result.Item === undefined ? {} : { Item: result.Item }) as Json;
      }
    } catch (error) {
      throw Object.assign(sfnError(`${prefix}.${(error as Error).name}`, (error as Error).message), { cause: error });
    }
    throw new UnsupportedDynamoDbActionError(action);
  };
