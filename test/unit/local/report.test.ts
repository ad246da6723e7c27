import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildReviewReport,
  escapeHtml,
  recognitionViewOf,
  renderReviewReportHtml,
  writeReviewReport,
} from '../../../local/report';
import { decodeImage, downscale, imageMimeOf, thumbnailDataUrl } from '../../../local/report/thumbnail';
import { decisionOf, ledgerItemsOf, PNG_BYTES, reportInput, settings, UPLOADS } from './fixtures/report-input';

describe('buildReviewReport', () => {
  const report = buildReviewReport(reportInput());

  it('lists every upload in time order with its decision and outcome', () => {
    expect(report.uploads.map((row) => [row.decisionId, row.effect, row.reason, row.outcome])).toEqual([
      ['d-ngo-index', 'ALLOW', 'ALLOWED', 'RECOGNIZED'],
      ['d-police-before', 'ALLOW', 'ALLOWED', 'RECOGNIZED'],
      ['d-ngo-search', 'ALLOW', 'ALLOWED', 'RECOGNIZED'],
      ['d-police-during', 'DENY', 'MORATORIUM_IN_FORCE', 'QUARANTINED'],
      ['d-unknown', 'DENY', 'UNKNOWN_PRINCIPAL', 'QUARANTINED'],
      ['d-police-after', 'ALLOW', 'ALLOWED', 'RECOGNIZED'],
    ]);
  });

  it('computes the headline from the settings: one restricted request in the window, none through', () => {
    expect(report.headline).toEqual({
      ok: true,
      text: 'No restricted request got through: 0 of 1 restricted requests in the moratorium were allowed or recognised.',
      restrictedRequests: 1,
      restrictedGotThrough: 0,
      recognisedWithoutAllow: 0,
      uploadsWithoutOutcome: 0,
    });
  });

  it('counts a police allow in the window even when the decision claimed the caller was not restricted', () => {
    const leaked = {
      id: 'd-leak',
      at: '2027-08-01T00:00:00.000Z',
      org: 'metro-police',
      roleArn: 'arn:aws:iam::111111111111:role/govrec-police-analysts',
      category: 'police',
      key: 'incoming/metro-police/leak.png',
      effect: 'ALLOW' as const,
      reason: 'ALLOWED' as const,
      outcome: 'RECOGNIZED' as const,
      restricted: false,
    };
    const bad = buildReviewReport(reportInput({ ledgerItems: ledgerItemsOf([...UPLOADS, leaked]) }));
    expect(bad.headline).toMatchObject({ ok: false, restrictedRequests: 2, restrictedGotThrough: 1 });
    expect(bad.headline.text).toBe(
      'RESTRICTED ACCESS GOT THROUGH: 1 of 2 restricted requests in the moratorium were allowed or recognised; 0 recognitions ran without an allow.',
    );
    expect(bad.uploads.find((row) => row.decisionId === 'd-leak')?.violations).toEqual([
      'restricted request got through during the moratorium',
    ]);
  });

  it('counts an upload under the police prefix by an unknown caller as restricted', () => {
    const unknown = {
      id: 'd-anon',
      at: '2027-08-01T00:00:00.000Z',
      org: 'metro-police',
      key: 'incoming/metro-police/anon.png',
      effect: 'ALLOW' as const,
      reason: 'ALLOWED' as const,
      outcome: 'RECOGNIZED' as const,
      restricted: false,
    };
    const bad = buildReviewReport(reportInput({ ledgerItems: ledgerItemsOf([unknown]) }));
    expect(bad.headline).toMatchObject({ ok: false, restrictedRequests: 1, restrictedGotThrough: 1 });
  });

  it('flags a recognition that ran after a deny, and an upload with no outcome', () => {
    const denied = {
      id: 'd-x',
      at: '2027-05-01T00:00:00.000Z',
      org: 'thorn-like',
      key: 'k1',
      effect: 'DENY' as const,
      reason: 'NO_PERMIT' as const,
      outcome: 'RECOGNIZED' as const,
    };
    const open = {
      id: 'd-y',
      at: '2027-05-01T00:00:01.000Z',
      org: 'thorn-like',
      key: 'k2',
      effect: 'DENY' as const,
      reason: 'NO_PERMIT' as const,
    };
    const bad = buildReviewReport(reportInput({ ledgerItems: ledgerItemsOf([denied, open]) }));
    expect(bad.headline).toMatchObject({
      ok: false,
      recognisedWithoutAllow: 1,
      uploadsWithoutOutcome: 1,
      restrictedRequests: 0,
    });
    expect(bad.uploads.map((row) => row.violations)).toEqual([
      ['recognised without an allow decision'],
      ['no outcome recorded'],
    ]);
  });

  it.each([
    ['2027-06-09T23:59:59.999Z', false],
    ['2027-06-10T00:00:00.000Z', true],
    ['2028-06-09T23:59:59.999Z', true],
    ['2028-06-10T00:00:00.000Z', false],
  ])('treats a restricted request at %s as in the window: %p', (at, inWindow) => {
    const u = {
      id: 'd-b',
      at,
      org: 'metro-police',
      roleArn: 'arn:aws:iam::111111111111:role/govrec-police-analysts',
      category: 'police',
      key: 'k',
      effect: 'DENY' as const,
      reason: 'MORATORIUM_IN_FORCE' as const,
      outcome: 'QUARANTINED' as const,
    };
    expect(buildReviewReport(reportInput({ ledgerItems: ledgerItemsOf([u]) })).uploads[0]!.inMoratorium).toBe(inWindow);
  });

  it('counts uploads by effect, reason, outcome and organisation', () => {
    expect(report.counts).toEqual({
      byEffect: { ALLOW: 4, DENY: 2 },
      byReason: { ALLOWED: 4, MORATORIUM_IN_FORCE: 1, UNKNOWN_PRINCIPAL: 1 },
      byOutcome: { RECOGNIZED: 4, QUARANTINED: 2 },
      byOrganisation: { 'thorn-like': 2, 'metro-police': 3, 'unregistered callers': 1 },
    });
  });

  it("links a decision's outcome to its recognition figure or its quarantine entry", () => {
    const html = renderReviewReportHtml(report);

    expect(html).toContain('<a href="#r-d-ngo-search">RECOGNIZED</a>');
    expect(html).toContain('<figure id="r-d-ngo-search"');
    expect(html).toContain('<a href="#q-d-police-during">QUARANTINED</a>');
    expect(html).toContain('<tr id="q-d-police-during"');
  });

  it('says a single upload had no restricted request instead of "0 of 0"', () => {
    const ngo = UPLOADS.find((u) => u.id === 'd-ngo-search')!;
    const single = buildReviewReport(reportInput({ ledgerItems: ledgerItemsOf([ngo]) }));
    expect(single.headline).toMatchObject({
      ok: true,
      restrictedRequests: 0,
      text: 'No restricted request in the moratorium in this upload.',
    });
  });

  it("counts an unregistered caller's upload under an organisation's prefix as an unregistered caller's", () => {
    // d-unknown: no registered role wrote under incoming/thorn-like/ and was denied.
    const thorn = report.organisations.find((org) => org.id === 'thorn-like')!;
    expect([thorn.uploads, thorn.denied]).toEqual([2, 0]);
    expect(report.organisations.at(-1)).toMatchObject({
      id: 'unregistered callers',
      registered: false,
      uploads: 1,
      denied: 1,
    });
    expect(report.uploads.find((row) => row.decisionId === 'd-unknown')).toMatchObject({
      orgId: 'thorn-like',
      attributedTo: 'unregistered callers',
    });
    const html = renderReviewReportHtml(report);
    expect(html).toContain('<tr data-org="unregistered callers" data-uploads="1">');
    expect(html).toContain('under the prefix of thorn-like');
  });

  it('checks recorded quarantine copies against the quarantine listing', () => {
    expect(report.quarantine.recorded.map((q) => [q.decisionId, q.present])).toEqual([
      ['d-police-during', true],
      ['d-unknown', false],
    ]);
  });

  it('orders the enforcement timeline by time', () => {
    expect(report.enforcement.map((x) => x.action)).toEqual(['DISABLED', 'RESTORED']);
  });

  it('keeps decisions about no object apart from uploads', () => {
    const { object: _none, ...request } = decisionOf(UPLOADS[0]!).request;
    const question = { ...decisionOf(UPLOADS[0]!), decisionId: 'q-1', request };
    const withQuestion = buildReviewReport(
      reportInput({
        ledgerItems: [...ledgerItemsOf(UPLOADS), { decisionId: 'q-1', entry: 'DECISION', decision: question }],
      }),
    );
    expect(withQuestion.questions.map((row) => row.decisionId)).toEqual(['q-1']);
    expect(withQuestion.uploads).toHaveLength(6);
  });
});

