// The timeline canvas: keyboard task navigation (arrows move a cursor, Enter selects like a click, Esc
// clears), A/B's two timelines on one time scale, and playback over the incremental cache (what is drawn
// after a scrub back and forth matches what a straight run draws).
import { test, expect, Page } from '@playwright/test';
import { watchErrors } from './support';

/** Keeps what the canvas shows now under `name`, in the page (the pixels stay there). */
const capture = (page: Page, name: string, sel = '#timeline') =>
  page.locator(sel).evaluate((c: HTMLCanvasElement, name: string) => {
    const w = window as unknown as { caps?: Record<string, Uint8ClampedArray> };
    (w.caps ??= {})[name] = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
  }, name);

/** The share of pixels that differ between two captures. */
const diff = (page: Page, a: string, b: string) =>
  page.evaluate(([a, b]) => {
    const caps = (window as unknown as { caps: Record<string, Uint8ClampedArray> }).caps;
    const [x, y] = [caps[a], caps[b]];
    if (x.length !== y.length) return 1;
    let n = 0;
    for (let i = 0; i < x.length; i += 4) if (x[i] !== y[i] || x[i + 1] !== y[i + 1] || x[i + 2] !== y[i + 2] || x[i + 3] !== y[i + 3]) n++;
    return n / (x.length / 4);
  }, [a, b]);

/** Whether every pixel of a capture is transparent. */
const blank = (page: Page, a: string) => page.evaluate((a) => (window as unknown as { caps: Record<string, Uint8ClampedArray> }).caps[a].every((v) => v === 0), a);

test('arrow keys move a task cursor, Enter selects its task, Esc clears', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.locator('#scrub').fill('1000');
  await expect(page.locator('#clock')).toContainText(/(\d+)\/\1 tasks/);
  const canvas = page.locator('canvas#timeline');
  await expect(canvas).toHaveAttribute('tabindex', '0');
  await expect(canvas).toHaveAttribute('aria-label', /arrows move a task cursor/);
  await canvas.focus();
  await page.keyboard.press('ArrowRight');
  const cursor = page.locator('#task-cursor');
  await expect(cursor).toContainText(/cursor: task \d+ · stage \d+ · executor \d+/);
  const first = (await cursor.textContent())!;
  // Down: a task of the lane below (another core), at about the same time.
  await page.keyboard.press('ArrowDown');
  await expect(cursor).not.toHaveText(first);
  await page.keyboard.press('ArrowUp');
  await expect(cursor).toContainText(/cursor: task \d+/);
  // Left then right along the lane comes back to the same task.
  const up = (await cursor.textContent())!;
  await page.keyboard.press('ArrowLeft');
  await expect(cursor).not.toHaveText(up);
  await page.keyboard.press('ArrowRight');
  await expect(cursor).toHaveText(up);
  await page.keyboard.press('ArrowRight');
  const picked = (await cursor.textContent())!.match(/task (\d+) · stage (\d+)/)!;
  await page.keyboard.press('Enter');
  const info = page.locator('#task-info');
  await expect(info).toContainText(`task ${picked[1]} · stage ${picked[2]}`);
  // The same selection as a click: the Stages tab highlights the task's stage.
  await page.locator('#tab-stages').click();
  await expect(page.locator('.dags g.node.sel').first().locator('text').first()).toHaveText(`Stage ${picked[2]}`);
  await page.locator('#tab-timeline').click();
  await page.locator('canvas#timeline').focus();
  await page.keyboard.press('Escape');
  await expect(page.locator('#task-info')).toHaveCount(0);
  await expect(page.locator('#task-cursor')).toHaveCount(0);
  // Shift+arrows still step the playhead from event to event.
  const at = await page.locator('#clock').innerText();
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(page.locator('#clock')).not.toHaveText(at);
  expect(errors).toEqual([]);
});

