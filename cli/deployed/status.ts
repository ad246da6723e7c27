/**
 * `govrec status --stack`: the moratorium window, each restricted role's state in IAM and in the
 * enforcement ledger, recent denials from the audit ledger, and the stack's alarms in ALARM.
 * A part that cannot be read is reported as such, never guessed.
 */
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Decision } from '../../lambda/shared/decision';
import { type GovernanceSettings, isRestrictedCategory } from '../../lambda/shared/settings';
import { scanAll } from '../../local/report';
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
  readonly roles: readonly RoleStatus[];
  readonly recentDenials: readonly RecentDenial[];
  readonly since: string;
  /** Names of the stack's alarms in ALARM; undefined when CloudWatch could not be read. */
  readonly alarmsInAlarm?: readonly string[];
  readonly alarmsError?: string;
  /** Whether everything was read and nothing needs attention. */
  readonly ok: boolean;
}

const roleName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

export const stackStatus = async (
  stack: DeployedStack,
  settings: GovernanceSettings,
  options: { readonly now: Date; readonly sinceHours: number },
): Promise<StackStatus> => {
  const { iam, dynamodb, cloudwatch } = stack.clients;
  const start = stack.output('MoratoriumStart');
  const end = stack.output('MoratoriumEnd');
  const now = options.now.toISOString();
  const inForce = now >= new Date(start).toISOString() && now < new Date(end).toISOString();
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const ledger = stack.output('EnforcementLedgerTableName');

  const roles: RoleStatus[] = [];
  for (const org of settings.organisations.filter((o) => isRestrictedCategory(settings, o.category))) {
    for (const roleArn of org.roleArns) {
      let iamState: Pick<RoleStatus, 'denyInIam' | 'iamError'>;
      try {
        await iam.send(new GetRolePolicyCommand({ RoleName: roleName(roleArn), PolicyName: DENY_POLICY_NAME }));
        iamState = { denyInIam: true };
      } catch (error) {
        // NoSuchEntity is the answer "no deny on this role"; anything else is a read we could not make.
        iamState =
          (error as Error).name === 'NoSuchEntityException' || (error as Error).name === 'NoSuchEntity'
            ? { denyInIam: false }
            : { iamError: (error as Error).name || (error as Error).message };
      }
      const records = await documents.send(
        new QueryCommand({
          TableName: ledger,
          KeyConditionExpression: 'pk = :role',
          ExpressionAttributeValues: { ':role': roleArn },
        }),
      );
      const last = (records.Items ?? [])
        .filter((item) => typeof item.action === 'string')
        .map((item) => ({
          action: String(item.action),
          at: String(item.eventAt ?? item.recordedAt ?? ''),
          ...(typeof item.until === 'string' ? { until: item.until } : {}),
        }))
        .sort((a, b) => a.at.localeCompare(b.at))
        .at(-1);
      roles.push({ roleArn, orgId: org.id, ...iamState, ...(last !== undefined ? { lastRecord: last } : {}) });
    }
  }

  const since = new Date(options.now.getTime() - options.sinceHours * 3_600_000).toISOString();
  const recentDenials = (await scanAll(dynamodb, stack.output('AuditTableName')))
    .filter((item) => item.entry === 'DECISION')
    .map((item) => item.decision as Decision)
    .filter((d) => d.effect === 'DENY' && d.decidedAt >= since)
    .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt))
    .map((d) => ({
      decisionId: d.decisionId,
      reason: d.reason,
      decidedAt: d.decidedAt,
      orgId: d.request.orgId,
      principalId: d.caller.principalId,
    }));

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

  const roleProblem = roles.some((r) => r.iamError !== undefined || (inForce && r.denyInIam === false));
  const ok = !roleProblem && alarms.alarmsInAlarm !== undefined && alarms.alarmsInAlarm.length === 0;
  return { stack: stack.name, window: { start, end, inForce }, roles, recentDenials, since, ...alarms, ok };
};
