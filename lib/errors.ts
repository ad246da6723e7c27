/**
 * Errors raised while building the infrastructure. Each says how to fix the input that caused it,
 * because the reader is whoever runs `cdk synth` with a configuration that does not fit.
 */

/** Base of every infrastructure (synth-time) error. */
export class InfrastructureError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InfrastructureError';
  }
}

/** A construct was asked for a face collection the registry does not use. */
export class UnknownCollectionError extends InfrastructureError {
  constructor(readonly collectionId: string) {
    super(
      `No face collection "${collectionId}": register an organisation with operation search or index and collectionId "${collectionId}"`,
    );
    this.name = 'UnknownCollectionError';
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
    this.name = 'MissingFeatureFlagError';
  }
}
