/** Errors of the role listing used by the sweep and restore workflows. */

/** Base class of every role-listing error. */
export class RoleListingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RoleListingError';
  }
}

/** The workflow sent a request this Lambda does not understand. */
export class MalformedRoleRequestError extends RoleListingError {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedRoleRequestError';
  }
}
