/** What the offline run adds about itself: its steps, and what IAM answered for the roles' sessions. */
import { e, instant, type ReportSection, table } from '../html-kit';
import type { RunSection } from '../types';

export const runSection = (run: RunSection): ReportSection => ({
  id: 'run',
  title: `Scenario steps (${run.steps.length})`,
  html: `${table(
    'steps',
    ['#', 'Time', 'Step', 'Outcome', 'Expected', 'Face engine calls'],
    run.steps.map(
      (s) =>
        `<tr class="${s.asExpected ? '' : 'violation'}" data-step="${s.index}" data-as-expected="${s.asExpected}"><td>${s.index}</td><td>${e(instant(s.at))}</td><td>${e(s.title)}</td><td>${e(s.outcome)}</td><td>${e(s.expected)}${s.asExpected ? '' : ' <strong>(not met)</strong>'}</td><td>${e(
          Object.entries(s.faceEngineCalls ?? {})
            .map(([op, n]) => `${op} ${n}`)
            .join(', ') || (s.faceEngineCalls !== undefined ? 'none' : ''),
        )}</td></tr>`,
    ),
  )}
<p id="engine-calls-by-operation">Face engine calls by operation: ${e(
    Object.entries(run.faceEngineCallsByOperation)
      .map(([op, n]) => `${op} ${n}`)
      .join(', ') || 'none',
  )}; dead letters: ${run.deadLetters}</p>
<details id="iam-effect"><summary>Effect of enforcement: what IAM answers for the roles' sessions (${run.accessChecks.length} checks, ${run.roleStates.length} role states)</summary>
${table(
  'access-checks',
  ['Time', 'Role', 'Action', 'Resource', 'Result', 'When'],
  run.accessChecks.map(
    (a) =>
      `<tr data-result="${e(a.result)}"><td>${e(a.at)}</td><td><code>${e(a.roleArn)}</code></td><td>${e(a.action)}</td><td><code>${e(a.resource)}</code></td><td>${e(a.result)}</td><td>${e(a.label)}</td></tr>`,
  ),
)}
${table(
  'role-states',
  ['Time', 'Role', 'Inline policies', 'Tags', 'When'],
  run.roleStates.map(
    (r) =>
      `<tr><td>${e(r.at)}</td><td><code>${e(r.roleArn)}</code></td><td>${e(r.inlinePolicies.join(', ') || 'none')}</td><td><code>${e(
        Object.entries(r.tags)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
      )}</code></td><td>${e(r.label)}</td></tr>`,
  ),
)}</details>`,
});
