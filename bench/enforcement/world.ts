/**
 * A fresh in-memory AWS for each enforcement run (FakeAws: IAM roles, ledger, topic), with the
 * workflows' Lambda tasks served by the enforcer's own functions, and a probe that notes when
 * the deny policy is written.
 */
import { DENY_POLICY_NAME } from '../../lambda/enforcement/enforcer/documents';
import { fixedClock } from '../../lambda/shared/moratorium';
import type { GovernanceSettings } from '../../lambda/shared/settings';
import { enforcementBindings, FakeAws, type Json, LOCAL_ENV, type TaskBindings } from '../../local/stepfunctions';
import { nowMs } from '../lib/measure';
import { INTAKE_BUCKET_ARN, RESTRICTED_TAG } from './synth';

export interface World {
  readonly aws: FakeAws;
  readonly bindings: TaskBindings;
  /** `nowMs()` when the first deny policy was put, per role name. */
  readonly denyPutAt: Map<string, number>;
}

/** IAM ListRoles answers up to 100 roles a page by default. */
const PAGE_SIZE = 100;

export const createWorld = (settings: GovernanceSettings, now: string): World => {
  const aws = new FakeAws(LOCAL_ENV.account);
  const denyPutAt = new Map<string, number>();
  const service: TaskBindings['service'] = (svc, action, parameters) => {
    const result = aws.service(svc, action, parameters);
    const params = parameters as { RoleName?: string; PolicyName?: string };
    if (
      svc === 'iam' &&
      action === 'putRolePolicy' &&
      params.PolicyName === DENY_POLICY_NAME &&
      params.RoleName !== undefined &&
      !denyPutAt.has(params.RoleName)
    ) {
      denyPutAt.set(params.RoleName, nowMs());
    }
    return result as Json;
  };
  const bindings = enforcementBindings({
    settings: () => settings,
    clock: fixedClock(now),
    accountId: LOCAL_ENV.account,
    restrictedTag: RESTRICTED_TAG,
    intakeBucketArn: INTAKE_BUCKET_ARN,
    roleReader: aws.iam.reader(PAGE_SIZE),
    service,
  });
  return { aws, bindings, denyPutAt };
};
