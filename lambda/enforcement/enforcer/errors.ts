/**
 * Errors of the enforcement decisions. A thrown error fails the Step Functions task, which the
 * workflow catches, reports to the alarm topic and ends in a Fail state (fail closed: an event we
 * cannot read is never silently ignored).
 */

import { GovrecError } from '../../shared/errors';

/** Base class of every enforcement error. */
export class EnforcementError extends GovrecError {}

/** The workflow input is neither a CloudTrail API-call event nor a sweep request. */
export class MalformedEnforcementInputError extends EnforcementError {}

/** The Lambda was invoked with an `action` it does not implement. */
export class UnknownEnforcerActionError extends EnforcementError {
  constructor(action: unknown) {
    super(`Unknown enforcer action ${JSON.stringify(action)}; expected identify, classify or compare`);
  }
}
