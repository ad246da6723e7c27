/**
 * Task bindings for the enforcement state machines: their Lambda tasks served by the enforcer's
 * own functions in-process (the code that deploys), their service calls by a `FakeAws` or any
 * other `TaskBindings['service']`. Used by the workflow tests and the offline run.
 */
import { type EnforcerRequest, runEnforcerStep } from '../../lambda/enforcement/enforcer/dispatch';
import type { RestrictedTag } from '../../lambda/enforcement/enforcer/types';
import { type RolesRequest, runRolesStep } from '../../lambda/enforcement/roles/dispatch';
import type { RoleReader } from '../../lambda/enforcement/roles/roles';
import { GovrecError } from '../../lambda/shared/errors';
import type { Clock } from '../../lambda/shared/moratorium';
import type { GovernanceSettings } from '../../lambda/shared/settings';
import type { Json, TaskBindings } from './runner';

/** What the in-process enforcer functions see. */
export interface EnforcementLocalDeps {
  /** Read on every invocation, so a caller can swap settings to simulate a redeploy. */
  readonly settings: () => GovernanceSettings;
  readonly clock: Clock;
  readonly accountId: string;
  readonly restrictedTag: RestrictedTag;
  readonly intakeBucketArn: string;
  /** IAM reads of the role-listing function (e.g. `FakeIam.reader()`). */
  readonly roleReader: RoleReader;
  /** Serves every non-Lambda task. */
  readonly service: TaskBindings['service'];
}

/** Raised when a Lambda task names a function that is not one of the enforcer's. */
export class UnknownLocalFunctionError extends GovrecError {
  constructor(functionArn: string) {
    super(
      `No in-process function for ${functionArn}: expected the enforcer (EnforcerFunction) or role-listing (RolesFunction) function`,
    );
  }
}

/**
 * Bindings that run the enforcement state machines offline.
 *
 * @example
 * const bindings = enforcementBindings({ settings: () => settings, clock, accountId, restrictedTag, intakeBucketArn, roleReader: aws.iam.reader(), service: aws.service });
 * await runLocally(definition, event, bindings, { stateMachineArn });
 */
export const enforcementBindings = (deps: EnforcementLocalDeps): TaskBindings => ({
  // Functions are told apart by their construct id, which CDK keeps inside the logical id.
  lambda: async (functionArn, payload) => {
    if (functionArn.includes('EnforcerFunction')) {
      return runEnforcerStep(payload as unknown as EnforcerRequest, {
        settings: deps.settings(),
        accountId: deps.accountId,
        restrictedTag: deps.restrictedTag,
        intakeBucketArn: deps.intakeBucketArn,
        clock: deps.clock,
      }) as unknown as Json;
    }
    if (functionArn.includes('RolesFunction')) {
      return (await runRolesStep(payload as unknown as RolesRequest, {
        settings: deps.settings(),
        restrictedTag: deps.restrictedTag,
        reader: deps.roleReader,
        clock: deps.clock,
      })) as unknown as Json;
    }
    throw new UnknownLocalFunctionError(functionArn);
  },
  service: deps.service,
});
