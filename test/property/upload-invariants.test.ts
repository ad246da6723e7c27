/**
 * Issue 9's invariants, over generated scenarios played through the deployed handlers (see
 * local/chaos/world.ts): after each scenario quiesces,
 * 1. every upload has exactly one OUTCOME and a DECISION it agrees with;
 * 2. Rekognition is never called without a recorded ALLOW for that version, nor for a restricted
 *    caller at an instant inside the window (checked at the instant of each call);
 * 3. an intake version is deleted only once its quarantine copy exists and its OUTCOME is recorded
 *    (checked as the delete is sent);
 * 4. Rekognition is called again for an upload at most once, and only after a crash between the
 *    call and the outcome write.
 *
 * `GOVREC_PBT_RUNS` sets the number of generated scenarios (default 200); `GOVREC_PBT_SEED`
 * replays one. A failing seed goes into REGRESSIONS with its path, so it runs on every `npm test`.
 * Locally every run draws a new seed (and prints it on failure); under CI (`CI=true`) the seed is
 * fixed, so a merge is judged on the same scenarios every time and a red build always replays.
 */
import fc from 'fast-check';
import { type Scenario, scenarioArbitrary, type UploadSpec } from '../../local/chaos/scenario';
import { runScenario, type World } from '../../local/chaos/world';

const RUNS = Number(process.env.GOVREC_PBT_RUNS ?? 200);
/** The seed CI uses (see above); any seed a local run finds failing becomes a REGRESSIONS case. */
const CI_SEED = 20261207;

/**
 * Scenarios kept by name: counterexamples fast-check found (the first two, seeds -1287442579 and
 * 1487810465; both exposed gaps in how the scenario modelled the queue and S3, since fixed in
 * local/chaos/world.ts) and hand-picked cases at the edges the issue names.
 */
const REGRESSIONS: ReadonlyArray<readonly [string, Scenario]> = [
  [
    'seed 297532736 (run 69): the outcome written but its answer lost on the final receive, then a second copy',
    {
      uploads: [
        {
          org: 'marinus-like',
          as: 'other-role',
          operation: 'index',
          name: 'encoded',
          content: 'text',
          deletedBefore: false,
        },
        {
          org: 'unregistered',
          as: 'other-role',
          operation: 'index',
          name: 'cjk',
          content: 'jpeg',
          deletedBefore: false,
        },
      ],
      anchor: 'end',
      offsetMs: 0,
      deliveries: [0, 1],
      delaysMs: [45_000, 45_000, 45_000, 0],
      tagBeforeDelivery: 4,
      faults: [
        { at: 59, kind: 'server', after: false },
        { at: 45, kind: 'timeout', after: true },
        { at: 49, kind: 'timeout', after: true },
        { at: 8, kind: 'throttle', after: false },
        { at: 2, kind: 'timeout', after: false },
        { at: 30, kind: 'timeout', after: false },
      ],
      crashAt: 49,
    },
  ],
  [
    'seed -1287442579: an idempotency write whose answer was lost, then redeliveries',
    {
      uploads: [
        {
          org: 'metro-police',
          as: 'own-role',
          operation: 'search',
          name: 'plain',
          content: 'text',
          deletedBefore: true,
        },
        { org: 'thorn-like', as: 'own-role', operation: 'search', name: 'cjk', content: 'text', deletedBefore: false },
        {
          org: 'metro-police',
          as: 'own-role',
          operation: 'search',
          name: 'cjk',
          content: 'jpeg',
          deletedBefore: false,
        },
      ],
      anchor: 'start',
      offsetMs: -1,
      deliveries: [2, 0, 1, 0],
      delaysMs: [10_000, 10_000, 45_000],
      faults: [
        { at: 14, kind: 'throttle', after: false },
        { at: 39, kind: 'timeout', after: true },
      ],
      crashAt: 48,
    },
  ],
  [
    'seed 1487810465: keys outside the layout and an unregistered prefix after the end, with a crash',
    {
      uploads: [
        { org: 'metro-police', as: 'own-role', operation: 'bogus', name: 'cjk', content: 'jpeg', deletedBefore: false },
        {
          org: 'unregistered',
          as: 'own-role',
          operation: 'detect',
          name: 'invalid',
          content: 'jpeg',
          deletedBefore: false,
        },
        {
          org: 'unregistered',
          as: 'own-role',
          operation: 'bogus',
          name: 'invalid',
          content: 'jpeg',
          deletedBefore: false,
        },
      ],
      anchor: 'end',
      offsetMs: 15_000,
      deliveries: [0, 1, 2],
      delaysMs: [1],
      tagBeforeDelivery: 2,
      faults: [
        { at: 45, kind: 'server', after: false },
        { at: 19, kind: 'server', after: false },
      ],
      crashAt: 3,
    },
  ],
  [
    'a police upload decided just before the start, retried across it after a throttled Invoke',
    {
      uploads: [
        {
          org: 'metro-police',
          as: 'own-role',
          operation: 'detect',
          name: 'plain',
          content: 'jpeg',
          deletedBefore: false,
        },
      ],
      anchor: 'start',
      offsetMs: -20_000,
      deliveries: [0],
      delaysMs: [45_000],
      faults: [{ at: 3, kind: 'throttle', after: false }],
    },
  ],
  [
    'an NGO role tagged restricted between two deliveries of the same upload inside the window',
    {
      uploads: [
        { org: 'thorn-like', as: 'own-role', operation: 'detect', name: 'cjk', content: 'jpeg', deletedBefore: false },
      ],
      anchor: 'start',
      offsetMs: 1,
      deliveries: [0, 0],
      delaysMs: [500],
      tagBeforeDelivery: 1,
      faults: [],
      crashAt: 14,
    },
  ],
  [
    'a deny whose OUTCOME write is throttled, then a crash before the delete on the next receive',
    {
      uploads: [
        {
          org: 'metro-police',
          as: 'own-role',
          operation: 'search',
          name: 'at-limit',
          content: 'jpeg',
          deletedBefore: false,
        },
      ],
      anchor: 'start',
      offsetMs: 15_000,
      deliveries: [0],
      delaysMs: [0],
      faults: [{ at: 12, kind: 'throttle', after: true }],
      crashAt: 20,
    },
  ],
];

