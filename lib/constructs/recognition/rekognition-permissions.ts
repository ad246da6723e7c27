/**
 * The Rekognition statements of the recognition role, derived from the registry: only the
 * operations some organisation is registered for, collection operations scoped to the
 * collections of the organisations that use them.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  type GovernanceSettings,
  OPERATION_NAMES,
  OPERATIONS,
  type OperationName,
} from '../../../lambda/shared/settings';
import type { FaceCollections } from './face-collections';

/** Operations with no resource-level permissions (they act on an image, not a collection). */
const RESOURCELESS: readonly OperationName[] = ['detect'];

/**
 * One statement per registered operation, in the order of `OPERATIONS`.
 *
 * @example
 * rekognitionStatements(governance, collections).forEach((s) => fn.addToRolePolicy(s));
 */
export const rekognitionStatements = (
  governance: GovernanceSettings,
  collections: FaceCollections,
): iam.PolicyStatement[] =>
  OPERATION_NAMES.flatMap((op) => {
    const users = governance.organisations.filter((org) => org.operations.includes(op));
    if (users.length === 0) return [];
    const action = `rekognition:${OPERATIONS[op]}`;
    if (RESOURCELESS.includes(op))
      return [new iam.PolicyStatement({ sid: `Rekognition${OPERATIONS[op]}`, actions: [action], resources: ['*'] })];
    const collectionIds = [
      ...new Set(users.flatMap((org) => (org.collectionId === undefined ? [] : [org.collectionId]))),
    ].sort();
    return [
      new iam.PolicyStatement({
        sid: `Rekognition${OPERATIONS[op]}`,
        actions: [action],
        resources: collectionIds.map((id) => collections.arnOf(id)),
      }),
    ];
  });
