/**
 * The review report's input (what the offline run collects) and output (what a reviewer reads).
 * The input is raw on purpose: ledger items as stored, result documents as written, enforcement
 * records as recorded. The report recomputes its verdicts from them and from the settings; it does
 * not trust a flag that the code under review set.
 */
import type { OutcomeKind } from '../../lambda/shared/audit';
import type { Effect, ObjectRef, ReasonCode } from '../../lambda/shared/decision';
import type { GovernanceSettings } from '../../lambda/shared/settings';

/** One role-enforcement event (the enforcement workflow's record, or the scenario's own note). */
export interface EnforcementEntry {
  /** Role ARN (or name) acted on. */
  readonly role: string;
  /** E.g. DISABLED, REAPPLIED, RESTORED, NOOP. */
  readonly action: string;
  /** ISO instant of the action (or of the event that triggered it). */
  readonly at: string;
  /** End of the restriction the action applies, when it has one. */
  readonly until?: string;
  /** What set it off: an event name, the sweep, the restore schedule. */
  readonly trigger: string;
  readonly detail?: string;
}

/** A result document from the results bucket (`lambda/recognition/results.ts` writes these). */
export interface ResultDocumentInput {
  readonly decisionId: string;
  readonly operation?: string;
  readonly response?: Record<string, unknown>;
  readonly summary?: Record<string, unknown>;
}

/** The bytes of an uploaded object, so the page can show it with its face boxes. */
export interface UploadImageInput {
  readonly object: ObjectRef;
  readonly bytes: Uint8Array;
}

/** An object found in the quarantine bucket. */
export interface QuarantinedObjectInput {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly size?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/** One step of the offline scenario, as it was printed. */
export interface RunStepView {
  readonly index: number;
  /** ISO instant on the run's clock. */
  readonly at: string;
  readonly title: string;
  /** What happened, in one line. */
  readonly outcome: string;
  /** What the scenario expected, in one line. */
  readonly expected: string;
  readonly asExpected: boolean;
  /** The upload's decision id, for upload steps. */
  readonly decisionId?: string;
  readonly key?: string;
  /** Face engine requests received during the step, per operation. */
  readonly faceEngineCalls?: Readonly<Record<string, number>>;
}

/** What IAM (the policy simulator) answers for a role's session at one instant. */
export interface AccessCheckView {
  readonly at: string;
  readonly roleArn: string;
  readonly action: string;
  readonly resource: string;
  readonly result: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
  /** Why the run asked, e.g. "after the sweep at the moratorium start". */
  readonly label: string;
}

/** A role's inline policies and tags at one point of the run. */
export interface RoleStateView {
  readonly at: string;
  readonly label: string;
  readonly roleArn: string;
  readonly inlinePolicies: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** What the offline run adds about itself. */
export interface RunSection {
  readonly steps: readonly RunStepView[];
  /** Face engine requests per operation over the scenario (collection setup excluded). */
  readonly faceEngineCallsByOperation: Readonly<Record<string, number>>;
  readonly accessChecks: readonly AccessCheckView[];
  readonly roleStates: readonly RoleStateView[];
  /** Messages that ended in the intake dead-letter queue. */
  readonly deadLetters: number;
}

export interface ReportInput {
  /** ISO instant on the run's clock. */
  readonly generatedAt: string;
  readonly settings: GovernanceSettings;
  /** Audit table items as scanned (DECISION and OUTCOME entries). */
  readonly ledgerItems: readonly Readonly<Record<string, unknown>>[];
  readonly results?: readonly ResultDocumentInput[];
  readonly images?: readonly UploadImageInput[];
  readonly quarantine?: readonly QuarantinedObjectInput[];
  readonly enforcement?: readonly EnforcementEntry[];
  /** Calls the face engine received, when the run counted them. */
  readonly faceEngineCalls?: number;
  /** The offline run's steps, access checks and role states, shown as they are. */
  readonly run?: RunSection;
  readonly title?: string;
}

/** A face box as ratios of the image (Rekognition's BoundingBox). */
export interface FaceBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly label: string;
}

export interface FaceMatchView {
  readonly faceId: string;
  readonly externalImageId?: string;
  readonly similarity: number;
}

export interface RecognitionView {
  readonly operation: string;
  readonly boxes: readonly FaceBox[];
  readonly matches: readonly FaceMatchView[];
  readonly faceCount: number;
}

/** One upload (one decision about an object) as the report shows it. */
export interface UploadRow {
  readonly decisionId: string;
  readonly at: string;
  readonly decidedAt: string;
  readonly principalId: string;
  readonly roleArn?: string;
  readonly orgId: string;
  readonly category: string;
  readonly restricted: boolean;
  readonly inMoratorium: boolean;
  readonly operation: string;
  readonly purpose: string;
  readonly effect: Effect;
  readonly reason: ReasonCode;
  readonly policyIds: readonly string[];
  readonly detail?: string;
  readonly object?: ObjectRef;
  readonly outcome?: OutcomeKind;
  readonly outcomeAt?: string;
  readonly location?: { readonly bucket: string; readonly key: string; readonly versionId?: string };
  readonly recognition?: RecognitionView;
  /** Why this row breaks a rule; empty when it does not. */
  readonly violations: readonly string[];
}

export interface ReviewReport {
  readonly title: string;
  readonly generatedAt: string;
  readonly headline: {
    /** True when no restricted request got through and no recognition ran without an allow. */
    readonly ok: boolean;
    readonly text: string;
    readonly restrictedRequests: number;
    readonly restrictedGotThrough: number;
    readonly recognisedWithoutAllow: number;
    readonly uploadsWithoutOutcome: number;
  };
  readonly moratorium: GovernanceSettings['moratorium'] & { readonly inForceAtReport: boolean };
  readonly uploads: readonly UploadRow[];
  /** Decisions about no object (e.g. `govrec decide`). */
  readonly questions: readonly UploadRow[];
  readonly quarantine: {
    readonly recorded: readonly { readonly decisionId: string; readonly bucket: string; readonly key: string; readonly versionId?: string; readonly present?: boolean }[];
    readonly found: readonly QuarantinedObjectInput[];
  };
  readonly enforcement: readonly EnforcementEntry[];
  readonly counts: {
    readonly byEffect: Readonly<Record<string, number>>;
    readonly byReason: Readonly<Record<string, number>>;
    readonly byOutcome: Readonly<Record<string, number>>;
    readonly byOrganisation: Readonly<Record<string, number>>;
  };
  readonly faceEngineCalls?: number;
  readonly run?: RunSection;
}
