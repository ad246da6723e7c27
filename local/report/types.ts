/**
 * The review report's input (what the offline run collects) and output (what a reviewer reads).
 * The input is raw on purpose: ledger items as stored, result documents as written, enforcement
 * records as recorded. The report recomputes its verdicts from them and from the settings; it does
 * not trust a flag that the code under review set.
 */
import type { VerificationReport } from '../../lambda/evidence/verify';
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
  /** The role's restricted category as the enforcement record states it (the metrics' `Category`). */
  readonly category?: string;
}

/** One CloudWatch data point, as the handlers (EMF) or the workflows (`PutMetricData`) sent it. */
export interface MetricPoint {
  readonly namespace: string;
  readonly name: string;
  /** The full dimension set: CloudWatch keeps each set as its own metric. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
  readonly unit?: string;
  readonly source: 'emf' | 'putMetricData';
}

/** What the offline run captured of the metrics the console charts. */
export interface CapturedMetrics {
  readonly points: readonly MetricPoint[];
  /** EMF log lines the handlers wrote. */
  readonly emfRecords: number;
  /** `PutMetricData` calls the workflows made. */
  readonly putMetricDataCalls: number;
  /** Powertools service names of the two functions (their `service` dimension), from the template. */
  readonly serviceNames: { readonly policy: string; readonly recognition: string };
  /** EMF records whose `service` was set to the emitting function's (see local/offline/metric-capture.ts). */
  readonly reattributed: number;
}

/** One number of the dashboard next to the same number from the records. */
export interface ConsoleRow {
  /** The dashboard widget's title. */
  readonly widget: string;
  readonly metric: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Sum of the captured data points of this metric (exact dimension set), as the widget shows it. */
  readonly console: number;
  /** The same count from the audit ledger or the enforcement ledger. */
  readonly records: number;
  /** How `records` was counted, in words. */
  readonly recordsFrom: string;
  readonly equal: boolean;
}

/** The "Console view" section: the dashboard's numbers and the ledger's, side by side. */
export interface ConsoleView {
  readonly namespace: string;
  readonly rows: readonly ConsoleRow[];
  /** Rows whose two numbers differ. */
  readonly differences: number;
  /** Sum of RestrictedAllowedInWindow (the dashboard's big number; must be 0). */
  readonly restrictedAllowedInWindow: number;
  readonly emfRecords: number;
  readonly putMetricDataCalls: number;
  readonly dataPoints: number;
  readonly reattributed: number;
}

/** A result document from the results bucket (`lambda/recognition/results.ts` writes these). */
export interface ResultDocumentInput {
  readonly decisionId: string;
  readonly operation?: string;
  readonly response?: Record<string, unknown>;
  readonly summary?: Record<string, unknown>;
  /** The outcome points to a document that is no longer there (expired or deleted). */
  readonly missing?: true;
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
  /** The metrics the run captured; with them the report gets its "Console view". */
  readonly metrics?: CapturedMetrics;
  /** What `govrec verify` found (local/report/sections/evidence.ts). */
  readonly evidence?: VerificationReport;
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
  /** The organisation whose intake prefix was written to. */
  readonly orgId: string;
  /**
   * Who the upload is counted for: the registered organisation of the resolved caller (its role),
   * or UNREGISTERED_CALLERS; never the prefix alone, which any caller can name.
   */
  readonly attributedTo: string;
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
  /** The outcome is RECOGNIZED but its result document has expired or is missing. */
  readonly resultMissing?: true;
  /** Why this row breaks a rule; empty when it does not. */
  readonly violations: readonly string[];
}

/** One row of "Roles disabled": a role the enforcement workflows disabled, or a restricted role they never did. */
export interface RoleDisabledRow {
  readonly role: string;
  /** The registered organisation the role acts for, when it is registered. */
  readonly orgId?: string;
  readonly category: string;
  /** First DISABLED (or REAPPLIED) record; absent when the role was never disabled. */
  readonly disabledAt?: string;
  /** The end of the restriction as the latest disabling record states it. */
  readonly until?: string;
  readonly restoredAt?: string;
  /** What restored it (the restore workflow, an operator). */
  readonly restoredBy?: string;
  /** What set off the first disabling (the sweep, a CloudTrail event). */
  readonly trigger: string;
  /** Times the deny was put back after it was changed or removed (tamper). */
  readonly reapplied: number;
}

/** The report's row for uploads whose caller resolves to no registered organisation. */
export const UNREGISTERED_CALLERS = 'unregistered callers';

/** A registered organisation (or UNREGISTERED_CALLERS) with what happened to its uploads. */
export interface OrganisationRow {
  readonly id: string;
  readonly displayName: string;
  readonly category: string;
  readonly restricted: boolean;
  readonly roles: readonly string[];
  readonly uploads: number;
  readonly allowed: number;
  readonly denied: number;
  /** Outcomes by kind, as the records name them. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** False for the UNREGISTERED_CALLERS row. */
  readonly registered: boolean;
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
    /** Every upload the ledger says was moved to quarantine (QUARANTINED and REJECTED outcomes). */
    readonly recorded: readonly {
      readonly decisionId: string;
      readonly outcome: OutcomeKind;
      readonly bucket: string;
      readonly key: string;
      readonly versionId?: string;
      readonly present?: boolean;
      /** The decision's reason (why it was quarantined). */
      readonly reason: ReasonCode;
      readonly detail?: string;
      readonly orgId: string;
      /** The row's UploadRow.attributedTo (who the upload counts for). */
      readonly attributedTo: string;
      readonly at: string;
    }[];
    readonly found: readonly QuarantinedObjectInput[];
  };
  readonly enforcement: readonly EnforcementEntry[];
  /** Which roles were disabled, and until when (the reviewer's first question after the headline). */
  readonly rolesDisabled: readonly RoleDisabledRow[];
  /** Every registered organisation, with or without uploads, then UNREGISTERED_CALLERS when it has uploads. */
  readonly organisations: readonly OrganisationRow[];
  readonly counts: {
    readonly byEffect: Readonly<Record<string, number>>;
    readonly byReason: Readonly<Record<string, number>>;
    readonly byOutcome: Readonly<Record<string, number>>;
    readonly byOrganisation: Readonly<Record<string, number>>;
  };
  readonly faceEngineCalls?: number;
  readonly run?: RunSection;
  readonly consoleView?: ConsoleView;
  readonly evidence?: VerificationReport;
}
