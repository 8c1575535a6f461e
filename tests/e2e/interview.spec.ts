// Interview (presenter) mode on the default example: answers hidden until revealed with the keyboard, the
// revealed answers agree with the rest of the page (Spark UI, Plans), prompts can be rewritten, a link opens
// the interview again, and nothing logs an error.
import { test, expect, Page } from '@playwright/test';
import { watchErrors } from './support';

async function ready(page: Page) {
  await expect(page.locator('#query')).toHaveValue(/SELECT/);
  await expect(page.locator('.status')).toHaveText('up to date');
}

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

test('interview mode: hidden answers, keyboard reveal, answers from the run, prompts, link', async ({ page, context }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await ready(page);
  // What the page itself says about the run: the number of jobs (Spark UI) and the join strategy (Plans).
  await page.locator('#tab-sparkui').click();
  const jobs = await page.locator('.spark-ui tbody tr').count();
  expect(jobs).toBeGreaterThan(0);
  await page.locator('#tab-plans').click();
  await expect(page.locator('.joins')).toContainText('SortMergeJoin');

  await page.locator('#interview-open').click();
  const iv = page.locator('#interview');
  await expect(iv).toBeVisible();
  await expect(page.locator('#iv-question')).toHaveText('How many jobs does Spark run?');
  // Answers are hidden: not in the page at all until revealed.
  await expect(page.locator('#iv-answer')).toHaveCount(0);
  await expect(page.locator('#iv-hidden')).toBeVisible();
  expect(await iv.innerText()).not.toContain(`${jobs} jobs`);

  await page.keyboard.press('Space');
  await expect(page.locator('#iv-answer .iv-headline')).toHaveText(`${jobs} jobs`);
  await expect(page.locator('#iv-answer')).toContainText('AQE query stage');

  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#iv-question')).toHaveText('How many stages run, and how many are skipped?');
  await expect(page.locator('#iv-answer')).toHaveCount(0);
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('#iv-question')).toHaveText('How many jobs does Spark run?');
  await expect(page.locator('#iv-answer')).toBeVisible();

  // The default example's prompts: jobs, stages, join, aqe, straggler.
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(page.locator('#iv-question')).toHaveText('Which join strategy does Spark pick, and why?');
  await expect(page.locator('#iv-answer')).toHaveCount(0);
  await page.keyboard.press('Space');
  await expect(page.locator('#iv-answer .iv-headline')).toHaveText('SortMergeJoin, with a skew-join split');
  await expect(page.locator('.iv-why')).toContainText('spark.sql.autoBroadcastJoinThreshold = -1');
  await page.keyboard.press('Enter');
  await page.keyboard.press('PageDown');
  await expect(page.locator('#iv-question')).toHaveText('What does AQE change at run time?');
  await expect(page.locator('#iv-answer .iv-headline')).toContainText('Split skewed partition');
  await page.keyboard.press('Space');
  await page.keyboard.press('Space');
  await expect(page.locator('#iv-question')).toContainText('Where is the straggler');
  await expect(page.locator('#iv-answer .iv-headline')).toContainText('× the median');

  // Esc leaves for the tab it came from; `i` comes back, at the first prompt with its answer hidden.
  await page.keyboard.press('Escape');
  await expect(iv).toHaveCount(0);
  await expect(page.locator('#tab-plans')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('i');
  await expect(iv).toBeVisible();
  await expect(page.locator('#iv-answer')).toHaveCount(0);

  // The presenter's own prompts: a kind and a free question with its note. Keys typed there stay there.
  await page.locator('.iv-edit summary').click();
  await page.locator('#iv-prompts').fill('tasks\nWhat would salting change? | spreads the hot key over 8 partitions');
  await expect(page.locator('#iv-question')).toHaveText('How many tasks run in all?');
  await expect(page.locator('#iv-answer')).toHaveCount(0);
  await page.locator('#iv-next').click();
  await expect(page.locator('#iv-answer .iv-headline')).toHaveText(/^\d+ tasks/);
  await page.locator('#iv-next').click();
  await expect(page.locator('#iv-question')).toHaveText('What would salting change?');
  await page.locator('#iv-next').click();
  await expect(page.locator('#iv-answer .iv-headline')).toHaveText('spreads the hot key over 8 partitions');
  await expect(page.locator('#iv-next')).toBeDisabled();
  // Keys still work after the mouse: ← hides the answer again; Space on the focused Back button presses it.
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('#iv-answer')).toHaveCount(0);
  await page.locator('#iv-back').focus();
  await page.keyboard.press('Space');
  await expect(page.locator('#iv-question')).toHaveText('How many tasks run in all?');
  await expect(page.locator('#iv-answer')).toBeVisible();

  // A link to the interview opens it, with the prompts and the answers hidden.
  await page.locator('#iv-share').click();
  await expect(page).toHaveURL(/#1\.[A-Za-z0-9_-]+$/);
  const other = await context.newPage();
  const otherErrors = watchErrors(other);
  await other.goto(page.url());
  await expect(other.locator('#interview')).toBeVisible();
  await expect(other.locator('#iv-question')).toHaveText('How many tasks run in all?');
  await expect(other.locator('#iv-answer')).toHaveCount(0);
  await other.keyboard.press('Escape');
  await expect(other.locator('#tab-timeline')).toHaveAttribute('aria-selected', 'true');

  expect(errors).toEqual([]);
  expect(otherErrors).toEqual([]);
});

// Screenshots of the presenter view: `SHOTS=docs/screenshots npx playwright test -g 'interview screenshots'`.
test('interview screenshots', async ({ page }) => {
  test.skip(!process.env.SHOTS, 'set SHOTS=<dir> to take screenshots');
  const dir = process.env.SHOTS;
  await page.setViewportSize({ width: 1280, height: 800 });
  const shots: [string, number][] = [['light', 5], ['dark', 7]];
  for (const [theme, steps] of shots) {
    await page.goto('/');
    await ready(page);
    await page.keyboard.press('i');
    for (let i = 0; i < steps; i++) await page.keyboard.press('Space');
    await expect(page.locator('#iv-answer')).toBeVisible();
    // The theme button cycles auto → dark → light.
    for (let i = 0; i < (theme === 'dark' ? 1 : 2); i++) await page.locator('#theme').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${dir}/interview-${theme}.png` });
  }
});
