/**
 * The shapes of the evidence flow: what the recorder journals for each ledger change, and the
 * digest the closer signs for each period.
 */

/** The two ledgers whose records are digested. */
export type LedgerName = 'audit' | 'enforcement';
export const LEDGER_NAMES: readonly LedgerName[] = ['audit', 'enforcement'];

/** A change as DynamoDB Streams reports it. */
export type ChangeKind = 'INSERT' | 'MODIFY' | 'REMOVE';

/** One ledger change, as the digest lists it. */
export interface DigestEntry {
  readonly ledger: LedgerName;
  /** The record's primary key in canonical form (`canonicalForm(Keys)`). */
  readonly key: string;
  readonly change: ChangeKind;
  /** Content hash of the record after the change; absent for REMOVE. */
  readonly hash?: string;
  /** Content hash of the record before the change (MODIFY, REMOVE). */
  readonly previousHash?: string;
  /** Set when the record carried a `contentHash` that is not the hash of its content. */
  readonly carriedHashMismatch?: true;
  /** When DynamoDB wrote the change (the stream record's ApproximateCreationDateTime), ISO 8601. */
  readonly at: string;
  /** The stream record's sequence number (unique within its shard; with `at`, orders the entries). */
  readonly sequence: string;
}

/** A digest period: `[start, end)`, ISO 8601 instants. */
export interface Period {
  readonly start: string;
  readonly end: string;
}

/** What is signed. */
export interface DigestBody {
  readonly version: 1;
  readonly period: Period;
  /** The S3 key and hash of the previous digest file; null for the first digest of the chain. */
  readonly previous: { readonly key: string; readonly hash: string } | null;
  /** Entries in the order of {@link compareEntries}. */
  readonly entries: readonly DigestEntry[];
  readonly signing: { readonly keyId: string; readonly algorithm: 'RSASSA_PKCS1_V1_5_SHA_256' };
  readonly createdAt: string;
}

/** A digest file: the body and the signature over its stable JSON text. */
export interface DigestFile {
  readonly body: DigestBody;
  /** Base64 signature (what KMS Sign returns) over `stableStringify(body)`. */
  readonly signature: string;
}
