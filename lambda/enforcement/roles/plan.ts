/**
 * What the sweep and the restore do, decided from the roles' tags and the settings compiled into
 * this Lambda (a redeploy with a new end changes them, which is how an extension reaches the
 * restore that fires at the old end).
 */
import { accountOfArn } from '../../shared/arn';
import type { Clock } from '../../shared/moratorium';
import { type GovernanceSettings, isRestrictedCategory } from '../../shared/settings';
import { STATUS_TAG, UNTIL_TAG } from '../enforcer/documents';
import { isRestrictedTag, sameRoleName } from '../enforcer/names';
import { disabledUntil, isEnforcedAt } from '../enforcer/window';
import { listRolesWithTags, type RoleReader, type RoleWithTags } from './roles';

/** Dependencies of the planners. */
export interface PlanDeps {
  readonly settings: GovernanceSettings;
  readonly restrictedTag: { readonly key: string; readonly value: string };
  readonly reader: RoleReader;
  readonly clock: Clock;
}

/** A restricted role of this account and why it is restricted. */
export interface RestrictedRole {
  readonly roleArn: string;
  readonly roleName: string;
  readonly category: string;
}

const roleName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** The category that restricts a listed role, or `undefined`. */
export const categoryOf = (
  role: RoleWithTags,
  deps: Pick<PlanDeps, 'settings' | 'restrictedTag'>,
): string | undefined => {
  const org = deps.settings.organisations.find((candidate) =>
    candidate.roleArns.some(
      (arn) => accountOfArn(arn) === accountOfArn(role.roleArn) && sameRoleName(roleName(arn), role.roleName),
    ),
  );
  if (org !== undefined && isRestrictedCategory(deps.settings, org.category)) return org.category;
  return Object.entries(role.tags).some(([key, value]) => isRestrictedTag(key, value, deps.restrictedTag))
    ? deps.restrictedTag.value
    : undefined;
};

const restrictedRoles = async (
  deps: PlanDeps,
): Promise<(RestrictedRole & { tags: Readonly<Record<string, string>> })[]> =>
  (await listRolesWithTags(deps.reader)).flatMap((role) => {
    const category = categoryOf(role, deps);
    return category === undefined
      ? []
      : [{ roleArn: role.roleArn, roleName: role.roleName, category, tags: role.tags }];
  });

/** Output of the sweep planner: one EnforceRole input per restricted role of the account. */
export interface SweepPlan {
  readonly inForce: boolean;
  readonly at: string;
  readonly restrictedCount: number;
  readonly enforcements: { readonly source: 'govrec.sweep'; readonly roleArn: string; readonly at: string }[];
}

/**
 * List every restricted role for EnforceRole to check during the window. Every one, not only
 * those whose tags or policy names look wrong: a deny that is present but altered (a statement
 * removed, the condition moved) is only seen by EnforceRole's document compare, which ends in a
 * cheap NOOP for a role that is intact.
 *
 * @example
 * (await planSweep(deps)).enforcements // [{ source: 'govrec.sweep', roleArn, at }]
 */
export const planSweep = async (deps: PlanDeps): Promise<SweepPlan> => {
  const now = deps.clock.now();
  const at = now.toISOString();
  // With afterWindow deny the moratorium has no end: the sweep goes on after it (new roles, tamper).
  if (!isEnforcedAt(deps.settings, now)) return { inForce: false, at, restrictedCount: 0, enforcements: [] };
  const roles = await restrictedRoles(deps);
  return {
    inForce: true,
    at,
    restrictedCount: roles.length,
    enforcements: roles.map((role) => ({ source: 'govrec.sweep', roleArn: role.roleArn, at })),
  };
};

/** Output of the restore planner. */
export type RestorePlan =
  | {
      readonly operation: 'RESCHEDULE';
      readonly end: string;
      readonly scheduleName: string;
      readonly scheduleExpression: string;
      readonly at: string;
      readonly roles: [];
      readonly summary: string;
    }
  | {
      readonly operation: 'KEEP_DENIED' | 'RESTORE';
      readonly end: string;
      readonly at: string;
      readonly roles: RestoreItem[];
      readonly summary: string;
    };

/** One role to restore, with its ledger record fields. */
export interface RestoreItem extends RestrictedRole {
  readonly sk: string;
  readonly windowSk: string;
  readonly restoredAt: string;
}

/** Scheduler `at()` wants `yyyy-mm-ddThh:mm:ss` without zone or fraction (the zone is a separate field). */
export const atExpression = (instant: string): string => `at(${new Date(instant).toISOString().slice(0, 19)})`;

/**
 * Decide what the restore does when it fires: reschedule if the end moved later, keep roles
 * disabled when `afterWindow` is `deny`, else restore every role still tagged disabled.
 *
 * @example
 * (await planRestore(deps)).operation // 'RESTORE' once the configured end has passed
 */
export const planRestore = async (deps: PlanDeps): Promise<RestorePlan> => {
  const now = deps.clock.now();
  const at = now.toISOString();
  const { end, afterWindow } = deps.settings.moratorium;
  if (now.getTime() < Date.parse(end)) {
    const scheduleName = `govrec-restore-${end.replace(/[^0-9]/g, '').slice(0, 14)}`;
    const summary = `Restore fired at ${at} but the moratorium now ends ${end}: restore rescheduled (${scheduleName}), no role restored.`;
    return {
      operation: 'RESCHEDULE',
      end,
      scheduleName,
      scheduleExpression: atExpression(end),
      at,
      roles: [],
      summary,
    };
  }
  const disabled = (await restrictedRoles(deps)).filter((role) => role.tags[STATUS_TAG] === 'disabled');
  const roles = disabled.map(({ tags, ...role }) => ({
    ...role,
    sk: `EVENT#${at}#restore-${tags[UNTIL_TAG] ?? end}`,
    windowSk: `WINDOW#${tags[UNTIL_TAG] ?? end}`,
    restoredAt: at,
  }));
  const names = roles.map((role) => role.roleArn).join(', ') || 'none';
  if (afterWindow === 'deny') {
    // Roles disabled before the switch to deny still carry a deny that lapses at the end; the
    // sweep (which goes on under deny) rewrites them without expiry. Say so rather than hide it.
    const lapsing = disabled.filter((role) => role.tags[UNTIL_TAG] !== disabledUntil(deps.settings)).length;
    const pending =
      lapsing === 0
        ? ''
        : ` ${lapsing} of them still carry a deny that lapses at ${end}; the next sweep makes it indefinite.`;
    return {
      operation: 'KEEP_DENIED',
      end,
      at,
      roles,
      summary: `Moratorium ended ${end}; afterWindow is deny, so ${roles.length} disabled role(s) stay tagged disabled: ${names}.${pending}`,
    };
  }
  return {
    operation: 'RESTORE',
    end,
    at,
    roles,
    summary: `Moratorium ended ${end}; ${roles.length} role(s) restored: ${names}.`,
  };
};
