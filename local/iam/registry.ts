/**
 * The offline run's IAM: the roles of one simulated account, their tags and inline policies.
 * The policy Lambda resolves callers through it (over the IAM Query protocol, see server.ts) and
 * the enforcement workflows' IAM tasks write to it, so the run shows the documents a real account
 * would hold.
 */
import { createHash } from 'node:crypto';
import { parseRoleArn } from '../../lambda/shared/arn';
import { GovrecError } from '../../lambda/shared/errors';

export interface LocalRole {
  readonly roleName: string;
  readonly path: string;
  readonly arn: string;
  /** The `AROA...` unique id that S3 events and CloudTrail carry. */
  readonly roleId: string;
  readonly createDate: string;
  tags: Record<string, string>;
  inlinePolicies: Record<string, string>;
}

export class NoSuchEntityError extends GovrecError {
  constructor(message: string) {
    super(message);
    // The IAM error code, as the SDK and the Step Functions integration name it.
    this.name = 'NoSuchEntity';
  }
}

/** One IAM write, for the review report's enforcement timeline. */
export interface IamChange {
  readonly at: string;
  readonly action: 'PutRolePolicy' | 'DeleteRolePolicy' | 'TagRole' | 'UntagRole';
  readonly roleArn: string;
  readonly detail: string;
}

/** A deterministic role id (20 chars, `AROA` + base32-ish) so runs are reproducible. */
export const roleIdFor = (arn: string): string =>
  `AROA${createHash('sha256')
    .update(arn)
    .digest('hex')
    .toUpperCase()
    .replace(/[^A-Z2-7]/g, '')
    .padEnd(17, 'Q')
    .slice(0, 17)}`;

export class LocalIamRegistry {
  private readonly roles = new Map<string, LocalRole>();
  readonly changes: IamChange[] = [];

  constructor(
    readonly accountId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Create a role from its ARN (the account must be this registry's). */
  addRole(arn: string, tags: Record<string, string> = {}): LocalRole {
    const parsed = parseRoleArn(arn);
    if (parsed === undefined || parsed.accountId !== this.accountId)
      throw new Error(`${arn} is not a role ARN in account ${this.accountId}`);
    const role: LocalRole = {
      roleName: parsed.name,
      path: parsed.path,
      arn,
      roleId: roleIdFor(arn),
      createDate: this.now().toISOString(),
      tags: { ...tags },
      inlinePolicies: {},
    };
    this.roles.set(role.roleName, role);
    return role;
  }

  listRoles(): LocalRole[] {
    return [...this.roles.values()].sort((a, b) => a.roleName.localeCompare(b.roleName));
  }

  getRole(roleName: string): LocalRole {
    const role = this.roles.get(roleName);
    if (role === undefined) throw new NoSuchEntityError(`The role with name ${roleName} cannot be found.`);
    return role;
  }

  roleByArn(arn: string): LocalRole | undefined {
    return [...this.roles.values()].find((role) => role.arn === arn);
  }

  getRolePolicy(roleName: string, policyName: string): string {
    const document = this.getRole(roleName).inlinePolicies[policyName];
    if (document === undefined) throw new NoSuchEntityError(`The role policy with name ${policyName} cannot be found.`);
    return document;
  }

  putRolePolicy(roleName: string, policyName: string, document: string): void {
    JSON.parse(document); // IAM rejects malformed documents; so do we
    const role = this.getRole(roleName);
    role.inlinePolicies[policyName] = document;
    this.record('PutRolePolicy', role, policyName);
  }

  deleteRolePolicy(roleName: string, policyName: string): void {
    const role = this.getRole(roleName);
    if (role.inlinePolicies[policyName] === undefined)
      throw new NoSuchEntityError(`The role policy with name ${policyName} cannot be found.`);
    delete role.inlinePolicies[policyName];
    this.record('DeleteRolePolicy', role, policyName);
  }

  tagRole(roleName: string, tags: ReadonlyArray<{ Key: string; Value: string }>): void {
    const role = this.getRole(roleName);
    for (const tag of tags) role.tags[tag.Key] = tag.Value;
    this.record('TagRole', role, tags.map((tag) => `${tag.Key}=${tag.Value}`).join(', '));
  }

  untagRole(roleName: string, keys: readonly string[]): void {
    const role = this.getRole(roleName);
    for (const key of keys) delete role.tags[key];
    this.record('UntagRole', role, keys.join(', '));
  }

  private record(action: IamChange['action'], role: LocalRole, detail: string): void {
    this.changes.push({ at: this.now().toISOString(), action, roleArn: role.arn, detail });
  }
}
