// The app as a person meets it: it loads the built-in example, shows it, stays offline, reports errors in
// place, and survives a panic with a banner.
import { test, expect, Page } from '@playwright/test';
import { watchErrors } from './support';

test('loads the example: no console errors, no requests after load, not blank', async ({ page, baseURL }) => {
  const errors = watchErrors(page);
  const duringLoad: string[] = [];
  const afterLoad: string[] = [];
  let loaded = false;
  page.on('load', () => {
    loaded = true;
  });
  page.on('request', (r) => (loaded ? afterLoad : duringLoad).push(r.url()));

  await page.goto('/', { waitUntil: 'load' });
  await expect(page).toHaveTitle('Stagecraft');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Stagecraft');
  // The editor holds the built-in example: a skewed join on the retail catalog.
  await expect(page.locator('#query')).toHaveValue(/FROM orders o\s+JOIN customers c ON o\.customer_id = c\.customer_id/);
  await expect(page.locator('#catalog')).toHaveValue(/CREATE TABLE customers/);
  await expect(page.locator('#confs')).toHaveValue(/spark\.sql\.adaptive\.enabled=true/);
  await expect(page.locator('#timeline')).toBeVisible();
  await page.locator('#tab-plans').click();
  await expect(page.locator('#explain')).toBeVisible();
  await expect(page.locator('svg.plan')).toBeVisible();
  await expect(page.locator('.joins')).toContainText('SortMergeJoin');
  await expect(page.locator('#loading')).toHaveCount(0);

  // Editing re-plans locally: still no request.
  await page.locator('#query').fill('SELECT count(*) FROM orders');
  await expect(page.locator('.status')).not.toHaveText('planning…');
  await page.waitForTimeout(500);

  // Not blank: real text, and the editors and plan take space on screen.
  const text = await page.locator('body').innerText();
  expect(text.length).toBeGreaterThan(100);
  const box = await page.locator('main').boundingBox();
  expect(box && box.height).toBeGreaterThan(300);

  const origin = new URL(baseURL!).origin;
  expect(duringLoad.length).toBeGreaterThan(0);
  expect(duringLoad.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
  expect(afterLoad).toEqual([]);
  expect(errors).toEqual([]);
});

test('a broken conf line is reported at line:col under its editor and marked; fixing it clears it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const confs = page.locator('#confs');
  await expect(confs).toHaveValue(/spark\.sql\.adaptive\.enabled=true/);
  const original = await confs.inputValue();
  const lines = original.replace(/\n$/, '').split('\n').length;

  await confs.fill(original.replace(/\n$/, '') + '\n  not a conf');
  const diag = page.locator('#confs-error');
  await expect(diag).toHaveText(`${lines + 1}:3: expected key=value`);
  await expect(page.locator('.editor.has-error mark.err')).toHaveText('not');
  await expect(confs).toHaveAttribute('aria-invalid', 'true');
  // The rest of the page keeps working.
  await expect(page.locator('#timeline')).toBeVisible();

  await confs.fill(original);
  await expect(diag).toHaveCount(0);
  await expect(confs).toHaveAttribute('aria-invalid', 'false');
  expect(errors).toEqual([]);
});

test('a panic shows an error banner and the page stays', async ({ page }) => {
  await page.goto('/?panic');
  const banner = page.locator('#panic-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('internal error');
  // Debug builds show the panic's message (Rust's panic hook); the release build traps at once
  // (-Cpanic=immediate-abort, scripts/release-env.sh) and index.html shows the RuntimeError.
  await expect(banner).toContainText(/forced by \?panic|RuntimeError/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Stagecraft');
  await expect(page.locator('#query')).toBeVisible();
});

/** The canvas as a data URL (what is drawn on it now). */
const canvasPixels = (page: Page) => page.locator('#timeline').evaluate((c: HTMLCanvasElement) => c.toDataURL());

test('the timeline is drawn and animates on load; space pauses, shift+arrows step', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const canvas = page.locator('#timeline');
  await expect(canvas).toBeVisible();
  const blank = await canvas.evaluate((c: HTMLCanvasElement) => {
    const b = document.createElement('canvas');
    b.width = c.width;
    b.height = c.height;
    return b.toDataURL();
  });
  const first = await canvasPixels(page);
  await page.waitForTimeout(700);
  const second = await canvasPixels(page);
  expect(first).not.toEqual(blank);
  expect(second).not.toEqual(first);
  await expect(page.locator('#play')).toHaveAttribute('aria-label', 'pause');

  await canvas.focus();
  await page.keyboard.press('Space');
  await expect(page.locator('#play')).toHaveAttribute('aria-label', 'play');
  const paused = await page.locator('#clock').innerText();
  await page.waitForTimeout(300);
  await expect(page.locator('#clock')).toHaveText(paused);
  await page.keyboard.press('Shift+ArrowRight');
  await expect(page.locator('#clock')).not.toHaveText(paused);
  expect(errors).toEqual([]);
});

test('editing the query updates the stage DAG and the timeline', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  const tasks = async () => (await page.locator('#clock').innerText()).replace(/.*\//, '');
  const before = await tasks();
  await page.locator('#tab-stages').click();
  await expect(page.locator('.dag')).toHaveCount(4);
  await expect(page.locator('.dag').first()).toContainText('Stage 0');
  await page.locator('#query').fill('SELECT status, count(*) FROM orders GROUP BY status');
  await expect(page.locator('.dag')).toHaveCount(2);
  await expect(page.locator('.status')).toHaveText('up to date');
  await page.locator('#tab-timeline').click();
  await expect(page.locator('#clock')).toContainText('tasks');
  expect(await tasks()).not.toEqual(before);
  expect(errors).toEqual([]);
});

test('a broken query is marked at line:col and the page keeps the last good results', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.locator('#tab-stages').click();
  await expect(page.locator('.dag')).toHaveCount(4);
  await page.locator('#query').fill('SELECT segment, count(*)\nFROM nosuch');
  await expect(page.locator('#query-error')).toContainText('2:6');
  await expect(page.locator('.editor.has-error mark.err')).toHaveText('nosuch');
  await expect(page.locator('.status')).toContainText('last good results');
  await expect(page.locator('.dag')).toHaveCount(4);
  await page.locator('#tab-timeline').click();
  await expect(page.locator('#timeline')).toBeVisible();
  await page.locator('#tab-sparkui').click();
  await expect(page.locator('.spark-ui table')).toBeVisible();
  expect(errors).toEqual([]);
});

