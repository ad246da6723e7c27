/**
 * The audit table exactly as `AuditLedgerTable` synthesizes it, created in dynalite the way the
 * offline run creates template tables (`createTableInputFor`), with a ledger writing to it.
 */

import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { AUDIT_TRANSLATE_CONFIG, AuditLedger } from '../../../lambda/shared/audit';
import { AuditLedgerTable } from '../../../lib/constructs/decision/audit-ledger-table';
import { createTableInputFor, type LocalDynamoDb, startLocalDynamoDb } from '../../../local/dynamodb';
import type { CfnResource } from '../../../local/template-load';

export interface LocalLedger {
  readonly ddb: LocalDynamoDb;
  readonly documents: DynamoDBDocumentClient;
  readonly ledger: AuditLedger;
  readonly tableName: string;
}

/** The synthesized CloudFormation resource of the audit table (no bundling: the stack has no function). */
export const synthesizedAuditTable = (): CfnResource => {
  const stack = new Stack(new App(), 'AuditIndexes', { env: { account: '111111111111', region: 'eu-west-1' } });
  const construct = new AuditLedgerTable(stack, 'AuditLedger');
  return Template.fromStack(stack).toJSON().Resources[
    stack.getLogicalId(construct.table.node.defaultChild as CfnTable)
  ];
};

/** Start dynalite with the synthesized audit table in it. Stop it with `ddb.stop()`. */
export const startLocalLedger = async (tableName = 'audit'): Promise<LocalLedger> => {
  const ddb = await startLocalDynamoDb({ region: 'eu-west-1' });
  await ddb.client.send(new CreateTableCommand(createTableInputFor(tableName, synthesizedAuditTable())));
  const documents = DynamoDBDocumentClient.from(ddb.client, AUDIT_TRANSLATE_CONFIG);
  return { ddb, documents, ledger: new AuditLedger(documents, tableName), tableName };
};
