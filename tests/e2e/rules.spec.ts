// The optimizer rule stepper on the Plans tab: the default example's rules that changed the plan, one at a
// time with the plan's line diff (added and removed lines marked); Next / Previous and the arrow keys step.
import { test, expect } from '@playwright/test';

test('the rule stepper walks the optimizer rules with a diff per rule', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  await expect(page.locator('#timeline')).toBeVisible();
  await page.locator('#tab-plans').click();

  const pick = page.locator('#rule-pick');
  await expect(pick).toBeVisible();
  const n = await pick.locator('option').count();
  expect(n).toBeGreaterThan(1);
  // The first rule changed something: the diff has added or removed lines.
  const diff = page.locator('#rule-diff');
  expect(await diff.locator('span.add, span.del').count()).toBeGreaterThan(0);
  // Predicate pushdown is among the rules of a join with a filter on the join keys (isnotnull inferred).
  const names = await pick.locator('option').allTextContents();
  expect(names.some((t) => /InferFiltersFromConstraints|PushDownPredicates/.test(t))).toBe(true);

  await page.locator('#rule-next').click();
  await expect(pick).toHaveValue(names[1]);
  await page.locator('section.rules').press('ArrowLeft');
  await expect(pick).toHaveValue(names[0]);
  await expect(page.locator('#rule-prev')).toBeDisabled();
  // Picking the last rule from the list.
  await pick.selectOption({ index: n - 1 });
  await expect(page.locator('#rule-next')).toBeDisabled();
  await expect(page.locator('.rules .note')).toContainText(`rule ${n} of ${n}`);
  expect(errors).toEqual([]);
});
