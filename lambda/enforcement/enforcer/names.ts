/**
 * Names compared as IAM compares them. IAM role names are unique regardless of case (a deleted
 * `govrec-police` can come back as `GOVREC-POLICE`), and IAM tag keys are too (a role cannot carry
 * both `govrec:category` and `GOVREC:CATEGORY`; policy conditions on `aws:ResourceTag/<key>` match
 * the key whatever its case). Tag values are compared ignoring case as well, matching the
 * enforcer's `StringEqualsIgnoreCase` grant: `POLICE` marks a role restricted like `police`.
 */

/** Whether two role names name the same IAM role. */
export const sameRoleName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Whether a tag key/value equals the restricted tag as IAM and the enforcer's grant compare it. */
export const isRestrictedTag = (
  key: string,
  value: string,
  restrictedTag: { readonly key: string; readonly value: string },
): boolean =>
  key.toLowerCase() === restrictedTag.key.toLowerCase() && value.toLowerCase() === restrictedTag.value.toLowerCase();
