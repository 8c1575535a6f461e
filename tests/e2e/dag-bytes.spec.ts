// Shuffle edges carry bytes: with AQE off (the what-if knob) the default example's jobs hold their map
// stages, so the Stages tab's DAG has shuffle edges with non-zero byte labels, and the DAG SVG and the
// Excalidraw exports label the same edges with the same bytes. No console errors.
import { test, expect } from '@playwright/test';
import * as fs from 'fs';
import { watchErrors } from './support';

test('AQE off: shuffle edges are labelled with non-zero bytes, on the page and in the exports', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.locator('.status')).toHaveText('up to date');
  const aqe = page.locator('label.knob', { hasText: 'AQE' }).locator('input');
  await aqe.uncheck();
  await expect(page.locator('#confs')).toHaveValue(/spark\.sql\.adaptive\.enabled=false/);
  await expect(page.locator('.status')).toHaveText('up to date');
  await page.locator('#tab-stages').click();
  const labels = page.locator('.dags g.shuffle text');
  await expect(labels.first()).toBeVisible();
  const onPage = (await labels.allTextContents()).sort();
  expect(onPage.length).toBeGreaterThan(0);
  for (const t of onPage) {
    expect(t).toMatch(/^\d+(\.\d)? (B|KiB|MiB|GiB|TiB)$/);
    expect(t).not.toBe('0 B');
  }

  const get = async (id: string) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.locator(id).click()]);
    return fs.readFileSync((await d.path())!).toString();
  };
  const svg = await get('#x-svg');
  const inSvg = await page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return Array.from(doc.querySelectorAll('text.bytes')).map((n) => n.textContent ?? '');
  }, svg);
  expect(inSvg.sort()).toEqual(onPage);
  const scene = JSON.parse(await get('#x-excalidraw'));
  const arrows = new Set(scene.elements.filter((e: any) => e.type === 'arrow').map((e: any) => e.id));
  const inScene = scene.elements.filter((e: any) => e.type === 'text' && arrows.has(e.containerId)).map((e: any) => e.text);
  expect(inScene.sort()).toEqual(onPage);
  expect(errors).toEqual([]);
});