test('A/B: pin a run, change a knob, and the comparison shows the difference', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.locator('#pin').click();
  await expect(page.locator('#ab')).toBeVisible();
  await expect(page.locator('#ab tr.changed')).toHaveCount(0);
  await page.locator('#k-execs').fill('4');
  await page.locator('#k-execs').press('Enter');
  await expect(page.locator('#ab tr.changed').first()).toBeVisible();
  await expect(page.locator('#ab')).toContainText('4 × 2 cores');
  await page.locator('#k-bcast').fill('100m');
  await page.locator('#k-bcast').press('Enter');
  await expect(page.locator('#confs')).toHaveValue(/spark\.sql\.autoBroadcastJoinThreshold=100m/);
  await expect(page.locator('#ab')).toContainText('BroadcastHashJoin');
  await page.locator('#unpin').click();
  await expect(page.locator('#ab')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('examples gallery, Spark-UI tables, skew and theme', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  // The default example's Skew tab names the hot key, its hash partition and AQE's split, and marks its bar.
  await page.locator('#tab-skew').click();
  await expect(page.locator('.hot-key').first()).toContainText('Hot key: customer_id = 4242 (60.0 % of rows) → reduce partition 167 of 200');
  await expect(page.locator('.hot-key').first()).toContainText('OptimizeSkewedJoin');
  await expect(page.locator('.skew')).toContainText('no hot value known for the key (catalog statistics have none)');
  await expect(page.locator('.bar.hot').first()).toHaveAttribute('title', /holds the hot key/);
  if (process.env.SKEW_SHOT) await page.locator('.skew').screenshot({ path: process.env.SKEW_SHOT });
  await page.locator('#tab-examples').click();
  await page.getByRole('button', { name: 'Broadcast hash join' }).click();
  await expect(page.locator('#example-title')).toHaveText('Broadcast hash join');
  await expect(page.locator('#query')).toHaveValue(/JOIN stores s/);
  await page.locator('#tab-sparkui').click();
  for (const t of ['Jobs', 'Stages', 'Environment', 'Executors', 'SQL']) {
    await page.locator('.subtabs').getByRole('tab', { name: t }).click();
    await expect(page.locator('.spark-ui table').first()).toBeVisible();
  }
  await page.locator('#tab-skew').click();
  await expect(page.locator('.panel')).not.toBeEmpty();
  await page.locator('#theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(errors).toEqual([]);
});

// Screenshots for the README: `SHOTS=docs/screenshots npx playwright test -g screenshots`.
test('screenshots', async ({ page }) => {
  test.skip(!process.env.SHOTS, 'set SHOTS=<dir> to take screenshots');
  const dir = process.env.SHOTS;
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await page.getByLabel('speed').selectOption('4');
  await page.waitForTimeout(3500);
  await page.screenshot({ path: `${dir}/timeline.png` });
  await page.locator('#tab-plans').click();
  await page.locator('section.results').screenshot({ path: `${dir}/plans.png` });
  await page.locator('#plan-optimized').click();
  await expect(page.locator('svg.lplan[aria-label="optimized plan graph"]')).toBeVisible();
  await page.locator('section.results').screenshot({ path: `${dir}/plans-optimized.png` });
  await page.locator('#plan-physical').click();
  await page.locator('#pin').click();
  await page.locator('#k-bcast').fill('100m');
  await page.locator('#k-bcast').press('Enter');
  await page.locator('#tab-stages').click();
  await page.locator('#theme').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${dir}/ab-stages-dark.png` });
  // Light again: the Cache lesson's Storage tab, then the RDD lesson in PySpark with its lineage.
  await page.locator('#theme').click();
  await page.locator('#unpin').click();
  await page.locator('#tab-examples').click();
  await page.getByRole('button', { name: 'Cache', exact: true }).click();
  await page.locator('#tab-sparkui').click();
  await page.locator('#ui-storage').click();
  await expect(page.locator('#ui-panel table').first()).toBeVisible();
  await page.screenshot({ path: `${dir}/storage.png` });
  await page.locator('#lang-pyspark').click();
  await page.locator('#tab-examples').click();
  await page.getByRole('button', { name: 'RDD lineage (word count)' }).click();
  await expect(page.locator('.status')).toHaveText('up to date');
  await page.locator('#tab-plans').click();
  await expect(page.locator('#rdd-lineage')).toBeVisible();
  await page.screenshot({ path: `${dir}/pyspark-rdd.png` });
});
