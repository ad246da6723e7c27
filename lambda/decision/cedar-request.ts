/**
 * Translating a policy request into Cedar's vocabulary (see policies/schema.cedarschema):
 * the caller becomes a `Govrec::Role` (or a `Govrec::UnknownCaller`), the upload a
 * `Govrec::Upload` owned by the organisation in its prefix, and the moratorium goes into the context.
 */
import type { PolicyRequest } from '../shared/decision';
import { findOrganisation, type GovernanceSettings } from '../shared/settings';
import type { CedarEntity, CedarEntityUid, CedarRequest } from './cedar-engine';
import type { CallerIdentity } from './identity';

export const ACTION: CedarEntityUid = { type: 'Govrec::Action', id: 'Recognise' };

const organisationUid = (id: string): { type: string; id: string } => ({ type: 'Govrec::Organisation', id });
const datetime = (instant: Date) => ({ __extn: { fn: 'datetime', arg: instant.toISOString() } });

/** Resource id: the object (bucket/key@version), or the organisation for an ad-hoc question. */
const uploadId = (request: PolicyRequest): string =>
  request.object !== undefined
    ? `${request.object.bucket}/${request.object.key}${request.object.versionId !== undefined ? `@${request.object.versionId}` : ''}`
    : `adhoc:${request.orgId}`;

/** Build the Cedar request for `request`, evaluated at `at`. */
export const toCedarRequest = (
  request: PolicyRequest,
  caller: CallerIdentity,
  settings: GovernanceSettings,
  at: Date,
): CedarRequest => {
  const { moratorium } = settings;
  const resource: CedarEntityUid = { type: 'Govrec::Upload', id: uploadId(request) };
  const entities: CedarEntity[] = [
    { uid: resource, attrs: { organisation: { __entity: organisationUid(request.orgId) } }, parents: [] },
  ];
  let principal: CedarEntityUid;
  const role = caller.role;
  if (role === undefined) {
    principal = { type: 'Govrec::UnknownCaller', id: caller.principalId };
    entities.push({ uid: principal, attrs: {}, parents: [] });
  } else {
    principal = { type: 'Govrec::Role', id: role.roleId };
    entities.push({
      uid: principal,
      attrs: {
        category: role.category,
        organisation: { __entity: organisationUid(role.orgId) },
        taggedRestricted: role.taggedRestricted,
      },
      parents: [],
    });
    const org = findOrganisation(settings, role.orgId);
    if (org !== undefined) {
      entities.push({
        uid: organisationUid(org.id),
        attrs: { category: org.category, operations: [...org.operations], purposes: [...org.purposes] },
        parents: [],
      });
    }
  }
  return {
    principal,
    action: ACTION,
    resource,
    context: {
      now: datetime(at),
      operation: request.operation,
      purpose: request.purpose,
      moratorium: {
        start: datetime(new Date(moratorium.start)),
        end: datetime(new Date(moratorium.end)),
        restrictedCategories: [...moratorium.restrictedCategories],
        afterWindow: moratorium.afterWindow,
      },
    },
    entities,
  };
};
