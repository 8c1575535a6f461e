// The Plans tab's four plans as graphs (parsed, analyzed, optimized, physical), each with a text toggle, and
// the tab strips' keys (WAI-ARIA tablist: ←/→ wrap, Home/End, the moved-to tab focused and shown, a roving
// tabindex). Screenshots go to SHOTS (default /tmp/plans-shots) for a look.
import { test, expect } from '@playwright/test';
import { watchErrors } from './support';

const SHOTS = process.env.SHOTS || '/tmp/plans-shots';

test('the optimized plan is a graph with a node per operator, its text a toggle away', async ({ page, context }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.locator('#timeline')).toBeVisible();
  await page.locator('#tab-plans').click();

  // The physical plan is shown first, as before.
  await expect(page.locator('#plan-physical')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('svg.plan g.node').first()).toBeVisible();

  await page.locator('#plan-optimized').click();
  const graph = page.locator('svg.lplan[aria-label="optimized plan graph"]');
  await expect(graph).toBeVisible();
  const labels = await graph.locator('g.node').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-op')));
  // The skewed join: a join of two relations, filtered, aggregated.
  expect(labels).toContain('Join Inner');
  expect(labels).toContain('Aggregate');
  expect(labels.filter((l) => l === 'Relation').length).toBe(2);
  // Every node carries Spark's estimate; an edge joins each node to its parent.
  await expect(graph.locator('g.node .est').first()).toContainText('sizeInBytes=');
  expect(await graph.locator('g.node .est').count()).toBe(labels.length);
  expect(await graph.locator('g.edges line').count()).toBe(labels.length - 1);
  await page.screenshot({ path: `${SHOTS}/1-optimized-graph.png`, fullPage: true });

  // The toggle shows the same plan as text: one line per operator.
  const toggle = page.locator('#plan-as-text');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const text = (await page.locator('#plan-text').textContent())!;
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  expect(lines.length).toBe(labels.length);
  expect(lines[0]).toContain(labels[0]!);
  // Keyboard operable: Enter on the toggle brings the graph back.
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(graph).toBeVisible();

  // The parsed plan names Spark's unresolved operators.
  await page.locator('#plan-parsed').click();
  await expect(page.locator('svg.lplan[aria-label="parsed plan graph"] g.node', { hasText: "'UnresolvedRelation" }).first()).toBeVisible();
  await page.locator('#plan-analyzed').click();
  await expect(page.locator('svg.lplan[aria-label="analyzed plan graph"] g.node', { hasText: 'SubqueryAlias' }).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/2-analyzed-graph.png`, fullPage: true });
  // The EXPLAIN text stays where it was.
  await expect(page.locator('#explain')).toContainText('== Optimized Logical Plan ==');

  // A share link keeps the plan shown.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.locator('#share').click();
  const link = await page.locator('#share-link').inputValue();
  const other = await context.newPage();
  const errors2 = watchErrors(other);
  await other.goto(link);
  await expect(other.locator('#tab-plans')).toHaveAttribute('aria-selected', 'true');
  await expect(other.locator('#plan-analyzed')).toHaveAttribute('aria-selected', 'true');
  await expect(other.locator('svg.lplan[aria-label="analyzed plan graph"]')).toBeVisible();
  expect(errors).toEqual([]);
  expect(errors2).toEqual([]);
});

test('arrow keys, Home and End move between tabs and show them', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expect(page.locator('#timeline')).toBeVisible();

  // Main tabs: a roving tabindex, only the selected tab in the Tab order.
  const tl = page.locator('#tab-timeline');
  await expect(tl).toHaveAttribute('tabindex', '0');
  await expect(page.locator('#tab-plans')).toHaveAttribute('tabindex', '-1');
  await tl.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('#tab-stages')).toBeFocused();
  await expect(page.locator('#tab-stages')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.dags')).toBeVisible();
  await expect(page.locator('#tab-panel')).toHaveAttribute('aria-labelledby', 'tab-stages');
  await page.keyboard.press('Home');
  await expect(page.locator('#tab-plans')).toBeFocused();
  await expect(page.locator('#explain')).toBeVisible();
  await page.keyboard.press('ArrowLeft'); // wraps to the last
  await expect(page.locator('#tab-examples')).toBeFocused();
  await expect(page.locator('#tab-examples')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight'); // and back to the first
  await expect(page.locator('#tab-plans')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page.locator('#tab-examples')).toBeFocused();
  await page.keyboard.press('Home');

  // The plan tabs, inside the Plans panel.
  const phys = page.locator('#plan-physical');
  await phys.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('#plan-optimized')).toBeFocused();
  await expect(page.locator('#plan-optimized')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('svg.lplan[aria-label="optimized plan graph"]')).toBeVisible();
  await page.keyboard.press('Home');
  await expect(page.locator('#plan-parsed')).toHaveAttribute('aria-selected', 'true');
  // Keys on a plan tab stay in its strip: the main tab is still Plans.
  await expect(page.locator('#tab-plans')).toHaveAttribute('aria-selected', 'true');

  // The Spark-UI tabs.
  await page.locator('#tab-sparkui').click();
  await page.locator('#ui-jobs').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#ui-stages')).toBeFocused();
  await expect(page.locator('#ui-stages')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#ui-panel')).toContainText('Shuffle write');
  // Spark's own tab order: Jobs, Stages, Storage, Environment, Executors, SQL.
  await page.keyboard.press('End');
  await expect(page.locator('#ui-sql')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('#ui-environment')).toBeFocused();
  await expect(page.locator('#ui-environment')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#ui-panel')).toContainText('spark.executor.memory');
  expect(errors).toEqual([]);
});
