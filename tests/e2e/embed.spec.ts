// Embed mode inside an <iframe> on a host page: one panel with minimal chrome, the postMessage API (play,
// pause, seek, tab, load in; ready, step, finished out), messages of the wrong shape ignored, no console
// errors and no requests after load.
import { test, expect, Page } from '@playwright/test';

type Msg = { type: string; ms?: number };

async function host(page: Page, frag: string) {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  await page.setContent(`<!DOCTYPE html><html><body style="margin:0">
    <script>window.msgs = []; addEventListener('message', (e) => msgs.push(e.data));</script>
    <iframe id="f" src="/index.html${frag}" width="720" height="420" style="border:0"></iframe></body></html>`);
  await expect.poll(() => msgs(page).then((m) => m.some((x) => x.type === 'stagecraft:ready')), { timeout: 20_000 }).toBe(true);
  return errors;
}

const msgs = (page: Page): Promise<Msg[]> => page.evaluate(() => (window as any).msgs);
const send = (page: Page, data: unknown) =>
  page.evaluate((d) => (document.getElementById('f') as HTMLIFrameElement).contentWindow!.postMessage(d, '*'), data);

test('embedded timeline answers play, pause, seek and tab, and posts ready, step and finished', async ({ page }) => {
  const requests: string[] = [];
  const errors = await host(page, '#embed=timeline&theme=dark');
  page.on('request', (r) => requests.push(r.url()));
  const f = page.frameLocator('#f');
  await expect(f.locator('canvas#timeline')).toBeVisible();
  // Minimal chrome: no editors, no top bar; paused without autoplay.
  await expect(f.locator('#query')).toHaveCount(0);
  await expect(f.locator('.topbar')).toHaveCount(0);
  await expect(f.locator('#play')).toHaveAttribute('aria-label', 'play');
  // The canvas follows the iframe's width.
  const box = await f.locator('canvas#timeline').boundingBox();
  expect(box!.width).toBeGreaterThan(600);

  // Messages of the wrong shape are ignored.
  for (const bad of [null, 'stagecraft:play', 42, { type: 7 }, { type: 'stagecraft:nope' }, { type: 'stagecraft:seek', ms: 'x' }, { type: 'stagecraft:tab', tab: 'bogus' }]) {
    await send(page, bad);
  }
  await page.waitForTimeout(300);
  await expect(f.locator('#play')).toHaveAttribute('aria-label', 'play');

  await send(page, { type: 'stagecraft:seek', ms: 1000 });
  await expect(f.locator('#clock')).toHaveText(/^1\.0 s \//);
  await expect.poll(async () => (await msgs(page)).some((m) => m.type === 'stagecraft:step' && m.ms === 1000)).toBe(true);

  await send(page, { type: 'stagecraft:play' });
  await expect(f.locator('#play')).toHaveAttribute('aria-label', 'pause');
  await expect.poll(async () => (await msgs(page)).filter((m) => m.type === 'stagecraft:step' && m.ms! > 1000).length).toBeGreaterThan(3);
  await send(page, { type: 'stagecraft:pause' });
  await expect(f.locator('#play')).toHaveAttribute('aria-label', 'play');
  const n = (await msgs(page)).length;
  await page.waitForTimeout(400);
  expect((await msgs(page)).length).toBe(n);

  // README screenshots: SHOTS=docs/screenshots npx playwright test.
  if (process.env.SHOTS) await page.locator('#f').screenshot({ path: `${process.env.SHOTS}/embed-timeline-dark.png` });

  await send(page, { type: 'stagecraft:seek', ms: 1e12 });
  await expect.poll(async () => (await msgs(page)).some((m) => m.type === 'stagecraft:finished')).toBe(true);

  await send(page, { type: 'stagecraft:tab', tab: 'dag' });
  await expect(f.locator('.dags svg.graph').first()).toBeVisible();
  await send(page, { type: 'stagecraft:tab', tab: 'plan' });
  await expect(f.locator('#explain')).toContainText('== Physical Plan ==');

  expect(requests).toEqual([]);
  expect(errors).toEqual([]);
});

test('stagecraft:load shows a share link in the embedded panel; autoplay and loop play', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.locator('#query').fill('SELECT count(*) FROM orders');
  await expect(page.locator('.status')).toHaveText('up to date');
  await page.locator('#tab-plans').click();
  await page.locator('#embed-code').click();
  const code = await page.locator('#share-link').inputValue();
  expect(code).toMatch(/^<iframe src="http:\/\/[^"]+#1\.[A-Za-z0-9_-]+&amp;embed=plan" /);
  const link = code.split('"')[1].replace('&amp;embed=plan', '');

  const errors = await host(page, '#embed=plan&autoplay&loop');
  const f = page.frameLocator('#f');
  await expect(f.locator('#explain')).toContainText('SortMergeJoin');
  await send(page, { type: 'stagecraft:load', scenarioLink: link });
  await expect(f.locator('#explain')).toContainText('HashAggregate');
  await expect(f.locator('#explain')).not.toContainText('SortMergeJoin');
  await send(page, { type: 'stagecraft:tab', tab: 'timeline' });
  // autoplay: the timeline plays on its own.
  await expect(f.locator('#play')).toHaveAttribute('aria-label', 'pause');
  expect(errors).toEqual([]);
});
