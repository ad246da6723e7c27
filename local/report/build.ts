/**
 * Building the review report from what the run recorded. The verdicts (restricted? in the
 * window? got through?) are recomputed here from the settings and the raw records, so the
 * headline checks the pipeline instead of repeating what it said about itself.
 */
import type { OutcomeRecord } from '../../lambda/shared/audit';
import type { Decision } from '../../lambda/shared/decision';
import { findOrganisation, type GovernanceSettings, isRestrictedCategory } from '../../lambda/shared/settings';
import { consoleViewOf } from './console-view';
import { recognitionViewOf } from './faces';
import { rolesDisabledOf } from './roles';
import {
  type OrganisationRow,
  type ReportInput,
  type ResultDocumentInput,
  type ReviewReport,
  UNREGISTERED_CALLERS,
  type UploadRow,
} from './types';

const objectId = (o: { bucket: string; key: string; versionId?: string }): string =>
  `${o.bucket}\n${o.key}\n${o.versionId ?? ''}`;

const countBy = <T>(items: readonly T[], key: (item: T) => string | undefined): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
};

/** Split ledger items into decisions and outcomes, keyed by decision id. */
export const readLedger = (
  items: ReportInput['ledgerItems'],
): { decisions: Decision[]; outcomes: Map<string, OutcomeRecord> } => {
  const decisions: Decision[] = [];
  const outcomes = new Map<string, OutcomeRecord>();
  for (const item of items) {
    if (item.entry === 'DECISION' && typeof item.decision === 'object' && item.decision !== null)
      decisions.push(item.decision as Decision);
    if (item.entry === 'OUTCOME' && typeof item.record === 'object' && item.record !== null)
      outcomes.set(String(item.decisionId), item.record as OutcomeRecord);
  }
  return { decisions, outcomes };
};

/**
 * The caller's category as the *settings* say, from the role, the caller's organisation or the
 * organisation whose prefix was written to: a police role writing under an NGO prefix, or
 * anyone writing under a police prefix, counts as restricted.
 */
const categoriesOf = (settings: GovernanceSettings, decision: Decision): string[] => {
  const byRole = settings.organisations.find(
    (org) => decision.caller.roleArn !== undefined && org.roleArns.includes(decision.caller.roleArn),
  );
  const byCaller = decision.caller.orgId !== undefined ? findOrganisation(settings, decision.caller.orgId) : undefined;
  const byPrefix = findOrganisation(settings, decision.request.orgId);
  return [byRole?.category, byCaller?.category, byPrefix?.category, decision.caller.category].filter(
    (c): c is string => c !== undefined,
  );
};

/** The registered organisation the caller acts for (by its role, else by its resolved organisation), if any. */
const callerOrganisationOf = (settings: GovernanceSettings, decision: Decision): string | undefined => {
  const { roleArn, orgId } = decision.caller;
  const byRole = settings.organisations.find((org) => roleArn !== undefined && org.roleArns.includes(roleArn));
  return byRole?.id ?? (orgId !== undefined ? findOrganisation(settings, orgId)?.id : undefined);
};

/** Whether a request at `at` falls where restricted callers must be denied. */
const mustDenyRestrictedAt = (settings: GovernanceSettings, at: string): boolean => {
  const t = Date.parse(at);
  const { start, end, afterWindow } = settings.moratorium;
  if (Number.isNaN(t)) return true; // an unreadable time is treated as inside the window (fail closed)
  return (t >= Date.parse(start) && t < Date.parse(end)) || (afterWindow === 'deny' && t >= Date.parse(end));
};

