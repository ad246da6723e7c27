/**
 * Scenarios for the intake pipeline under faults, as fast-check arbitraries: who uploads what
 * under which key, when (around the moratorium's start and end), in which delivery order with
 * which duplicates, and which AWS calls fail (throttled, 5xx, timed out; before or after the call)
 * or where the worker's invocation dies.
 */
import fc from 'fast-check';
import type { FaultKind } from './faults';

export interface UploadSpec {
  readonly org: 'thorn-like' | 'marinus-like' | 'metro-police' | 'unregistered';
  /** Uploaded by the organisation's own role, another organisation's, or an unknown principal. */
  readonly as: 'own-role' | 'other-role' | 'unknown';
  readonly operation: 'detect' | 'search' | 'index' | 'bogus';
  readonly name: 'plain' | 'encoded' | 'cjk' | 'at-limit' | 'invalid';
  readonly content: 'jpeg' | 'png' | 'text' | 'empty';
  /** Deleted (by version) before the first delivery. */
  readonly deletedBefore: boolean;
}

export interface Scenario {
  readonly uploads: readonly UploadSpec[];
  readonly anchor: 'start' | 'end';
  /** Event time relative to the anchor, ms. */
  readonly offsetMs: number;
  /** Messages in delivery order, by upload index; every upload at least once, duplicates allowed. */
  readonly deliveries: readonly number[];
  /** Time between deliveries, ms (cycled). */
  readonly delaysMs: readonly number[];
  /** Tag the NGO role restricted just before this delivery (a caller restricted only by its tag). */
  readonly tagBeforeDelivery?: number;
  /** Faults by the index of the AWS call in the scenario (worker's and policy function's calls). */
  readonly faults: readonly { readonly at: number; readonly kind: FaultKind; readonly after: boolean }[];
  /** The worker's invocation dies before this AWS call (at most one crash per scenario). */
  readonly crashAt?: number;
}

const uploadSpec: fc.Arbitrary<UploadSpec> = fc.record({
  org: fc.constantFrom('thorn-like', 'thorn-like', 'marinus-like', 'metro-police', 'metro-police', 'unregistered'),
  as: fc.constantFrom('own-role', 'own-role', 'own-role', 'other-role', 'unknown'),
  operation: fc.constantFrom('detect', 'detect', 'search', 'index', 'bogus'),
  name: fc.constantFrom('plain', 'plain', 'encoded', 'cjk', 'at-limit', 'invalid'),
  content: fc.constantFrom('jpeg', 'jpeg', 'jpeg', 'png', 'text', 'empty'),
  deletedBefore: fc.constantFrom(false, false, false, false, false, true),
});

/** Around the start: just before, at, just after; around the end the same. */
const OFFSETS_MS = [-300_000, -20_000, -1, 0, 1, 15_000] as const;

export const scenarioArbitrary = (options: { readonly maxUploads?: number } = {}): fc.Arbitrary<Scenario> =>
  fc.array(uploadSpec, { minLength: 1, maxLength: options.maxUploads ?? 3 }).chain((uploads) =>
    fc.record({
      uploads: fc.constant(uploads),
      anchor: fc.constantFrom<'start' | 'end'>('start', 'start', 'end'),
      offsetMs: fc.constantFrom(...OFFSETS_MS),
      deliveries: fc
        .array(fc.nat(uploads.length - 1), { maxLength: 2 })
        .chain((extra) =>
          fc.shuffledSubarray([...uploads.keys(), ...extra], { minLength: uploads.length + extra.length }),
        ),
      delaysMs: fc.array(fc.constantFrom(0, 1, 500, 10_000, 45_000), { minLength: 1, maxLength: 4 }),
      tagBeforeDelivery: fc.option(fc.nat(4), { nil: undefined }),
      faults: fc.array(
        fc.record({
          at: fc.nat(60),
          kind: fc.constantFrom<FaultKind>('throttle', 'server', 'timeout'),
          after: fc.boolean(),
        }),
        { maxLength: 6 },
      ),
      crashAt: fc.option(fc.nat(50), { nil: undefined }),
    }),
  );
