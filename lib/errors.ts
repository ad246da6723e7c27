/**
 * Errors raised while building the infrastructure. Each says how to fix the input that caused it,
 * because the reader is whoever runs `cdk synth` with a configuration that does not fit.
 */

import { GovrecError } from '../lambda/shared/errors';

/** Base of every infrastructure (synth-time) error. */
export class InfrastructureError extends GovrecError {}

/** A construct was asked for a face collection the registry does not use. */
export class UnknownCollectionError extends InfrastructureError {
  constructor(readonly collectionId: string) {
    super(
      `No face collection "${collectionId}": register an organisation with operation search or index and collectionId "${collectionId}"`,
    );
  }
}

/** The app lacks a feature flag the constructs rely on. */
export class MissingFeatureFlagError extends InfrastructureError {
  constructor(
    readonly flag: string,
    why: string,
  ) {
    super(
      `GovernedRecognition needs the feature flag ${flag} (${why}): add "${flag}": true to the context in cdk.json`,
    );
  }
}