const rowOf = (
  input: ReportInput,
  decision: Decision,
  outcome: OutcomeRecord | undefined,
  resultById: Map<string, ResultDocumentInput>,
): UploadRow => {
  const { settings } = input;
  const categories = categoriesOf(settings, decision);
  const restricted = decision.caller.restricted || categories.some((c) => isRestrictedCategory(settings, c));
  const inMoratorium = mustDenyRestrictedAt(settings, decision.request.at);
  const result = resultById.get(decision.decisionId);
  const violations: string[] = [];
  const through = decision.effect === 'ALLOW' || outcome?.outcome === 'RECOGNIZED';
  if (restricted && inMoratorium && through) violations.push('restricted request got through during the moratorium');
  if (outcome?.outcome === 'RECOGNIZED' && decision.effect !== 'ALLOW')
    violations.push('recognised without an allow decision');
  if (decision.request.object !== undefined && outcome === undefined) violations.push('no outcome recorded');
  return {
    decisionId: decision.decisionId,
    at: decision.request.at,
    decidedAt: decision.decidedAt,
    principalId: decision.caller.principalId,
    ...(decision.caller.roleArn !== undefined ? { roleArn: decision.caller.roleArn } : {}),
    orgId: decision.request.orgId,
    attributedTo: callerOrganisationOf(settings, decision) ?? UNREGISTERED_CALLERS,
    category: categories[0] ?? 'unknown',
    restricted,
    inMoratorium,
    operation: decision.request.operation,
    purpose: decision.request.purpose,
    effect: decision.effect,
    reason: decision.reason,
    policyIds: [...decision.policyIds],
    ...(decision.detail !== undefined ? { detail: decision.detail } : {}),
    ...(decision.request.object !== undefined ? { object: decision.request.object } : {}),
    ...(outcome !== undefined ? { outcome: outcome.outcome, outcomeAt: outcome.recordedAt } : {}),
    ...(outcome?.location !== undefined ? { location: outcome.location } : {}),
    ...(result?.missing === true ? { resultMissing: true as const } : {}),
    ...(result !== undefined && result.missing !== true
      ? { recognition: recognitionViewOf(result.operation ?? outcome?.operation ?? '', result.response) }
      : {}),
    violations,
  };
};

const tally = (own: readonly UploadRow[]) => ({
  uploads: own.length,
  allowed: own.filter((row) => row.effect === 'ALLOW').length,
  denied: own.filter((row) => row.effect === 'DENY').length,
  outcomes: countBy(own, (row) => row.outcome ?? 'NONE'),
});

/**
 * Every registered organisation, in registry order, with the uploads of its own callers counted
 * (not of whoever wrote under its prefix), then the unregistered callers when there are any.
 */
const organisationsOf = (settings: GovernanceSettings, uploads: readonly UploadRow[]): OrganisationRow[] => {
  const registered = settings.organisations.map((org) => ({
    id: org.id,
    displayName: org.displayName,
    category: org.category,
    restricted: isRestrictedCategory(settings, org.category),
    roles: [...org.roleArns],
    ...tally(uploads.filter((row) => row.attributedTo === org.id)),
    registered: true,
  }));
  const unregistered = uploads.filter((row) => row.attributedTo === UNREGISTERED_CALLERS);
  return unregistered.length === 0
    ? registered
    : [
        ...registered,
        {
          id: UNREGISTERED_CALLERS,
          displayName: 'callers whose role is in no organisation of the registry',
          category: 'unknown',
          restricted: false,
          roles: [...new Set(unregistered.flatMap((row) => (row.roleArn !== undefined ? [row.roleArn] : [])))],
          ...tally(unregistered),
          registered: false,
        },
      ];
};

/**
 * @example
 * const report = buildReviewReport({ generatedAt, settings, ledgerItems, results, quarantine, enforcement });
 * report.headline.restrictedGotThrough // 0, or the page says otherwise in red
 */