describe('recognitionViewOf', () => {
  it("draws the searched face and lists matches by similarity, not the matches' own boxes", () => {
    const view = recognitionViewOf('SearchFacesByImage', reportInput().results![2]!.response);
    expect(view.boxes).toEqual([{ left: 0.45, top: 0.1, width: 0.25, height: 0.3, label: 'searched face 99.5%' }]);
    expect(view.matches.map((m) => [m.externalImageId, m.similarity])).toEqual([
      ['person-a', 93.4],
      ['person-b', 81.2],
    ]);
  });

  it('clamps boxes to the image and ignores malformed entries', () => {
    const view = recognitionViewOf('DetectFaces', {
      FaceDetails: [{ BoundingBox: { Left: 0.9, Top: -0.1, Width: 0.5, Height: 0.5 } }, { BoundingBox: 'nope' }, null],
    });
    expect(view.boxes).toEqual([{ left: 0.9, top: 0, width: expect.closeTo(0.1, 10), height: 0.5, label: 'face 1' }]);
    expect(recognitionViewOf('DetectFaces', undefined)).toEqual({
      operation: 'DetectFaces',
      boxes: [],
      matches: [],
      faceCount: 0,
    });
  });
});

describe('renderReviewReportHtml', () => {
  const html = renderReviewReportHtml(buildReviewReport(reportInput()), reportInput().images);

  it('escapes text from the run', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('is self-contained: no external URL, one inline script allowed by its hash and nothing else', () => {
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<link|<script [^>]*src/);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
  });

  it('lists every registered organisation, with or without uploads', () => {
    const withIdle = reportInput({
      settings: {
        ...settings,
        organisations: [
          ...settings.organisations,
          { ...settings.organisations[0]!, id: 'idle-ngo', roleArns: ['arn:aws:iam::111111111111:role/idle'] },
        ],
      },
    });
    const report = buildReviewReport(withIdle);
    expect(report.organisations.map((org) => [org.id, org.uploads])).toEqual([
      ['thorn-like', expect.any(Number)],
      ['marinus-like', expect.any(Number)],
      ['metro-police', expect.any(Number)],
      ['idle-ngo', 0],
      ['unregistered callers', 1],
    ]);
    expect(renderReviewReportHtml(report)).toContain('<tr data-org="idle-ngo" data-uploads="0">');
  });

  it('embeds images only when they are JPEG or PNG', () => {
    expect(imageMimeOf(PNG_BYTES)).toBe('image/png');
    expect(imageMimeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(imageMimeOf(Buffer.from('<svg onload="x()"/>'))).toBeUndefined();
    expect(html.match(/src="data:image\/jpeg;base64,/g)).toHaveLength(4); // the four recognised uploads
    expect(thumbnailDataUrl(Buffer.from('<svg onload="x()"/>'))).toBeUndefined();
    expect(thumbnailDataUrl(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0, 0]))).toBeUndefined();
  });
});

describe('thumbnails', () => {
  it('shrinks a photo to 480 px on the longer side and keeps the page small', () => {
    const original = decodeImage(PNG_BYTES)!;
    const url = thumbnailDataUrl(PNG_BYTES)!;
    const small = decodeImage(Buffer.from(url.slice('data:image/jpeg;base64,'.length), 'base64'))!;
    expect([small.width, small.height]).toEqual([480, Math.round((original.height * 480) / original.width)]);
    expect(url.length).toBeLessThan(100_000);
  });

  it('averages the pixels a target pixel covers', () => {
    const image = {
      width: 2,
      height: 2,
      data: new Uint8Array([0, 0, 0, 255, 100, 100, 100, 255, 200, 200, 200, 255, 100, 100, 100, 255]),
    };
    expect([...downscale(image, 1).data]).toEqual([100, 100, 100, 255]);
    expect(downscale(image, 4)).toBe(image);
  });
});

describe('writeReviewReport', () => {
  it('writes the JSON and the HTML side by side', () => {
    const dir = mkdtempSync(join(tmpdir(), 'govrec-report-'));
    const written = writeReviewReport(dir, reportInput());
    expect(written.jsonPath).toBe(join(dir, 'review-report.json'));
    expect(JSON.parse(readFileSync(written.jsonPath, 'utf8')).headline.restrictedGotThrough).toBe(0);
    expect(readFileSync(written.htmlPath, 'utf8')).toContain('id="headline"');
  });
});
