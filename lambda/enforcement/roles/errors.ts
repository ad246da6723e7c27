/** Errors of the role listing used by the sweep and restore workflows. */

import { GovrecError } from '../../shared/errors';

/** Base class of every role-listing error. */
export class RoleListingError extends GovrecError {}

/** The workflow sent a request this Lambda does not understand. */
export class MalformedRoleRequestError extends RoleListingError {
  constructor(message: string) {
    super(message);
  }
}
