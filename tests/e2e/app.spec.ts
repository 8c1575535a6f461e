// The app as a person meets it: it loads the built-in example, shows it, stays offline, reports errors in
// place, and survives a panic with a banner.
import { test, expect, Page } from '@playwright/test';

/** Collects console errors and uncaught exceptions of a page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

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
  await expect(page.locator('#explain')).toBeVisible();
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
  await expect(page.locator('#explain')).toBeVisible();

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
  await expect(banner).toContainText('forced by ?panic');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Stagecraft');
  await expect(page.locator('#query')).toBeVisible();
});
