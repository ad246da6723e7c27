/**
 * Reading ARNs with `@aws-sdk/util-arn-parser` (the SDK's own parser) instead of splitting on `:`
 * by hand. Pure: the infrastructure code uses it too.
 */
import { parse, validate } from '@aws-sdk/util-arn-parser';

/** An IAM role ARN taken apart. */
export interface RoleArnParts {
  readonly arn: string;
  readonly partition: string;
  readonly accountId: string;
  /** The role path, `/` when none (`arn:aws:iam::1:role/teams/x` has path `/teams/`). */
  readonly path: string;
  readonly name: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The parts of an IAM role ARN, or `undefined` when `arn` is not one.
 *
 * @example
 * parseRoleArn('arn:aws:iam::111111111111:role/teams/analysts'); // { accountId: '111111111111', path: '/teams/', name: 'analysts', ... }
 */
export const parseRoleArn = (arn: string): RoleArnParts | undefined => {
  if (!validate(arn)) return undefined;
  const { partition, service, region, accountId, resource } = parse(arn);
  if (service !== 'iam' || region !== '' || !ACCOUNT_ID.test(accountId) || !resource.startsWith('role/')) {
    return undefined;
  }
  const segments = resource.slice('role/'.length).split('/');
  const name = segments.pop();
  if (name === undefined || name === '' || segments.some((segment) => segment === '')) return undefined;
  const path = segments.length === 0 ? '/' : `/${segments.join('/')}/`;
  return { arn, partition, accountId, path, name };
};

/** The account of any ARN (`undefined` when it is not an ARN or names no account). */
export const accountOfArn = (arn: string): string | undefined => {
  if (!validate(arn)) return undefined;
  const { accountId } = parse(arn);
  return accountId === '' ? undefined : accountId;
};

/** The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), or `undefined` when it is not an ARN. */
export const partitionOfArn = (arn: string): string | undefined => (validate(arn) ? parse(arn).partition : undefined);
