import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReviewReport } from '../../local/report';
import { ensureChromium, withPageOf } from '../helpers/chromium';
import { reportInput } from '../unit/local/fixtures/report-input';

/** What the page shows, read once from one browser launch (each launch costs ~2.5 s here). */
const readPage = (htmlPath: string) =>
  withPageOf(htmlPath, async (page) => {
    const policeDenied = page.locator('#uploads tbody tr[data-org="metro-police"][data-effect="DENY"]');
    const figure = page.locator('figure[data-decision-id="d-ngo-search"]');
    const image = await figure.locator('img').boundingBox();
    const box = await figure.locator('.box').boundingBox();
    return {
      title: await page.title(),
      rows: await page.locator('#uploads tbody tr').count(),
      headline: (await page.locator('#headline').innerText()).trim(),
      headlineOk: await page.locator('#headline').getAttribute('data-ok'),
      restrictedThrough: await page.locator('#headline').getAttribute('data-restricted-through'),
      policeDenied: {
        count: await policeDenied.count(),
        reason: await policeDenied.locator('td.reason').innerText(),
        outcome: await policeDenied.locator('td.outcome').innerText(),
        effect: await policeDenied.locator('td.effect').innerText(),
      },
      imagesLoaded: await page
        .locator('#recognition img')
        .evaluateAll((imgs) => imgs.map((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0)),
      image,
      box,
      matches: await figure.locator('.matches li').allInnerTexts(),
      scripts: await page.locator('script').count(),
      unknownKey: await page.locator('#uploads tbody tr[data-decision-id="d-unknown"] td').last().innerText(),
      timeline: await page
        .locator('#enforcement tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action'))),
    };
  });

describe('review-report.html in headless Chromium', () => {
  let seen: Awaited<ReturnType<typeof readPage>>;

  beforeAll(async () => {
    ensureChromium(); // installs Debian's package on first use when running as root
    const { htmlPath } = writeReviewReport(mkdtempSync(join(tmpdir(), 'govrec-report-e2e-')), reportInput());
    seen = await readPage(htmlPath);
  }, 15 * 60_000);

  it('renders one row per upload and the computed headline', () => {
    expect(seen.title).toBe('Governed recognition: review report');
    expect(seen.rows).toBe(6);
    expect(seen.headline).toBe(
      'No restricted request got through: 0 of 1 restricted requests in the moratorium were allowed or recognised.',
    );
    expect([seen.headlineOk, seen.restrictedThrough]).toEqual(['true', '0']);
  });

  it('shows the police upload in the moratorium as denied and quarantined', () => {
    expect(seen.policeDenied).toEqual({
      count: 1,
      reason: 'MORATORIUM_IN_FORCE',
      outcome: 'QUARANTINED',
      effect: 'DENY',
    });
  });

  it('draws the searched face box over the loaded image, where Rekognition put it', () => {
    expect(seen.imagesLoaded).toEqual([true, true, true, true]);
    const { image, box } = seen;
    expect(image!.width).toBeGreaterThan(100);
    expect((box!.x - image!.x) / image!.width).toBeCloseTo(0.45, 2);
    expect((box!.y - image!.y) / image!.height).toBeCloseTo(0.1, 2);
    expect(box!.width / image!.width).toBeCloseTo(0.25, 2);
    expect(seen.matches[0]).toMatch(/^person-a: similarity 93\.4%/);
  });

  it("shows an untrusted key as text and runs no script but the page's own filters", () => {
    expect(seen.unknownKey).toContain('incoming/thorn-like/search/<script>alert(1)</script>.png');
    expect(seen.scripts).toBe(1);
  });

  it('lists the enforcement timeline in order', () => {
    expect(seen.timeline).toEqual(['DISABLED', 'RESTORED']);
  });
});
