// The query editor's SQL | PySpark switch: a PySpark snippet re-plans the page (plans, stage DAG, timeline);
// the switch is a keyboard-operable tablist and each language keeps its text; a broken snippet is underlined
// at line:col like SQL while the page keeps working; share links and the embed player keep the language.
// With SHOTS=<dir> it also writes screenshots of the PySpark pane (with a snippet, with an error).
import { test, expect, Page } from '@playwright/test';
import { watchErrors } from './support';

const SNIPPET = 'df = spark.table("orders")\n(df.groupBy("channel")\n   .agg(F.sum("total_amount").alias("revenue"))\n   .collect())';

async function ready(page: Page) {
  await expect(page.locator('#query')).toHaveValue(/\S/);
  await expect(page.locator('.status')).toHaveText('up to date');
}

const replans = (page: Page) => page.locator('body').getAttribute('data-replans').then(Number);

async function shot(page: Page, name: string) {
  if (process.env.SHOTS) await page.locator('section.inputs').screenshot({ path: `${process.env.SHOTS}/${name}.png` });
}

test('switching to PySpark re-plans the snippet: plans, stage DAG and timeline follow; each language keeps its text', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await ready(page);
  const sql = await page.locator('#query').inputValue();
  const label = page.locator('label[for=query]');
  await expect(label).toContainText('Spark SQL');
  await expect(page.locator('#lang-sql')).toHaveAttribute('aria-selected', 'true');

  // The skewed-join lesson has a PySpark version: the first switch shows it, planned.
  await page.locator('#lang-pyspark').click();
  await expect(page.locator('#lang-pyspark')).toHaveAttribute('aria-selected', 'true');
  await expect(label).toContainText('PySpark');
  await expect(page.locator('#query')).toHaveValue(/o\.join\(c, o\.customer_id == c\.customer_id\)/);
  await ready(page);

  // A snippet of our own: the Plans, Stages and Timeline tabs show its run.
  const before = await replans(page);
  await page.locator('#query').fill(SNIPPET);
  await ready(page);
  expect(await replans(page)).toBeGreaterThan(before);
  await page.locator('#tab-plans').click();
  await expect(page.locator('#explain')).toContainText('HashAggregate(keys=[channel#');
  await expect(page.locator('#explain')).not.toContainText('SortMergeJoin');
  await page.locator('#tab-stages').click();
  // One shuffle under AQE: a job for the map stage (an AQE query stage), then the result job, whose copy of
  // the map stage is skipped.
  await expect(page.locator('figure.dag')).toHaveCount(2);
  await expect(page.locator('figure.dag figcaption').first()).toContainText('AQE query stage');
  await expect(page.locator('figure.dag g.node')).toHaveCount(3);
  await expect(page.locator('figure.dag g.node.skipped')).toHaveCount(1);
  await page.locator('#tab-timeline').click();
  await expect(page.locator('#timeline')).toBeVisible();
  await expect(page.locator('#clock')).toContainText('tasks');
  await shot(page, 'pyspark-pane');

  // Keyboard: ← back to SQL (its text unchanged), → to PySpark (the snippet kept).
  await page.locator('#lang-pyspark').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('#lang-sql')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#lang-sql')).toBeFocused();
  await expect(page.locator('#query')).toHaveValue(sql);
  await expect(label).toContainText('Spark SQL');
  await ready(page);
  await page.keyboard.press('End');
  await expect(page.locator('#lang-pyspark')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#query')).toHaveValue(SNIPPET);
  await ready(page);
  expect(errors).toEqual([]);
});

test('a lesson without a PySpark version starts from a snippet on the catalog, never an empty pane; one with it opens in it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await ready(page);
  await page.locator('#tab-examples').click();
  await page.getByRole('button', { name: /Driver and executors/ }).first().click();
  await expect(page.locator('#query')).toHaveValue('SELECT count(*) FROM lineitem');
  await page.locator('#lang-pyspark').click();
  await expect(page.locator('#query')).toHaveValue('df = spark.table("orders")\ndf.groupBy("status").count().show()');
  await ready(page);

  // In PySpark the gallery shows the lessons' PySpark versions, and picking one opens it in PySpark.
  await page.locator('#tab-examples').click();
  const salting = page.locator('.gallery li').filter({ has: page.getByRole('button', { name: 'Salting', exact: true }) });
  await expect(salting.locator('pre')).toContainText('F.rand()');
  await salting.getByRole('button').click();
  await expect(page.locator('#lang-pyspark')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#query')).toHaveValue(/F\.explode\(F\.sequence\(F\.lit\(0\), F\.lit\(7\)\)\)/);
  await ready(page);
  await page.locator('#lang-sql').click();
  await expect(page.locator('#query')).toHaveValue(/CAST\(rand\(\) \* 8 AS INT\)/);
  await ready(page);
  expect(errors).toEqual([]);
});

