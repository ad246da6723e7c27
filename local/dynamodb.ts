/**
 * The local DynamoDB: dynalite in memory on 127.0.0.1 and a random port, with the tables the
 * synthesized template declares (named by `local/template.ts`, so the names match the functions'
 * resolved environments).
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { LocalServerError, TemplateError } from './errors';
import type { LocalTemplate } from './template';
import type { CfnResource } from './template-load';

interface KeyElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}
interface IndexSpec {
  IndexName: string;
  KeySchema: KeyElement[];
  Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
}

/**
 * The CreateTable request for a template table. Capacity settings are dropped (every local table
 * is on-demand), as are the settings dynalite does not implement: TTL, point-in-time recovery,
 * SSE, streams, replicas, deletion protection. They matter on AWS and are asserted in the infra
 * tests, not here.
 */
export const createTableInputFor = (name: string, resource: CfnResource): CreateTableCommandInput => {
  if (resource.Type !== 'AWS::DynamoDB::Table' && resource.Type !== 'AWS::DynamoDB::GlobalTable') {
    throw new TemplateError(`${resource.Type} is not a DynamoDB table`);
  }
  const props = resource.Properties ?? {};
  const index = (spec: IndexSpec) => ({
    IndexName: spec.IndexName,
    KeySchema: spec.KeySchema,
    Projection: spec.Projection ?? { ProjectionType: 'ALL' },
  });
  const gsis = (props.GlobalSecondaryIndexes as IndexSpec[] | undefined)?.map(index);
  const lsis = (props.LocalSecondaryIndexes as IndexSpec[] | undefined)?.map(index);
  if (!Array.isArray(props.KeySchema) || !Array.isArray(props.AttributeDefinitions)) {
    throw new TemplateError(`Table ${name} lacks KeySchema or AttributeDefinitions`);
  }
  return {
    TableName: name,
    KeySchema: props.KeySchema as KeyElement[],
    AttributeDefinitions: props.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
    BillingMode: 'PAY_PER_REQUEST',
    ...(gsis !== undefined && gsis.length > 0
      ? { GlobalSecondaryIndexes: gsis as CreateTableCommandInput['GlobalSecondaryIndexes'] }
      : {}),
    ...(lsis !== undefined && lsis.length > 0
      ? { LocalSecondaryIndexes: lsis as CreateTableCommandInput['LocalSecondaryIndexes'] }
      : {}),
  };
};

export interface LocalDynamoDbOptions {
  /** Create every table of this template. */
  readonly template?: LocalTemplate;
  /** @default process.env.AWS_REGION ?? 'eu-west-1' */
  readonly region?: string;
}

/** A running local DynamoDB. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** `{ AWS_ENDPOINT_URL_DYNAMODB }` for a handler's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Logical id -> table name of the tables created from the template. */
  readonly tables: Readonly<Record<string, string>>;
  createTablesFrom(template: LocalTemplate): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Start dynalite and create the template's tables.
 *
 * @example
 * const ddb = await startLocalDynamoDb({ template: stack });
 * const audit = ddb.tables[stack.byPrefix('AWS::DynamoDB::Table', 'GovernedRecognitionAuditLedger').logicalId];
 */
export const startLocalDynamoDb = async (options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> => {
  const region = options.region ?? process.env.AWS_REGION ?? 'eu-west-1';
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new LocalServerError('dynalite did not start', { cause: error })));
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // dynalite checks neither key nor signature; any credentials do.
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const tables: Record<string, string> = {};

  const createTablesFrom = async (template: LocalTemplate): Promise<Record<string, string>> => {
    const created: Record<string, string> = {};
    for (const table of template.resourcesOfType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable')) {
      try {
        await client.send(new CreateTableCommand(createTableInputFor(table.name, table.resource)));
      } catch (error) {
        throw new LocalServerError(`dynalite refused table ${table.name} (${table.logicalId})`, { cause: error });
      }
      created[table.logicalId] = table.name;
    }
    Object.assign(tables, created);
    return created;
  };
  if (options.template !== undefined) await createTablesFrom(options.template);

  return {
    endpoint,
    client,
    env: { AWS_ENDPOINT_URL_DYNAMODB: endpoint },
    tables,
    createTablesFrom,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        client.destroy();
        server.close((error) =>
          error ? reject(new LocalServerError('dynalite did not stop', { cause: error })) : resolve(),
        );
      }),
  };
};
