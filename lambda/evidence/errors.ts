/**
 * Errors of the evidence flow: hashing, digesting, signing and verifying the ledgers.
 */

/** Base class: anything the evidence code raises on purpose. */
export class EvidenceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EvidenceError';
  }
}

/** A value cannot be put in canonical form (not a DynamoDB attribute value, or a malformed number). */
export class CanonicalFormError extends EvidenceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CanonicalFormError';
  }
}

/** The signer (KMS, or the local KMS endpoint) did not return a usable signature or public key. */
export class DigestSigningError extends EvidenceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DigestSigningError';
  }
}

/** A digest could not be written, or the chain head moved under the closer (another closer ran). */
export class DigestWriteError extends EvidenceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DigestWriteError';
  }
}

/** A digest file is not a digest (unparseable, or missing fields). */
export class DigestFormatError extends EvidenceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DigestFormatError';
  }
}