test('a broken snippet is underlined at line:col with the message, and the page keeps working', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await ready(page);
  await page.locator('#lang-pyspark').click();
  await ready(page);
  const query = page.locator('#query');
  const diag = page.locator('#query-error');

  // An unknown DataFrame method.
  await query.fill('df = spark.table("orders")\ndf.fliter(F.col("status") == "x").collect()');
  await expect(diag).toHaveText("2:4: 'DataFrame' object has no attribute 'fliter'");
  await expect(page.locator('.editor.has-error mark.err')).toHaveText('fliter');
  await expect(query).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.status')).toHaveText('input has an error: showing the last good results');
  await shot(page, 'pyspark-error');

  // An unclosed parenthesis, on line 2.
  await query.fill('df = spark.table("orders")\ndf.groupBy("status".count()');
  await expect(diag).toHaveText("2:11: '(' was never closed");
  await expect(page.locator('.editor.has-error mark.err')).toHaveText('(');

  // The rest of the page keeps working: the last good run's tabs, the knobs, the switch.
  await page.locator('#tab-stages').click();
  await expect(page.locator('figure.dag').first()).toBeVisible();
  await page.locator('#tab-plans').click();
  await expect(page.locator('#explain')).toBeVisible();
  await page.locator('#lang-sql').click();
  await expect(diag).toHaveCount(0);
  await ready(page);
  await page.locator('#lang-pyspark').click();
  await expect(diag).toHaveText("2:11: '(' was never closed");

  // Fixing it clears the message and re-plans.
  await query.fill('df = spark.table("orders")\ndf.groupBy("status").count().show()');
  await expect(diag).toHaveCount(0);
  await expect(query).toHaveAttribute('aria-invalid', 'false');
  await ready(page);
  expect(errors).toEqual([]);
});

test('a share link with lang=pyspark restores the PySpark pane; the embedded plan shows the snippet', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const errors = watchErrors(page);
  await page.goto('/');
  await ready(page);
  await page.locator('#lang-pyspark').click();
  await page.locator('#query').fill(SNIPPET);
  await ready(page);
  await page.locator('#share').click();
  await expect(page.locator('#share-msg')).toHaveText('Copied to the clipboard.');
  const link = await page.locator('#share-link').inputValue();
  expect(link).toMatch(/#1\.[A-Za-z0-9_-]+$/);

  const again = await context.newPage();
  const errors2 = watchErrors(again);
  await again.goto(link);
  await expect(again.locator('#lang-pyspark')).toHaveAttribute('aria-selected', 'true');
  await expect(again.locator('label[for=query]')).toContainText('PySpark');
  await expect(again.locator('#query')).toHaveValue(SNIPPET);
  await ready(again);
  await again.locator('#tab-plans').click();
  await expect(again.locator('#explain')).toContainText('HashAggregate(keys=[channel#');

  // The embed player plans the same snippet.
  const embed = await context.newPage();
  const errors3 = watchErrors(embed);
  await embed.goto(link + '&embed=plan');
  await expect(embed.locator('#query')).toHaveCount(0);
  await expect(embed.locator('body')).toContainText('HashAggregate');
  await expect(embed.locator('body')).not.toContainText('SortMergeJoin');
  expect([...errors, ...errors2, ...errors3]).toEqual([]);
});

test('an RDD word count runs one job of two stages and shows its lineage on the Plans tab', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await ready(page);
  await page.locator('#lang-pyspark').click();
  await page.locator('#tab-examples').click();
  await page.getByRole('button', { name: 'RDD lineage (word count)' }).click();
  await expect(page.locator('#query')).toHaveValue(/reduceByKey/);
  await ready(page);
  await page.locator('#tab-plans').click();
  // No query plan for RDD code: the lineage as toDebugString prints it, the shuffle one indentation step.
  await expect(page.locator('#explain')).toHaveCount(0);
  const lineage = page.locator('#rdd-lineage pre');
  await expect(lineage).toHaveCount(1);
  await expect(lineage).toContainText('ShuffledRDD[4] at partitionBy');
  await expect(lineage).toContainText('+-(2) PairwiseRDD[3] at reduceByKey');
  await page.locator('#tab-stages').click();
  await expect(page.locator('figure.dag')).toHaveCount(1);
  await expect(page.locator('figure.dag g.node')).toHaveCount(2);
  expect(errors).toEqual([]);
});
