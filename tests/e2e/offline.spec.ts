// The single-file build (scripts/single-file.sh → dist/stagecraft-offline.html) opened from disk, alone in an
// empty folder: it renders the built-in example and re-plans an edit, with no console errors and no request
// other than for the page itself. scripts/test.sh makes the file after `trunk build --release`.
import { test, expect } from '@playwright/test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';

const built = path.resolve(__dirname, '..', '..', 'dist', 'stagecraft-offline.html');

test('the offline page works from file:// on its own', async ({ page }) => {
  expect(fs.existsSync(built), `${built} (run scripts/single-file.sh)`).toBe(true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stagecraft-offline-'));
  const copy = path.join(dir, 'stagecraft-offline.html');
  fs.copyFileSync(built, copy);
  const url = pathToFileURL(copy).href;

  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));

  await page.goto(url, { waitUntil: 'load' });
  await expect(page).toHaveTitle('Stagecraft');
  await expect(page.locator('#query')).toHaveValue(/JOIN customers c ON o\.customer_id = c\.customer_id/);
  // The page opens on the timeline; the plan is one tab away.
  await expect(page.locator('#timeline')).toBeVisible();
  await page.locator('#tab-plans').click();
  await expect(page.locator('#explain')).toContainText('== Physical Plan ==');
  await expect(page.locator('#loading')).toHaveCount(0);

  await page.locator('#query').fill('SELECT count(*) FROM orders');
  await expect(page.locator('#explain')).toContainText('HashAggregate');
  await expect(page.locator('.status')).toHaveText('up to date');

  expect(requests.filter((u) => u !== url && !u.startsWith('data:'))).toEqual([]);
  expect(errors).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});