describe('intake pipeline invariants under faults (property)', () => {
  let world: World;
  let scenarios = 0;
  const started = process.cpuUsage();

  beforeAll(async () => {
    // Metrics are off in tests, so every invocation's logMetrics says it has none: not news here.
    const warn = console.warn.bind(console);
    jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!String(args[0]).startsWith('No application metrics')) warn(...args);
    });
    const { startWorld } = await import('../../local/chaos/world');
    world = await startWorld();
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
    const cpu = process.cpuUsage(started);
    // One line for the lead: how many scenarios, and what they cost.
    process.stdout.write(
      `[upload-invariants] ${scenarios} scenarios, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU\n`,
    );
  });

  it.each(REGRESSIONS)('holds for the regression case: %s', async (_name, scenario) => {
    scenarios += 1;
    const report = await runScenario(world, scenario, scenarios);
    expect(report.violations).toEqual([]);
  });

  // Contract: the worker against the real policy function through the Invoke payload, one case
  // per decision reason the registry and the configured window can produce.
  const upload = (overrides: Partial<UploadSpec>): UploadSpec => ({
    org: 'thorn-like',
    as: 'own-role',
    operation: 'detect',
    name: 'plain',
    content: 'jpeg',
    deletedBefore: false,
    ...overrides,
  });
  it.each<[string, string, UploadSpec, 'start' | 'end', number]>([
    ['ALLOWED', 'RECOGNIZED', upload({}), 'start', -300_000],
    ['MORATORIUM_IN_FORCE', 'QUARANTINED', upload({ org: 'metro-police' }), 'start', 0],
    ['UNKNOWN_PRINCIPAL', 'QUARANTINED', upload({ as: 'unknown' }), 'start', -300_000],
    ['ORG_MISMATCH', 'QUARANTINED', upload({ as: 'other-role' }), 'start', -300_000],
    ['OPERATION_NOT_REGISTERED', 'QUARANTINED', upload({ org: 'marinus-like', operation: 'index' }), 'start', -300_000],
    ['INVALID_REQUEST', 'REJECTED', upload({ name: 'invalid' }), 'start', -300_000],
    ['INVALID_IMAGE', 'REJECTED', upload({ content: 'text' }), 'start', -300_000],
    ['OBJECT_GONE', 'GONE', upload({ deletedBefore: true }), 'start', -300_000],
  ])('records %s from the real policy function and ends %s', async (reason, outcome, spec, anchor, offsetMs) => {
    scenarios += 1;
    const report = await runScenario(
      world,
      { uploads: [spec], anchor, offsetMs, deliveries: [0], delaysMs: [0], faults: [] },
      scenarios,
    );
    expect(report.violations).toEqual([]);
    expect(report.stories).toEqual([{ effect: reason === 'ALLOWED' ? 'ALLOW' : 'DENY', reason, outcome }]);
  });

  it(`holds for ${RUNS} generated scenarios`, async () => {
    const seed =
      process.env.GOVREC_PBT_SEED !== undefined
        ? Number(process.env.GOVREC_PBT_SEED)
        : process.env.CI === 'true'
          ? CI_SEED
          : undefined;
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary(), async (scenario) => {
        scenarios += 1;
        const report = await runScenario(world, scenario, scenarios);
        expect(report.violations).toEqual([]);
      }),
      { numRuns: RUNS, ...(seed !== undefined ? { seed } : {}), endOnFailure: true },
    );
  }, 600_000);
});
