/**
 * `govrec status --stack`: the moratorium window, each restricted role's state in IAM and in the
 * enforcement ledger, recent denials from the audit ledger, and the stack's alarms in ALARM.
 * A part that cannot be read is reported as such, never guessed.
 */
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { DynamoDBDocumentClient, paginateQuery, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { categoryOf } from '../../lambda/enforcement/roles/plan';
import { iamRoleReader, listRolesWithTags } from '../../lambda/enforcement/roles/roles';
import { AUDIT_INDEXES, DEFAULTS } from '../../lambda/shared/contracts';
import type { Decision } from '../../lambda/shared/decision';
import { type GovernanceSettings, isRestrictedCategory } from '../../lambda/shared/settings';
import type { DeployedStack } from './stack';

/** The inline policy the enforcement workflow puts on a disabled role (see docs/enforcement.md). */
export const DENY_POLICY_NAME = 'govrec-moratorium-deny';

export interface RoleStatus {
  readonly roleArn: string;
  readonly orgId: string;
  /** Whether IAM shows the deny policy on the role; undefined when IAM could not be read. */
  readonly denyInIam?: boolean;
  readonly iamError?: string;
  /** The role's latest enforcement record (action and time). */
  readonly lastRecord?: { readonly action: string; readonly at: string; readonly until?: string };
}

export interface RecentDenial {
  readonly decisionId: string;
  readonly reason: string;
  readonly decidedAt: string;
  readonly orgId: string;
  readonly principalId: string;
}

export interface StackStatus {
  readonly stack: string;
  readonly window: { readonly start: string; readonly end: string; readonly inForce: boolean };
  /** Registered restricted roles, then roles restricted only by the restricted tag (orgId UNREGISTERED). */
  readonly roles: readonly RoleStatus[];
  /** Why the account's roles and tags could not be listed (tag-restricted roles are then missing). */
  readonly taggedRolesError?: string;
  readonly recentDenials: readonly RecentDenial[];
  readonly since: string;
  /** Names of the stack's alarms in ALARM; undefined when CloudWatch could not be read. */
  readonly alarmsInAlarm?: readonly string[];
  readonly alarmsError?: string;
  /** Whether everything was read and nothing needs attention. */
  readonly ok: boolean;
}

/** The `orgId` of a role restricted by its tag alone. */
export const UNREGISTERED = 'unregistered (tagged)';

const roleName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

export interface StatusOptions {
  readonly now: Date;
  readonly sinceHours: number;
  /** The tag that restricts a role outside the registry. @default DEFAULTS.restrictedTag */
  readonly restrictedTag?: { readonly key: string; readonly value: string };
}

/** The role's latest enforcement event: the ledger's sort key `EVENT#<at>#…` read newest first. */
const lastRecordOf = async (
  documents: DynamoDBDocumentClient,
  ledger: string,
  roleArn: string,
): Promise<RoleStatus['lastRecord']> => {
  const page = await documents.send(
    new QueryCommand({
      TableName: ledger,
      KeyConditionExpression: 'pk = :role AND begins_with(sk, :event)',
      ExpressionAttributeValues: { ':role': roleArn, ':event': 'EVENT#' },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const item = page.Items?.[0];
  if (item === undefined || typeof item.action !== 'string') return undefined;
  return {
    action: item.action,
    at: String(item.eventAt ?? item.recordedAt ?? ''),
    ...(typeof item.until === 'string' ? { until: item.until } : {}),
  };
};

/** Whether IAM shows the deny policy on the role. */
const iamStateOf = async (iam: IAMClient, roleArn: string): Promise<Pick<RoleStatus, 'denyInIam' | 'iamError'>> => {
  try {
    await iam.send(new GetRolePolicyCommand({ RoleName: roleName(roleArn), PolicyName: DENY_POLICY_NAME }));
    return { denyInIam: true };
  } catch (error) {
    // NoSuchEntity is the answer "no deny on this role"; anything else is a read we could not make.
    return (error as Error).name === 'NoSuchEntityException' || (error as Error).name === 'NoSuchEntity'
      ? { denyInIam: false }
      : { iamError: (error as Error).name || (error as Error).message };
  }
};

/**
 * The denials decided since `since`, through the audit ledger's byEffectCategory index
 * (`DENY#<category>`, sorted by decidedAt): one paginated Query per category the configuration
 * knows, plus `unknown`.
 */
const recentDenialsOf = async (
  documents: DynamoDBDocumentClient,
  table: string,
  settings: GovernanceSettings,
  categories: readonly string[],
  since: string,
): Promise<RecentDenial[]> => {
  const found: Decision[] = [];
  const keys = [...new Set([...settings.organisations.map((o) => o.category), ...categories, 'unknown'])].map(
    (category) => `DENY#${category}`,
  );
  const index = AUDIT_INDEXES.byEffectCategory;
  for (const key of keys) {
    for await (const page of paginateQuery(
      { client: documents },
      {
        TableName: table,
        IndexName: 'byEffectCategory',
        KeyConditionExpression: '#p = :p AND #s >= :since',
        ExpressionAttributeNames: { '#p': index.partition, '#s': index.sort },
        ExpressionAttributeValues: { ':p': key, ':since': since },
      },
    )) {
      for (const item of page.Items ?? []) if (item.entry === 'DECISION') found.push(item.decision as Decision);
    }
  }
  return found
    .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt))
    .map((d) => ({
      decisionId: d.decisionId,
      reason: d.reason,
      decidedAt: d.decidedAt,
      orgId: d.request.orgId,
      principalId: d.caller.principalId,
    }));
};

export const stackStatus = async (
  stack: DeployedStack,
  settings: GovernanceSettings,
  options: StatusOptions,
): Promise<StackStatus> => {
  const { iam, dynamodb, cloudwatch } = stack.clients;
  const start = stack.output('MoratoriumStart');
  const end = stack.output('MoratoriumEnd');
  const now = options.now.toISOString();
  const inForce = now >= new Date(start).toISOString() && now < new Date(end).toISOString();
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const ledger = stack.output('EnforcementLedgerTableName');
  const restrictedTag = options.restrictedTag ?? DEFAULTS.restrictedTag;

  // The registered restricted roles, then every other role of the account tagged restricted.
  const restricted: { roleArn: string; orgId: string }[] = settings.organisations
    .filter((o) => isRestrictedCategory(settings, o.category))
    .flatMap((org) => org.roleArns.map((roleArn) => ({ roleArn, orgId: org.id })));
  let taggedRolesError: string | undefined;
  try {
    for (const role of await listRolesWithTags(iamRoleReader(iam))) {
      const category = categoryOf(role, { settings, restrictedTag });
      if (category !== undefined && !restricted.some((r) => roleName(r.roleArn) === role.roleName))
        restricted.push({ roleArn: role.roleArn, orgId: UNREGISTERED });
    }
  } catch (error) {
    const cause = (error as { cause?: Error }).cause ?? (error as Error);
    taggedRolesError = cause.name || cause.message;
  }

  const roles: RoleStatus[] = [];
  for (const { roleArn, orgId } of restricted) {
    const last = await lastRecordOf(documents, ledger, roleArn);
    roles.push({
      roleArn,
      orgId,
      ...(await iamStateOf(iam, roleArn)),
      ...(last !== undefined ? { lastRecord: last } : {}),
    });
  }

  const since = new Date(options.now.getTime() - options.sinceHours * 3_600_000).toISOString();
  const recentDenials = await recentDenialsOf(
    documents,
    stack.output('AuditTableName'),
    settings,
    [...settings.moratorium.restrictedCategories, restrictedTag.value],
    since,
  );

  let alarms: Pick<StackStatus, 'alarmsInAlarm' | 'alarmsError'>;
  try {
    const topic = stack.output('AlarmTopicArn');
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await cloudwatch.send(new DescribeAlarmsCommand({ StateValue: 'ALARM', NextToken: token }));
      for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])])
        if ((alarm.AlarmActions ?? []).includes(topic)) names.push(alarm.AlarmName ?? '');
      token = page.NextToken;
    } while (token !== undefined);
    alarms = { alarmsInAlarm: names };
  } catch (error) {
    alarms = { alarmsError: (error as Error).name || (error as Error).message };
  }

  const roleProblem =
    taggedRolesError !== undefined || roles.some((r) => r.iamError !== undefined || (inForce && r.denyInIam === false));
  const ok = !roleProblem && alarms.alarmsInAlarm !== undefined && alarms.alarmsInAlarm.length === 0;
  return {
    stack: stack.name,
    window: { start, end, inForce },
    roles,
    ...(taggedRolesError !== undefined ? { taggedRolesError } : {}),
    recentDenials,
    since,
    ...alarms,
    ok,
  };
};
