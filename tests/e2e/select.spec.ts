// One selection across the views: clicking a physical-plan operator, a stage of the DAG or a task on the
// timeline selects a stage, and the other views show it (plan nodes and the stage box highlighted, the
// other stages' tasks dimmed, the clicked task described). Esc clears it. Screenshots go to
// SHOTS (default /tmp/sel-shots) for a look.
import { test, expect } from '@playwright/test';
import { watchErrors } from './support';

const SHOTS = process.env.SHOTS || '/tmp/sel-shots';

test('a plan node, a stage and a task select one another; Esc clears', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.locator('#timeline')).toBeVisible();

  // Plans: the scan of orders runs in a map stage; clicking it selects that stage.
  await page.locator('#tab-plans').click();
  const scan = page.locator('svg.plan g.node', { hasText: 'FileScan parquet orders' });
  const scanStage = await scan.getAttribute('data-stage');
  expect(scanStage).toMatch(/^\d+$/);
  await scan.click();
  await expect(scan).toHaveClass(/sel/);
  // The exchange above the scan is written by the same stage.
  const plan = page.locator('svg.plan g.node.sel');
  await expect(plan.filter({ hasText: 'Exchange' }).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/1-plan-click.png`, fullPage: true });

  // Stages: the same stage is highlighted (the selection survives the tab switch).
  await page.locator('#tab-stages').click();
  const selStage = page.locator('.dags g.node.sel');
  await expect(selStage.first().locator('text').first()).toHaveText(`Stage ${scanStage}`);
  await page.screenshot({ path: `${SHOTS}/2-stages.png`, fullPage: true });

  // Clicking the last stage that ran (the action's result stage) highlights its operators in the plan.
  const last = page.locator('.dags g.node:not(.skipped)').last();
  const lastStage = await last.getAttribute('data-stage');
  await last.click();
  await expect(last).toHaveClass(/sel/);
  await page.locator('#tab-plans').click();
  await expect(page.locator('svg.plan g.node.sel').first()).toContainText('AdaptiveSparkPlan');
  const marked = await page.locator('svg.plan g.node.sel').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-stage')));
  expect(marked.length).toBeGreaterThan(1);
  expect(new Set(marked)).toEqual(new Set([lastStage]));
  await expect(scan).not.toHaveClass(/sel/);
  await page.screenshot({ path: `${SHOTS}/3-plan-from-stage.png`, fullPage: true });

  // Keyboard: a plan node takes the focus and Enter selects its stage.
  await scan.focus();
  await page.keyboard.press('Enter');
  await expect(scan).toHaveClass(/sel/);

  // Timeline: at the end of the run, a click on a task selects its stage and describes the task.
  await page.locator('#tab-timeline').click();
  await page.locator('#scrub').fill('1000');
  await expect(page.locator('#clock')).toContainText(/(\d+)\/\1 tasks/);
  const canvas = page.locator('canvas#timeline');
  const box = (await canvas.boundingBox())!;
  let found = false;
  for (let f = 0.5; !found && f < 0.99; f += 0.03) {
    await canvas.click({ position: { x: 48 + (box.width - 56) * f, y: 30 } });
    found = (await page.locator('#task-info').count()) > 0;
  }
  expect(found).toBe(true);
  const info = page.locator('#task-info');
  await expect(info).toContainText(/task \d+ · stage \d+ · executor \d+/);
  const taskStage = (await info.textContent())!.match(/stage (\d+)/)![1];
  await page.screenshot({ path: `${SHOTS}/4-timeline-task.png`, fullPage: true });
  await page.locator('#tab-stages').click();
  await expect(page.locator('.dags g.node.sel').first().locator('text').first()).toHaveText(`Stage ${taskStage}`);

  // Esc (outside a text field) clears the selection everywhere.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Escape');
  await expect(page.locator('.dags g.node.sel')).toHaveCount(0);
  await page.locator('#tab-timeline').click();
  await expect(page.locator('#task-info')).toHaveCount(0);
  // The interview mode's Esc is its own: it leaves the mode.
  await page.keyboard.press('i');
  await expect(page.locator('#interview')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('#interview')).toHaveCount(0);

  expect(errors).toEqual([]);
});
