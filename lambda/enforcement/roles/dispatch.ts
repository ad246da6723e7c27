/** The role-listing Lambda serves the sweep (`sweep`) and the restore (`restore`) workflows. */
import { MalformedRoleRequestError } from './errors';
import { type PlanDeps, planRestore, planSweep, type RestorePlan, type SweepPlan } from './plan';

/** The payload the state machines send; `trigger` is logged only. */
export interface RolesRequest {
  readonly action: 'sweep' | 'restore';
  readonly trigger?: unknown;
}

/**
 * Run one planner.
 *
 * @example
 * await runRolesStep({ action: 'sweep' }, deps);
 */
export const runRolesStep = async (request: RolesRequest, deps: PlanDeps): Promise<SweepPlan | RestorePlan> => {
  if (request.action === 'sweep') return planSweep(deps);
  if (request.action === 'restore') return planRestore(deps);
  throw new MalformedRoleRequestError(
    `Unknown action ${JSON.stringify((request as { action?: unknown }).action)}; expected sweep or restore`,
  );
};