export const buildReviewReport = (input: ReportInput): ReviewReport => {
  const { decisions, outcomes } = readLedger(input.ledgerItems);
  const resultById = new Map((input.results ?? []).map((result) => [result.decisionId, result] as const));
  const rows = decisions
    .map((decision) => rowOf(input, decision, outcomes.get(decision.decisionId), resultById))
    .sort((a, b) => a.at.localeCompare(b.at) || a.decisionId.localeCompare(b.decisionId));
  const uploads = rows.filter((row) => row.object !== undefined);
  const questions = rows.filter((row) => row.object === undefined);

  const restrictedRows = rows.filter((row) => row.restricted && row.inMoratorium);
  const restrictedGotThrough = restrictedRows.filter((row) =>
    row.violations.includes('restricted request got through during the moratorium'),
  ).length;
  const recognisedWithoutAllow = rows.filter((row) =>
    row.violations.includes('recognised without an allow decision'),
  ).length;
  const uploadsWithoutOutcome = uploads.filter((row) => row.outcome === undefined).length;
  const ok = restrictedGotThrough === 0 && recognisedWithoutAllow === 0;
  const text = !ok
    ? `RESTRICTED ACCESS GOT THROUGH: ${restrictedGotThrough} of ${restrictedRows.length} restricted requests in the moratorium were allowed or recognised; ${recognisedWithoutAllow} recognitions ran without an allow.`
    : restrictedRows.length === 0
      ? `No restricted request in the moratorium ${rows.length === 1 && uploads.length === 1 ? 'in this upload' : 'among these decisions'}.`
      : `No restricted request got through: ${restrictedGotThrough} of ${restrictedRows.length} restricted requests in the moratorium were allowed or recognised.`;

  const found = input.quarantine ?? [];
  const foundIds = new Set(found.map(objectId));
  const foundKeys = new Set(found.map((o) => objectId({ bucket: o.bucket, key: o.key })));
  const recorded = uploads
    // Rejected uploads (not an image, a malformed key) are moved to quarantine too.
    .filter((row) => (row.outcome === 'QUARANTINED' || row.outcome === 'REJECTED') && row.location !== undefined)
    .map((row) => ({
      decisionId: row.decisionId,
      outcome: row.outcome!,
      reason: row.reason,
      ...(row.detail !== undefined ? { detail: row.detail } : {}),
      orgId: row.orgId,
      attributedTo: row.attributedTo,
      at: row.at,
      ...row.location!,
      ...(input.quarantine !== undefined
        ? {
            present:
              foundIds.has(objectId(row.location!)) ||
              foundKeys.has(objectId({ bucket: row.location!.bucket, key: row.location!.key })),
          }
        : {}),
    }));

  const enforcement = [...(input.enforcement ?? [])].sort((a, b) => a.at.localeCompare(b.at));
  const now = Date.parse(input.generatedAt);
  return {
    title: input.title ?? 'Governed recognition: review report',
    generatedAt: input.generatedAt,
    headline: {
      ok,
      text,
      restrictedRequests: restrictedRows.length,
      restrictedGotThrough,
      recognisedWithoutAllow,
      uploadsWithoutOutcome,
    },
    moratorium: {
      ...input.settings.moratorium,
      inForceAtReport:
        now >= Date.parse(input.settings.moratorium.start) && now < Date.parse(input.settings.moratorium.end),
    },
    uploads,
    questions,
    quarantine: { recorded, found },
    enforcement,
    rolesDisabled: rolesDisabledOf(input.settings, enforcement),
    organisations: organisationsOf(input.settings, uploads),
    counts: {
      byEffect: countBy(uploads, (row) => row.effect),
      byReason: countBy(uploads, (row) => row.reason),
      byOutcome: countBy(uploads, (row) => row.outcome ?? 'NONE'),
      byOrganisation: countBy(uploads, (row) => row.attributedTo),
    },
    ...(input.faceEngineCalls !== undefined ? { faceEngineCalls: input.faceEngineCalls } : {}),
    ...(input.run !== undefined ? { run: input.run } : {}),
    ...(input.evidence !== undefined ? { evidence: input.evidence } : {}),
    ...(input.metrics !== undefined
      ? {
          consoleView: consoleViewOf({
            settings: input.settings,
            decisions,
            outcomes,
            enforcement: input.enforcement ?? [],
            metrics: input.metrics,
          }),
        }
      : {}),
  };
};
