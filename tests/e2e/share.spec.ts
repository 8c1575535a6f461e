// Share links and exports: a link restores the same view (query, knobs, tab, selected stage, playback
// position); a damaged or newer link says so and leaves a working default example; every export downloads a
// valid file, made in the page (no request after load); no console errors.
import { test, expect, Page, Download } from '@playwright/test';
import * as fs from 'fs';

function watch(page: Page) {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const requests: string[] = [];
  let loaded = false;
  page.on('load', () => (loaded = true));
  page.on('request', (r) => {
    if (loaded && /^https?:/.test(r.url())) requests.push(r.url());
  });
  return { errors, requests };
}

async function ready(page: Page) {
  await expect(page.locator('#query')).toHaveValue(/SELECT/);
  await expect(page.locator('.status')).toHaveText('up to date');
}

async function share(page: Page): Promise<string> {
  await page.locator('#share').click();
  await expect(page.locator('#share-msg')).toHaveText('Copied to the clipboard.');
  const link = await page.locator('#share-link').inputValue();
  expect(link).toMatch(/#1\.[A-Za-z0-9_-]+$/);
  // The address holds the link too, and the clipboard has it.
  expect(page.url()).toBe(link);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  return link;
}

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

const Q = 'SELECT c.segment, count(*) AS n FROM orders o JOIN customers c ON o.customer_id = c.customer_id GROUP BY c.segment';

test('a share link restores query, knobs, tab and playback position', async ({ page, context }) => {
  const w = watch(page);
  await page.goto('/');
  await ready(page);
  await page.locator('#query').fill(Q);
  await expect(page.locator('.status')).toHaveText('up to date');
  await page.locator('#k-parts').fill('64');
  await page.locator('#k-parts').press('Enter');
  await page.locator('#k-execs').fill('3');
  await page.locator('#k-execs').press('Enter');
  await expect(page.locator('#confs')).toHaveValue(/spark\.sql\.shuffle\.partitions=64/);
  // Pause the timeline at a task boundary a few steps in.
  await page.locator('#tab-timeline').click();
  const play = page.locator('#play');
  if ((await play.getAttribute('aria-label')) === 'pause') await play.click();
  await page.locator('#scrub').fill('0');
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'step forward' }).click();
  const clock = await page.locator('#clock').textContent();
  const scrub = await page.locator('#scrub').inputValue();
  expect(scrub).not.toBe('0');
  const link = await share(page);
  if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/share-dialog.png`, clip: { x: 0, y: 0, width: 1280, height: 170 } });

  const other = await context.newPage();
  const w2 = watch(other);
  await other.goto(link);
  await expect(other.locator('#query')).toHaveValue(Q);
  await expect(other.locator('#k-parts')).toHaveValue('64');
  await expect(other.locator('#k-execs')).toHaveValue('3');
  await expect(other.locator('#tab-timeline')).toHaveAttribute('aria-selected', 'true');
  await expect(other.locator('#play')).toHaveAttribute('aria-label', 'play');
  await expect(other.locator('#clock')).toHaveText(clock!);
  await expect(other.locator('#scrub')).toHaveValue(scrub);
  await expect(other.locator('#share-error')).toHaveCount(0);

  // Tab and selected stage: the Stages tab with a stage clicked.
  await other.locator('#tab-stages').click();
  const stage = other.locator('.dags g.node').nth(1);
  await stage.click();
  await expect(stage).toHaveClass(/sel/);
  const stageName = await stage.locator('text').first().textContent();
  const link2 = await share(other);
  const third = await context.newPage();
  const w3 = watch(third);
  await third.goto(link2);
  await expect(third.locator('#tab-stages')).toHaveAttribute('aria-selected', 'true');
  await expect(third.locator('.dags g.node.sel text').first()).toHaveText(stageName!);
  await expect(third.locator('#query')).toHaveValue(Q);

  // A link pasted into the address of an open page opens too (a new fragment does not reload the page).
  await third.evaluate(() => (location.hash = '#1.BQAAAPBB'));
  await expect(third.locator('#share-error')).toContainText('damaged or cut short');
  await expect(third.locator('#query')).toHaveValue(/sum\(o\.total_amount\)/);
  await third.evaluate((h) => (location.hash = h), new URL(link).hash);
  await expect(third.locator('#share-error')).toHaveCount(0);
  await expect(third.locator('#query')).toHaveValue(Q);
  await expect(third.locator('#clock')).toHaveText(clock!);

  for (const x of [w, w2, w3]) {
    expect(x.errors).toEqual([]);
    expect(x.requests).toEqual([]);
  }
});

for (const [name, frag, message] of [
  ['damaged', '#1.BQAAAPBB', /damaged or cut short/],
  ['not base64url', '#1.abc!def', /damaged/],
  ['newer', '#7.QUJD', /newer Stagecraft \(v7\)/],
] as const) {
  test(`a ${name} link shows why and the default example still works`, async ({ page }) => {
    const w = watch(page);
    await page.goto('/' + frag);
    await expect(page.locator('#share-error')).toContainText('Could not open the shared link');
    await expect(page.locator('#share-error')).toContainText(message);
    await expect(page.locator('#query')).toHaveValue(/JOIN customers c ON o\.customer_id = c\.customer_id/);
    await page.locator('#query').fill('SELECT count(*) FROM orders');
    await page.locator('#tab-plans').click();
    await expect(page.locator('#explain')).toContainText('HashAggregate');
    await page.locator('#share-error button').click();
    await expect(page.locator('#share-error')).toHaveCount(0);
    expect(w.errors).toEqual([]);
    expect(w.requests).toEqual([]);
  });
}

async function saved(d: Download): Promise<Buffer> {
  return fs.readFileSync((await d.path())!);
}

test('exports: trace JSON, DAG/plan/timeline SVG and PNG (the DAG as the Stages tab shows it, the plan the Plans tab shows), Excalidraw and EXPLAIN Markdown, all made in the page', async ({ page }) => {
  const w = watch(page);
  await page.goto('/');
  await ready(page);
  const get = async (id: string) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.locator(id).click()]);
    return { name: d.suggestedFilename(), body: await saved(d) };
  };

  const trace = await get('#x-trace');
  expect(trace.name).toBe('stagecraft-trace.json');
  const t = JSON.parse(trace.body.toString());
  expect(t.traceEvents.length).toBeGreaterThan(10);
  expect(t.traceEvents.some((e: any) => e.ph === 'X')).toBe(true);

  const svg = await get('#x-svg');
  const svgOk = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return !doc.querySelector('parsererror') && doc.documentElement.nodeName === 'svg' && doc.querySelectorAll('g.stage').length;
  }, svg.body.toString());
  expect(svgOk).toBeGreaterThan(0);

  // Plan and timeline SVGs parse; the PNGs of the DAG and the plan are real PNGs at twice the SVG's size.
  const svgCount = (text: string, sel: string) => page.evaluate(([t, q]) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return doc.querySelector('parsererror') ? -1 : doc.querySelectorAll(q).length;
  }, [text, sel]);
  const planSvg = await get('#x-plan-svg');
  expect(planSvg.name).toBe('stagecraft-plan.svg');
  expect(await svgCount(planSvg.body.toString(), 'g.node')).toBeGreaterThan(5);
  const tlSvg = await get('#x-tl-svg');
  expect(await svgCount(tlSvg.body.toString(), 'rect.task')).toBeGreaterThan(5);
  for (const [id, text] of [['#x-dag-png', svg.body.toString()], ['#x-plan-png', planSvg.body.toString()]]) {
    const p = await get(id);
    expect(p.body.subarray(1, 4).toString()).toBe('PNG');
    const w0 = Number(/ width="([0-9.]+)"/.exec(text)![1]);
    expect(p.body.readUInt32BE(16)).toBe(Math.trunc(w0 * 2));
  }

  // The DAG SVG shows what the Stages tab draws: a box per stage, skipped ones grey, edges with their bytes.
  await page.locator('#tab-stages').click();
  await expect(page.locator('.dags g.node').first()).toBeVisible();
  const onPage = await page.evaluate(() => [
    document.querySelectorAll('.dags g.node').length,
    document.querySelectorAll('.dags g.node.skipped').length,
    document.querySelectorAll('.dags g.shuffle').length,
    document.querySelectorAll('.dags g.shuffle text').length,
  ]);
  const inSvg = await Promise.all(['g.stage', 'g.stage.skipped', 'line.shuffle', 'text.bytes'].map((q) => svgCount(svg.body.toString(), q)));
  expect(inSvg).toEqual(onPage);

  // The plan exports export the plan graph the Plans tab shows, titled with its name: here the optimized
  // logical plan, a node per operator drawn on the page.
  await page.locator('#tab-plans').click();
  await page.locator('#plan-optimized').click();
  const shown = page.locator('svg.lplan[aria-label="optimized plan graph"] g.node');
  await expect(shown.first()).toBeVisible();
  const optSvg = await get('#x-plan-svg');
  const optText = optSvg.body.toString();
  expect(await svgCount(optText, 'g.node')).toBe(await shown.count());
  expect(optText).toContain('<title>Stagecraft: optimized plan</title>');
  expect(optText).toContain(' · optimized plan</text>');
  const optPng = await get('#x-plan-png');
  expect(optPng.body.subarray(1, 4).toString()).toBe('PNG');
  expect(optPng.body.readUInt32BE(16)).toBe(Math.trunc(Number(/ width="([0-9.]+)"/.exec(optText)![1]) * 2));
  await page.locator('#plan-physical').click();

  const ex = await get('#x-excalidraw');
  const e = JSON.parse(ex.body.toString());
  expect(e.type).toBe('excalidraw');
  expect(e.elements.length).toBeGreaterThan(2);

  await page.locator('#tab-timeline').click();
  const png = await get('#x-png');
  expect(png.body.subarray(1, 4).toString()).toBe('PNG');
  const size = await page.evaluate(() => {
    const c = document.getElementById('timeline') as HTMLCanvasElement;
    return [c.width, c.height];
  });
  expect([png.body.readUInt32BE(16), png.body.readUInt32BE(20)]).toEqual(size);

  await page.locator('#tab-plans').click();
  await page.locator('#x-md').click();
  await expect(page.locator('#share-msg')).toHaveText('EXPLAIN copied as Markdown.');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/^## EXPLAIN EXTENDED[^\n]*\n\n```+text\n== Parsed Logical Plan ==/);

  expect(w.errors).toEqual([]);
  expect(w.requests).toEqual([]);
});
