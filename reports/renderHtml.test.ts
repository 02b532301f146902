import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runSeed } from '../campaign/runSeed.ts';
import { shrinkFailure } from '../campaign/shrink.ts';
import { buildFailureReport } from './failureReport.ts';
import { renderHtml } from './renderHtml.ts';
import { renderText } from './renderText.ts';

const CHROMIUM = '/usr/bin/chromium';

describe('the HTML timeline', () => {
  it('draws one lane per client, every request, the commits, and the violating requests in headless Chromium', async () => {
    expect(existsSync(CHROMIUM), `Debian's chromium is missing at ${CHROMIUM}: apt-get install chromium (the CI script installs it)`).toBe(true);
    const settings = { target: { profile: 'placement-8.0.0' as const, isolation: 'readCommitted' as const, defects: ['no-provider-cas' as const] }, overrides: {} };
    const found = runSeed('1000', settings);
    const shrunk = shrinkFailure(found, 'capacity', settings).result;
    const report = buildFailureReport('1000', shrunk, settings.target, {}, { version: 'test', commit: 'test' }, 'replay', null);
    const html = renderHtml(report, renderText(report, 'report.json'));
    const path = join(mkdtempSync(join(tmpdir(), 'placement-sim-html-')), 'report.html');
    writeFileSync(path, html);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`file://${path}`);
      const lanes = await page.locator('svg#timeline g.lane').count();
      const clients = new Set(report.history.map((operation) => operation.client)).size;
      expect(lanes).toBe(clients);
      expect(await page.locator('svg#timeline g.request').count()).toBe(report.history.length);
      const commits = report.history.flatMap((operation) => operation.statements).filter((statement) => statement.label.startsWith('COMMIT')).length;
      expect(await page.locator('svg#timeline line.commit').count()).toBe(commits);
      const involved = new Set(report.violations.flatMap((violation) => violation.operations));
      expect(await page.locator('svg#timeline g.request.violating').count()).toBe(involved.size);
      // The violating bars are drawn in red and are really visible.
      const box = await page.locator('svg#timeline g.request.violating rect').first().boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(1);
      const fill = await page.locator('svg#timeline g.request.violating rect').first().evaluate((element) => (globalThis as unknown as { getComputedStyle(target: unknown): { fill: string } }).getComputedStyle(element).fill);
      expect(fill).toBe('rgb(251, 106, 74)');
      // Hovering shows the request and the response.
      const title = await page.locator('svg#timeline g.request').first().locator('title').textContent();
      expect(title).toContain('POST /resource_providers');
    } finally {
      await browser.close();
    }
  });
});
