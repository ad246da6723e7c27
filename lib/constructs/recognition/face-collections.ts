/**
 * One Rekognition face collection per collection id that an organisation searches or indexes.
 * Organisations registered only for `detect` need none, and two organisations naming the same
 * collection share it.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as rekognition from 'aws-cdk-lib/aws-rekognition';
import { Construct } from 'constructs';
import { COLLECTION_OPERATIONS, type GovernanceSettings } from '../../../lambda/shared/settings';
import { UnknownCollectionError } from '../../errors';

export interface FaceCollectionsProps {
  /** The validated governance settings (the registry names the collections). */
  readonly governance: GovernanceSettings;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** The collection ids the registry needs, sorted and without duplicates. */
export const collectionIdsInUse = (governance: GovernanceSettings): string[] =>
  [
    ...new Set(
      governance.organisations
        .filter((org) => org.operations.some((op) => COLLECTION_OPERATIONS.includes(op)))
        .flatMap((org) => (org.collectionId === undefined ? [] : [org.collectionId])),
    ),
  ].sort();

/**
 * @example
 * const collections = new FaceCollections(this, 'Collections', { governance });
 * collections.arnOf('child-rescue-faces');
 */
export class FaceCollections extends Construct {
  /** The collections by collection id. */
  public readonly byId: ReadonlyMap<string, rekognition.CfnCollection>;

  constructor(scope: Construct, id: string, props: FaceCollectionsProps) {
    super(scope, id);
    const byId = new Map<string, rekognition.CfnCollection>();
    for (const collectionId of collectionIdsInUse(props.governance)) {
      const collection = new rekognition.CfnCollection(this, `Collection-${collectionId}`, { collectionId });
      // Indexed faces are the organisation's evidence; losing them is not a default.
      collection.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
      byId.set(collectionId, collection);
    }
    this.byId = byId;
  }

  /** The ARN of a collection; throws with a fix when the registry does not use it. */
  arnOf(collectionId: string): string {
    const collection = this.byId.get(collectionId);
    if (collection === undefined) throw new UnknownCollectionError(collectionId);
    return collection.attrArn;
  }
}
