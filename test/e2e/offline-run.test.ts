/**
 * The offline run end to end: the real `govrec` command in a child process, asserting on
 * the review report it writes (also opened in headless Chromium: the page a reviewer gets, not a
 * fixture), and `govrec decide` on both sides of the moratorium window.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReviewReport, UploadRow } from '../../local/report';
import { withPageOf } from '../helpers/chromium';

const ROOT = join(__dirname, '..', '..');
const POLICE_ROLES = [
  'arn:aws:iam::111111111111:role/govrec-police-investigations',
  'arn:aws:iam::111111111111:role/govrec-police-analysts',
];

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// The CDK CLI's region would change the synthesized template (as it does for `cdk synth`): the
// run is asserted for the fallback region.
const { CDK_DEFAULT_REGION: _region, CDK_DEFAULT_ACCOUNT: _account, ...childEnv } = process.env;

const govrec = (args: readonly string[], timeoutMs = 150_000): Promise<Ran> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bin/govrec.ts', ...args],
      { cwd: ROOT, env: childEnv, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });

describe('govrec run (the offline scenario)', () => {
  let output: string;
  let ran: Ran;
  let report: ReviewReport;
  const upload = (key: string): UploadRow => {
    const rows = report.uploads.filter((row) => row.object?.key.endsWith(key));
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };

  beforeAll(async () => {
    output = mkdtempSync(join(tmpdir(), 'govrec-e2e-'));
    ran = await govrec(['run', '--output', output]);
    report = JSON.parse(readFileSync(join(output, 'review-report.json'), 'utf8')) as ReviewReport;
  }, 180_000);

  afterAll(() => rmSync(output, { recursive: true, force: true }));

  it('exits 0, prints one line per step and the report path', () => {
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(`Review report: ${join(output, 'review-report.html')}`);
    expect(ran.stdout).toContain('14 of 14 steps as expected');
    expect(report.run?.steps.map((step) => step.asExpected)).toEqual(Array(14).fill(true));
  });

  it('finds the indexed person above the threshold with another photo of her, and nobody with a photo of someone else', () => {
    const same = upload('search/astronaut-retaken.jpg');
    expect(same.effect).toBe('ALLOW');
    expect(same.outcome).toBe('RECOGNIZED');
    expect(same.recognition?.matches).toHaveLength(1);
    expect(same.recognition?.matches[0]?.externalImageId).toMatch(/^astronaut\.png/);
    expect(same.recognition?.matches[0]?.similarity).toBeGreaterThanOrEqual(80);
    const other = upload('search/camera.png');
    expect(other.outcome).toBe('RECOGNIZED');
    expect(other.recognition?.matches).toEqual([]);
  });

  it('denies and quarantines every police upload in the window, and none of them reaches the face engine', () => {
    const inWindow = report.uploads.filter((row) => row.orgId === 'metro-police' && row.inMoratorium);
    expect(inWindow).toHaveLength(2);
    for (const row of inWindow) {
      expect([row.effect, row.reason, row.outcome]).toEqual(['DENY', 'MORATORIUM_IN_FORCE', 'QUARANTINED']);
      expect(report.quarantine.recorded.find((q) => q.decisionId === row.decisionId)?.present).toBe(true);
      expect(report.run?.steps.find((step) => step.decisionId === row.decisionId)?.faceEngineCalls).toEqual({});
      // The sweep's deny is on the role: IAM itself would already refuse the PutObject on AWS.
      expect(report.run?.steps.find((step) => step.decisionId === row.decisionId)?.outcome).toContain(
        'IAM would refuse this PutObject (AccessDenied)',
      );
    }
    // Exactly the allowed uploads reached the engine: 1 index, 3 searches, 3 detections.
    expect(report.run?.faceEngineCallsByOperation).toEqual({ IndexFaces: 1, SearchFacesByImage: 3, DetectFaces: 3 });
    expect(report.run?.deadLetters).toBe(0);
  });

  it('denies the unknown principal without calling the face engine', () => {
    const unknown = upload('search/unknown.png');
    expect([unknown.effect, unknown.reason, unknown.outcome]).toEqual(['DENY', 'UNKNOWN_PRINCIPAL', 'QUARANTINED']);
    expect(report.run?.steps.find((step) => step.decisionId === unknown.decisionId)?.faceEngineCalls).toEqual({});
  });

  it('names the rewritten audit record and the deleted enforcement record in the report and in govrec verify', async () => {
    expect(report.evidence?.findings.map((finding) => [finding.kind, finding.ledger])).toEqual([
      ['RECORD_CHANGE_OUTSIDE_PIPELINE', 'audit'],
      ['RECORD_MISSING', 'enforcement'],
    ]);
    expect(report.evidence?.digests.valid).toBe(report.evidence?.digests.checked);
    const html = readFileSync(join(output, 'review-report.html'), 'utf8');
    expect(html).toContain('<tr data-kind="RECORD_MISSING">');

    const verified = await govrec(['verify', '--evidence', join(output, 'evidence'), '--json']);

    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout).findings).toEqual(report.evidence?.findings);
  });

  it('records exactly one decision and one outcome per upload', () => {
    const uploadSteps = report.run!.steps.filter((step) => step.decisionId !== undefined);
    expect(uploadSteps).toHaveLength(11);
    for (const step of uploadSteps) {
      const rows = report.uploads.filter((row) => row.decisionId === step.decisionId);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.outcome).toBeDefined();
    }
    expect(report.uploads).toHaveLength(11);
    expect(report.headline.uploadsWithoutOutcome).toBe(0);
  });

  it('disables the police roles at the window start and restores them at its end', () => {
    const states = (label: string) => report.run!.roleStates.filter((state) => state.label === label);
    expect(states('after the sweep at the window start').map((s) => [s.roleArn, s.inlinePolicies.length > 0])).toEqual(
      POLICE_ROLES.map((arn) => [arn, true]),
    );
    expect(states('after the restore at the window end').map((s) => [s.roleArn, s.inlinePolicies])).toEqual(
      POLICE_ROLES.map((arn) => [arn, []]),
    );
    const access = (label: string) =>
      report.run!.accessChecks.filter((check) => check.label === label).map((check) => check.result);
    expect(access('before the window')).toEqual(['Allowed', 'Allowed']);
    expect(access('in the window, new session')).toEqual(['ExplicitlyDenied', 'ExplicitlyDenied']);
    expect(access('in the window, session issued before the sweep')).toEqual(['ExplicitlyDenied', 'ExplicitlyDenied']);
    expect(access('after the window')).toEqual(['Allowed', 'Allowed']);
    const actions = (action: string) =>
      report.enforcement
        .filter((entry) => entry.action === action)
        .map((entry) => entry.role)
        .sort();
    expect(actions('DISABLED')).toEqual([...POLICE_ROLES].sort());
    expect(actions('NOOP')).toEqual([...POLICE_ROLES].sort());
    expect(actions('RESTORED')).toEqual([...POLICE_ROLES].sort());
  });

  it('allows police uploads before and after the window (normal rules after it)', () => {
    expect([upload('detect/camera-before.png').effect, upload('detect/camera-before.png').outcome]).toEqual([
      'ALLOW',
      'RECOGNIZED',
    ]);
    expect([upload('detect/camera-after.png').effect, upload('detect/camera-after.png').outcome]).toEqual([
      'ALLOW',
      'RECOGNIZED',
    ]);
  });

  it('says in the headline that no restricted request got through', () => {
    expect(report.headline).toMatchObject({
      ok: true,
      restrictedRequests: 2,
      restrictedGotThrough: 0,
      recognisedWithoutAllow: 0,
    });
    expect(report.headline.text).toMatch(/^No restricted request got through/);
  });

  it('shows in the console view the same number as the records for every dashboard number, from the metrics the handlers and workflows published', () => {
    const view = report.consoleView!;
    expect(view.rows.filter((row) => !row.equal || row.console !== row.records)).toEqual([]);
    expect(view.differences).toBe(0);
    expect(view.restrictedAllowedInWindow).toBe(0);
    const shown = Object.fromEntries(
      view.rows.map((row) => [
        `${row.metric}{${Object.entries(row.dimensions)
          .filter(([k]) => k !== 'service')
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}}`,
        row.console,
      ]),
    );
    expect(shown).toEqual({
      'RestrictedAllowedInWindow{}': 0,
      'Decisions{Effect=DENY,Reason=MORATORIUM_IN_FORCE,Category=police}': 2,
      'Decisions{Effect=ALLOW}': 7,
      // 3 denials of the policy decision point + 1 the recognition worker decided itself (notes.txt, INVALID_IMAGE).
      'Decisions{Effect=DENY}': 4,
      'RolesDisabled{Category=police}': 2,
      'RolesRestored{Category=police}': 2,
      'EnforcementReapplied{Category=police}': 0,
      'Uploads{Outcome=RECOGNIZED}': 7,
      'Uploads{Outcome=QUARANTINED}': 3,
      'Uploads{Outcome=REJECTED}': 1,
      'Uploads{Outcome=GONE}': 0,
      'Uploads{Outcome=UNAVAILABLE}': 0,
      'Uploads{Outcome=DUPLICATE}': 0,
      'Quarantined{}': 4,
      'RekognitionCalls{Operation=SearchFacesByImage}': 3,
      'RekognitionCalls{Operation=DetectFaces}': 3,
      'RekognitionCalls{Operation=IndexFaces}': 1,
    });
    // The Rekognition numbers also match what the face engine itself counted.
    expect(report.run?.faceEngineCallsByOperation).toEqual({ IndexFaces: 1, SearchFacesByImage: 3, DetectFaces: 3 });
    expect(view.putMetricDataCalls).toBe(4);
    expect(view.emfRecords).toBeGreaterThan(0);
  });

  it('decides and settles every upload in scenario time: at or after the upload, within the step, outcome after decision', () => {
    expect(report.uploads).toHaveLength(11);
    for (const row of report.uploads) {
      const decidedAfter = Date.parse(row.decidedAt) - Date.parse(row.at);
      expect([row.decisionId, decidedAfter >= 0 && decidedAfter < 60_000]).toEqual([row.decisionId, true]);
      expect([row.decisionId, Date.parse(row.outcomeAt!) >= Date.parse(row.decidedAt)]).toEqual([row.decisionId, true]);
    }
    expect(ran.stdout).toMatch(
      /^Scenario time: 11 of 11 decisions at or after their upload \(decidedAt - upload \d+-\d+ ms\), every outcome after its decision; EndToEndLatency 11 points, \d+-\d+ ms$/m,
    );
  });

  it('restricts the police roles by their category: no role carries the restricted tag', () => {
    const police = report.uploads.filter((row) => row.orgId === 'metro-police');
    expect(police.map((row) => [row.category, row.restricted])).toEqual(Array(4).fill(['police', true]));
    const before = report.run!.roleStates.filter((state) => state.label === 'before the window');
    expect(before.map((state) => [state.roleArn, state.tags])).toEqual(
      POLICE_ROLES.map((arn) => [arn, { 'govrec:org': 'metro-police' }]),
    );
  });

  it('synthesizes for the region bin/app.ts falls back to (us-east-1), so no IAM-events warning is printed', () => {
    expect(ran.stdout).not.toContain('iam-events-us-east-1');
    expect(ran.stdout).not.toMatch(/^Synth /m);
  });

  it("keeps the handlers' EMF lines off the terminal", () => {
    expect(ran.stdout).not.toContain('"_aws"');
    expect(ran.stderr).not.toContain('"_aws"');
  });

  describe("the run's review-report.html in headless Chromium at 1,280 px", () => {
    let seen: Awaited<ReturnType<typeof readPage>>;
    const readPage = (htmlPath: string) =>
      withPageOf(htmlPath, async (page) => {
        await page.setViewportSize({ width: 1280, height: 900 });
        const overflow = () =>
          page.evaluate(
            'document.documentElement.scrollWidth - document.documentElement.clientWidth',
          ) as Promise<number>;
        const visibleRows = () =>
          page
            .locator('#uploads tbody tr')
            .evaluateAll((rows) => rows.filter((row) => !(row as unknown as { hidden: boolean }).hidden).length);
        const screen = {
          headline: (await page.locator('#headline').innerText()).trim(),
          images: await page
            .locator('#recognition img')
            .evaluateAll((imgs) => imgs.map((img) => (img as unknown as { naturalWidth: number }).naturalWidth)),
          notEmbedded: await page.getByText('(image not embedded)').count(),
          boxes: await page.locator('#recognition .box').count(),
          roles: await page
            .locator('#roles-disabled tbody tr')
            .evaluateAll((rows) =>
              rows.map((row) =>
                [...row.querySelectorAll('td')].map((td) => (td as unknown as { innerText: string }).innerText.trim()),
              ),
            ),
          chartUploads: await page.locator('#timeline-chart circle.upload').count(),
          chartEnforcement: await page
            .locator('#timeline-chart rect.enforcement')
            .evaluateAll((marks) => marks.map((mark) => mark.getAttribute('data-action'))),
          chartHeight: (await page.locator('#timeline-chart').boundingBox())?.height ?? 0,
          organisations: await page
            .locator('#organisations-table tbody tr')
            .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-org'))),
          overflow: await overflow(),
          rows: await visibleRows(),
        };
        await page.locator('select[data-filter="org"]').selectOption('metro-police');
        const filtered = await visibleRows();
        await page.emulateMedia({ media: 'print' });
        return { ...screen, filtered, printOverflow: await overflow() };
      });

    beforeAll(async () => {
      seen = await readPage(join(output, 'review-report.html'));
    }, 120_000);

    it('shows every recognised upload as a loaded image with its face boxes', () => {
      const recognised = report.uploads.filter((row) => row.outcome === 'RECOGNIZED').length;
      expect(seen.images).toHaveLength(recognised);
      expect(seen.images.every((width) => width > 0)).toBe(true);
      expect(seen.notEmbedded).toBe(0);
      expect(seen.boxes).toBeGreaterThanOrEqual(recognised - 1); // coffee.png has no face
    });

    it('opens with the headline and the roles disabled, until when, restored when and by what', () => {
      expect(seen.headline).toBe(report.headline.text);
      expect(seen.roles).toHaveLength(2);
      for (const [role, org, disabledAt, until, restoredAt, trigger] of seen.roles) {
        expect(role).toMatch(/^govrec-police-(investigations|analysts)\n/);
        expect(org).toBe('metro-police (police)');
        expect(disabledAt).toBe('2027-06-10 00:00:00Z');
        expect(until).toBe('2028-06-10 00:00:00Z');
        expect(restoredAt).toMatch(/^2028-06-10 00:00:00Z\nworkflow \S*Restore/);
        expect(trigger).toBe('sweep: Sweep');
      }
    });

    it('draws the timeline chart with every upload and the roles disabled and restored', () => {
      expect(seen.chartUploads).toBe(report.uploads.length);
      expect(seen.chartEnforcement.sort()).toEqual(['DISABLED', 'DISABLED', 'RESTORED', 'RESTORED']);
      expect(seen.chartHeight).toBeGreaterThan(100);
    });

    it('lists every registered organisation, then the unregistered callers, and filters by organisation', () => {
      expect(seen.organisations).toEqual(['thorn-like', 'marinus-like', 'metro-police', 'unregistered callers']);
      expect(seen.rows).toBe(report.uploads.length);
      expect(seen.filtered).toBe(report.uploads.filter((row) => row.attributedTo === 'metro-police').length);
    });

    it('does not overflow horizontally, on screen or in print', () => {
      expect(seen.overflow).toBe(0);
      expect(seen.printOverflow).toBe(0);
    });
  });
});

describe('govrec decide', () => {
  const police = ['decide', '--as', POLICE_ROLES[1]!, '--org', 'metro-police', '--operation', 'search'];

  it('denies a police role inside the window, prints the forbidding policy and still exits 0', async () => {
    const ran = await govrec([...police, '--at', '2027-07-01T09:00:00Z']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('Decision: DENY MORATORIUM_IN_FORCE');
    expect(ran.stdout).toContain('Policies: moratorium-in-force');
    expect(ran.stdout).toContain('@id("moratorium-in-force")');
  });

  it('exits 1 for the same denial with --fail-on-deny', async () => {
    const ran = await govrec([...police, '--at', '2027-07-01T09:00:00Z', '--fail-on-deny']);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('Decision: DENY MORATORIUM_IN_FORCE');
  });

  it('allows the police role before the window and prints the permitting policy', async () => {
    const ran = await govrec([...police, '--at', '2027-05-01T09:00:00Z', '--fail-on-deny']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('Decision: ALLOW ALLOWED');
    expect(ran.stdout).toContain('@id("registered-use")');
  });

  it.each([
    ['a principal that is not a role', ['decide', '--as', 'alice', '--org', 'metro-police', '--operation', 'search']],
    [
      'an operation that does not exist',
      ['decide', '--as', POLICE_ROLES[1]!, '--org', 'metro-police', '--operation', 'compare'],
    ],
    ['a time that is not ISO 8601', [...police, '--at', 'yesterday']],
    ['a missing configuration file', [...police, '--config', 'no-such-config.json']],
  ])('exits 2 for %s', async (_name, args) => {
    const ran = await govrec(args);
    expect(ran.code).toBe(2);
    expect(ran.stdout).not.toContain('Decision:');
  });
});

describe('govrec upload', () => {
  let output: string;

  beforeAll(() => {
    output = mkdtempSync(join(tmpdir(), 'govrec-upload-'));
  });
  afterAll(() => rmSync(output, { recursive: true, force: true }));

  it('runs the sweep scheduled before the upload, then denies a police upload in the window without calling the face engine', async () => {
    const ran = await govrec([
      'upload',
      'test/fixtures/images/camera.png',
      '--as',
      'metro-police',
      '--operation',
      'search',
      '--at',
      '2027-07-01T10:00:00Z',
      '--output',
      output,
    ]);

    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^\[2027-06-10T00:00:00\.000Z\] sweep \(.*MoratoriumStartSchedule.*\): SUCCEEDED$/m);
    expect(ran.stdout).toContain('Decision: DENY MORATORIUM_IN_FORCE (policies: moratorium-in-force)');
    expect(ran.stdout).toContain('Outcome:  QUARANTINED');
    expect(ran.stdout).toContain('face engine: not called');
    expect(ran.stdout).toContain('Enforce:  EnforceRole SUCCEEDED NOOP');
    expect(ran.stdout).toContain(`Upload report: ${join(output, 'upload-report.html')}`);
    const report = JSON.parse(readFileSync(join(output, 'upload-report.json'), 'utf8')) as ReviewReport;
    expect(report.uploads.map((row) => [row.orgId, row.effect, row.outcome])).toEqual([
      ['metro-police', 'DENY', 'QUARANTINED'],
    ]);
  }, 150_000);

  it("writes its own report beside the scenario's, and reuses the synthesized template when nothing changed", async () => {
    const scenarioReport = join(output, 'review-report.html');
    writeFileSync(scenarioReport, 'the scenario report');
    const ran = await govrec([
      'upload',
      'test/fixtures/images/coffee.png',
      '--as',
      'marinus-like',
      '--operation',
      'detect',
      '--at',
      '2027-05-01T10:00:00Z',
      '--output',
      output,
      '--json',
    ]);
    expect(ran.code).toBe(0);
    const printed = JSON.parse(ran.stdout) as { synthReused: boolean; htmlPath: string; upload: { outcome: string } };
    expect(printed).toMatchObject({ synthReused: true, htmlPath: join(output, 'upload-report.html') });
    expect(printed.upload.outcome).toBe('RECOGNIZED');
    expect(readFileSync(scenarioReport, 'utf8')).toBe('the scenario report');
  }, 150_000);

  it.each([
    ['a file that does not exist', ['upload', 'no-such-photo.jpg', '--as', 'thorn-like']],
    ['an organisation that is not registered', ['upload', 'test/fixtures/images/camera.png', '--as', 'nobody']],
    ['a missing --as', ['upload', 'test/fixtures/images/camera.png']],
  ])('exits 2 for %s', async (_name, args) => {
    const ran = await govrec([...args, '--output', output]);
    expect(ran.code).toBe(2);
    expect(ran.stdout).not.toContain('Decision:');
  });
});
