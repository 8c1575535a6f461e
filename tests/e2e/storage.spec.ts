// The Spark UI's Storage tab: the gallery's Cache example lists its cached table (Spark's columns, every
// partition cached, its RDD page with the blocks per executor); a run without a cache shows the empty state;
// a share link keeps the Storage tab open. No console errors.
import { test, expect } from '@playwright/test';
import { watchErrors } from './support';

test('Storage tab: the cached table of the Cache example, its RDD page, and the empty state', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.locator('.status')).toHaveText('up to date');
  await page.locator('#tab-sparkui').click();
  const subtabs = page.locator('.subtabs');
  await expect(subtabs.getByRole('tab')).toHaveText(['Jobs', 'Stages', 'Storage', 'Environment', 'Executors', 'SQL']);
  // The default example caches nothing.
  await subtabs.getByRole('tab', { name: 'Storage' }).click();
  await expect(page.locator('#storage-empty')).toContainText('No RDD is persisted');
  await expect(page.locator('table#storage')).toHaveCount(0);

  await page.locator('#tab-examples').click();
  await page.getByRole('button', { name: 'Cache', exact: true }).click();
  await expect(page.locator('#query')).toHaveValue(/CACHE TABLE hot/);
  await page.locator('#tab-sparkui').click();
  await subtabs.getByRole('tab', { name: 'Storage' }).click();
  const table = page.locator('table#storage');
  await expect(table.locator('thead th')).toHaveText(['ID', 'RDD Name', 'Storage Level', 'Cached Partitions', 'Fraction Cached', 'Size in Memory', 'Size on Disk']);
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(1);
  const cells = rows.first().locator('td');
  await expect(cells.nth(1)).toHaveText('In-memory table hot');
  await expect(cells.nth(2)).toHaveText('Disk Memory Deserialized 1x Replicated');
  await expect(cells.nth(4)).toHaveText('100%');
  await expect(cells.nth(5)).toHaveText(/^\d+(\.\d)? (B|KiB|MiB|GiB)$/);
  await expect(cells.nth(5)).not.toHaveText('0 B');
  await expect(cells.nth(6)).toHaveText('0 B');
  const cached = Number(await cells.nth(3).textContent());
  expect(cached).toBeGreaterThan(0);

  // The RDD page: one block per cached partition, on the two executors.
  const rdd = page.locator('details.rdd').first();
  await rdd.locator('summary').click();
  await expect(rdd.locator('summary')).toHaveText('RDD Storage Info for In-memory table hot');
  await expect(rdd.locator('h4').first()).toHaveText(/Data Distribution on [12] Executors/);
  await expect(rdd.locator('h4').nth(1)).toHaveText(`${cached} Partitions`);
  await expect(rdd.locator('table.blocks tbody tr')).toHaveCount(Math.min(cached, 100));
  await expect(rdd.locator('table.blocks tbody tr').first().locator('td').first()).toHaveText(/^rdd_\d+_0$/);
  await page.locator('section.results').screenshot({ path: 'test-results/storage-tab.png' });

  // A share link opens on the Storage tab.
  await page.locator('#share').click();
  await expect(page.locator('#share-msg')).toHaveText('Copied to the clipboard.');
  const link = await page.locator('#share-link').inputValue();
  const second = await page.context().newPage();
  await second.goto(link);
  await expect(second.locator('.subtabs').getByRole('tab', { name: 'Storage' })).toHaveAttribute('aria-selected', 'true');
  await expect(second.locator('table#storage tbody tr')).toHaveCount(1);
  expect(errors).toEqual([]);
});
