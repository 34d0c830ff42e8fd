import { existsSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chromium } from 'playwright-core';
import type { AddressInfo } from 'node:net';
import { analyticsFixture } from '../query-api/analytics/analytics-fixture';
import { startHarness } from './platform-harness';

/** Debian's chromium (the project's CI installs it); without it the test is skipped, except under CI=true. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserAvailable = existsSync(chromiumPath);
if (!browserAvailable && process.env.CI === 'true') throw new Error(`the dashboard test needs Chromium at ${chromiumPath} and may not be skipped under CI=true`);

// Figures of query-api/analytics/analytics-fixture.ts, computed by hand (see analytics-definitions.test.ts).
(browserAvailable ? test : test.skip)('the dashboard shows a tenant\'s overview, activity, retention triangle and MRR movements', async () => {
  const h = await startHarness({ now: () => '2026-03-20T12:00:00.000Z' });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const fixture = analyticsFixture();
    let position = 0;
    for (const event of fixture.events) {
      const { eventId, type, schemaVersion, tenantId, occurredAt, actor, correlationId, causationId, data } = event;
      position = (await h.platform.eventStore.append(event.streamId, [{ eventId, type, schemaVersion, tenantId, occurredAt, actor, correlationId, causationId, data }],
        event.streamRevision === 0 ? 'no-stream' : event.streamRevision - 1)).position;
    }
    const token = await h.token(fixture.tenantId, ['owner']);
    assert.is((await h.query('/v1/analytics/overview', token, { 'x-consistency-position': String(position) })).status, 200);
    await h.platform.queryApi.listen({ host: '127.0.0.1', port: 0 });
    const { port } = h.platform.queryApi.server.address() as AddressInfo;

    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/dashboard?to=2026-03-31#token=${token}`);
    await page.waitForSelector('body[data-loaded]', { timeout: 30_000 });
    const text = (selector: string) => page.locator(selector).innerText();
    assert.is(await page.getAttribute('body', 'data-loaded'), 'true', await text('#status'));
    assert.equal([await text('#total-members'), await text('#active-this-month'), await text('#mrr'), await text('#retention-rate')],
      ['5', '4', '23.00 EUR', '100%']);
    // As of 03-31: nobody active that day or that week; four in the trailing 30 days.
    assert.equal([await text('#dau'), await text('#wau'), await text('#mau'), await text('#stickiness')], ['0', '0', '4', '0%']);
    assert.is((await page.getAttribute('#chart-daily', 'data-values'))!.split(',').length, 90);
    const cohort = async (month: string) => page.locator(`#retention tr[data-cohort="${month}"] td[data-period]`).allInnerTexts();
    assert.equal(await cohort('2025-12'), ['0%', '100%', '0%', '100%']);
    assert.equal(await cohort('2026-01'), ['0%', '0%', '100%']);
    assert.equal(await cohort('2026-02'), ['100%', '100%']);
    assert.equal(await cohort('2026-03'), ['0%']);
    assert.equal(await page.locator('#revenue tr[data-month="2026-03"] td').allInnerTexts(),
      ['23.00 EUR', '0.00 EUR', '0.00 EUR', '8.00 EUR', '10.00 EUR', '30.00 EUR']);
    assert.equal(await page.locator('#revenue tr[data-month="2026-02"] td').allInnerTexts(),
      ['55.00 EUR', '15.00 EUR', '10.00 EUR', '0.00 EUR', '0.00 EUR', '0.00 EUR']);

    // Without a token the page asks for one and shows nothing.
    const anonymous = await browser.newPage();
    await anonymous.goto(`http://127.0.0.1:${port}/dashboard`);
    await anonymous.waitForSelector('#token-form:not([hidden])');
    assert.is(await anonymous.locator('#content').isHidden(), true);
  } finally {
    await browser.close();
    await h.close();
  }
});

test.run();
