/**
 * The run's check that decisions, outcomes and latencies live in scenario time.
 */

import { checkScenarioTime, MAX_PROCESSING_MS } from '../../../local/offline/scenario-time';
import type { MetricPoint } from '../../../local/report';

const row = (decisionId: string, at: string, decidedAt: string, outcomeAt?: string) => ({
  decisionId,
  at,
  decidedAt,
  ...(outcomeAt !== undefined ? { outcomeAt } : {}),
});
const latency = (value: number): MetricPoint => ({
  namespace: 'GovernedRecognition',
  name: 'EndToEndLatency',
  dimensions: { service: 'recognition' },
  value,
  unit: 'Milliseconds',
  source: 'emf',
});

describe('checkScenarioTime', () => {
  it('passes decisions taken shortly after their upload and outcomes after their decision, with the latency span', () => {
    const check = checkScenarioTime(
      [
        row('d-1', '2027-05-01T10:00:00.000Z', '2027-05-01T10:00:00.040Z', '2027-05-01T10:00:00.300Z'),
        row('d-2', '2027-06-15T09:00:00.000Z', '2027-06-15T09:00:00.012Z'),
      ],
      [latency(300), latency(25)],
    );

    expect(check).toMatchObject({
      ok: true,
      uploads: 2,
      decidedOutOfStep: [],
      outcomeBeforeDecision: [],
      decisionDelayMs: { min: 12, max: 40 },
      endToEndLatencyMs: { count: 2, min: 25, max: 300 },
    });
    expect(check.line).toBe(
      'Scenario time: 2 of 2 decisions at or after their upload (decidedAt - upload 12-40 ms), every outcome after its decision; EndToEndLatency 2 points, 25-300 ms',
    );
  });

  it.each([
    [
      'a decision on the wall clock, before a future upload',
      '2027-05-01T10:00:00.000Z',
      '2026-11-26T10:00:00.000Z',
      false,
    ],
    ['a decision one millisecond before the upload', '2027-05-01T10:00:00.000Z', '2027-05-01T09:59:59.999Z', false],
    ['a decision at the upload instant', '2027-05-01T10:00:00.000Z', '2027-05-01T10:00:00.000Z', true],
    [
      'a decision at the processing limit',
      '2027-05-01T10:00:00.000Z',
      new Date(Date.parse('2027-05-01T10:00:00.000Z') + MAX_PROCESSING_MS).toISOString(),
      true,
    ],
    [
      'a decision past the processing limit (a clock left at another step)',
      '2027-05-01T10:00:00.000Z',
      new Date(Date.parse('2027-05-01T10:00:00.000Z') + MAX_PROCESSING_MS + 1).toISOString(),
      false,
    ],
  ])('judges %s', (_name, at, decidedAt, ok) => {
    const check = checkScenarioTime([row('d-1', at, decidedAt)], []);

    expect([check.ok, check.decidedOutOfStep]).toEqual([ok, ok ? [] : ['d-1']]);
  });

  it('fails an outcome recorded before its decision', () => {
    const check = checkScenarioTime(
      [row('d-1', '2027-05-01T10:00:00.000Z', '2027-05-01T10:00:00.040Z', '2027-05-01T10:00:00.039Z')],
      [],
    );

    expect([check.ok, check.outcomeBeforeDecision]).toEqual([false, ['d-1']]);
    expect(check.line).toContain('1 outcome(s) BEFORE their decision; EndToEndLatency not published');
  });
});