test('A/B shows both runs as timelines on one time scale', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.locator('#pin').click();
  await page.locator('#k-execs').fill('4');
  await page.locator('#k-execs').press('Enter');
  await expect(page.locator('#ab tr.changed').first()).toBeVisible();
  await page.locator('#tab-timeline').click();
  await expect(page.locator('canvas.tl-canvas')).toHaveCount(2);
  await expect(page.locator('#tl-label-a')).toContainText(/^A \(pinned\) · [\d.]+ ?m?s in all$/);
  await expect(page.locator('#tl-label')).toContainText(/^B \(now\) · [\d.]+ ?m?s in all$/);
  const [a, b] = [await page.locator('#tl-label-a').innerText(), await page.locator('#tl-label').innerText()];
  expect(a.replace(/^A \(pinned\)/, '')).not.toEqual(b.replace(/^B \(now\)/, ''));
  // One set of controls drives both: B's scrub to the end shows both runs finished, each clock at its
  // own run's end; A has no controls of its own.
  await expect(page.locator('.controls[role=toolbar]')).toHaveCount(1);
  await expect(page.locator('#scrub-a')).toHaveCount(0);
  await expect(page.locator('#play-a')).toHaveCount(0);
  await page.locator('#scrub').fill('1000');
  await expect(page.locator('#clock-a')).toContainText(/(\d+)\/\1 tasks/);
  await expect(page.locator('#clock')).toContainText(/(\d+)\/\1 tasks/);
  // Back to the start: both clocks at 0, nothing started.
  await page.locator('#scrub').fill('0');
  await expect(page.locator('#clock-a')).toContainText(/^0 ?m?s \/ .* · 0\/\d+ tasks$/);
  await expect(page.locator('#clock')).toContainText(/^0 ?m?s \/ .* · 0\/\d+ tasks$/);
  // Play runs both on the one clock: A's clock moves too.
  await page.locator('#play').click();
  await expect(page.locator('#clock-a')).not.toContainText(/ · 0\/\d+ tasks$/);
  await page.locator('#play').click();
  await page.locator('#scrub').fill('1000');
  const boxes = await page.locator('canvas.tl-canvas').evaluateAll((cs) => cs.map((c) => (c as HTMLCanvasElement).width));
  expect(boxes[0]).toEqual(boxes[1]);
  await capture(page, 'a', '#timeline-a');
  expect(await blank(page, 'a')).toBe(false);
  // A task picked in A is A's: described under A's canvas; B's selection (and so the Stages tab's) stays.
  await page.locator('#timeline').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(page.locator('#task-info')).toContainText(/task \d+ · stage \d+/);
  const inB = (await page.locator('#task-info').textContent())!;
  await page.locator('#timeline-a').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#task-cursor-a')).toContainText(/cursor: task \d+ · stage \d+/);
  const picked = (await page.locator('#task-cursor-a').textContent())!.match(/task (\d+) · stage (\d+)/)!;
  await page.keyboard.press('Enter');
  await expect(page.locator('#task-info-a')).toContainText(`task ${picked[1]} · stage ${picked[2]}`);
  await expect(page.locator('#task-info')).toHaveText(inB);
  await page.keyboard.press('Escape');
  await expect(page.locator('#task-info-a')).toHaveCount(0);
  await expect(page.locator('#task-info')).toHaveText(inB);
  await page.locator('#tab-stages').click();
  await expect(page.locator('.dags g.node.sel')).not.toHaveCount(0);
  await expect(page.locator('.dags g.node.sel').first().locator('text').first()).toHaveText(`Stage ${inB.match(/stage (\d+)/)![1]}`);
  await page.locator('#tab-timeline').click();
  await page.locator('#unpin').click();
  await expect(page.locator('canvas.tl-canvas')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('playback animates a bigger run, and a scrub back and forth draws what a straight run draws', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.locator('#confs').fill('spark.sql.adaptive.enabled=false\nspark.sql.shuffle.partitions=3000\n');
  await expect(page.locator('#clock')).toContainText(/\/\d{4,} tasks/);
  await page.locator('#scrub').fill('0');
  await page.locator('#play').click();
  await expect(page.locator('#play')).toHaveAttribute('aria-label', 'pause');
  await capture(page, 'p1');
  await page.waitForTimeout(600);
  await capture(page, 'p2');
  expect(await diff(page, 'p1', 'p2')).toBeGreaterThan(0);
  await page.locator('#play').click();
  // Straight to 80 %, then back to 20 % and forward to 80 % again: the cache is rebuilt on the way back.
  await page.locator('#scrub').fill('800');
  await capture(page, 'straight');
  await page.locator('#scrub').fill('200');
  await capture(page, 'back');
  expect(await diff(page, 'straight', 'back')).toBeGreaterThan(0.01);
  for (const v of ['400', '600', '800']) await page.locator('#scrub').fill(v);
  await capture(page, 'again');
  expect(await diff(page, 'straight', 'again')).toBeLessThan(0.005);
  expect(errors).toEqual([]);
});
