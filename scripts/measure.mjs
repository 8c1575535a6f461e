// Browser measurements of the release build (a script, not a test; scripts/measure.sh serves dist/ and runs
// it): load → first animated timeline frame, edit → updated view for each SQL practice query, and playback
// frames per second on a run of ~100,000 tasks. Debian's Chromium through Playwright (never a download).
// Usage: node scripts/measure.mjs URL [SCENARIO_DIR]   Prints a table; JSON of the numbers on the last line.
import { chromium } from 'playwright';
import fs from 'node:fs';
import path from 'node:path';

const url = process.argv[2] || 'http://127.0.0.1:8080/';
const scenarioDir = process.argv[3] || path.join(path.dirname(new URL(import.meta.url).pathname), '../../shared/fidelity/scenarios');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });

// The app's hook (src/view/state.rs): after each re-plan it sets data-replans and data-replan-us on <body>.
// `edit` sets the given panes' texts (one input event each, as typing does) and resolves when the re-plan
// that follows has been rendered: two animation frames after the hook fired.
async function edit(page, panes) {
  return page.evaluate(
    (panes) =>
      new Promise((resolve) => {
        const body = document.body;
        const obs = new MutationObserver(() => {
          obs.disconnect();
          const replanUs = Number(body.dataset.replanUs);
          requestAnimationFrame(() => requestAnimationFrame(() => resolve({ ms: performance.now() - t0, replanMs: replanUs / 1000 })));
        });
        obs.observe(body, { attributes: true, attributeFilter: ['data-replan-us', 'data-replans'] });
        const t0 = performance.now();
        for (const [id, text] of Object.entries(panes)) {
          const area = document.getElementById(id);
          area.value = text;
          area.dispatchEvent(new InputEvent('input', { bubbles: true }));
        }
        setTimeout(() => {
          obs.disconnect();
          resolve({ ms: NaN, replanMs: NaN });
        }, 60_000);
      }),
    panes,
  );
}

// 1. Load → first animated frame: ms from navigation start until the timeline's clock first moves.
const loads = [];
for (let i = 0; i < 3; i++) {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  const ms = await page.evaluate(
    () =>
      new Promise((resolve) => {
        let first = null;
        const tick = () => {
          const c = document.getElementById('clock');
          const text = c ? c.textContent : null;
          if (text !== null && first === null) first = text;
          if (text !== null && text !== first) return resolve(performance.now());
          requestAnimationFrame(tick);
        };
        tick();
      }),
  );
  loads.push(ms);
  await page.close();
}

// 2. Edit → updated view, for each SQL practice scenario (its query and confs; the app's retail catalog and cluster).
const page = await context.newPage();
await page.goto(url, { waitUntil: 'load' });
await page.waitForSelector('#clock');
const edits = [];
let files = [];
try {
  files = fs.readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort();
} catch {
  console.error(`[measure] no scenarios in ${scenarioDir}: edit timings skipped`);
}
for (const f of files) {
  const s = JSON.parse(fs.readFileSync(path.join(scenarioDir, f), 'utf8'));
  if ((s.query?.lang || 'sql') !== 'sql') continue;
  const confs = Object.entries(s.confs || {}).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
  const r = await edit(page, { confs, query: s.query.text });
  edits.push({ id: s.id || f, ...r });
}
const debounce = 150; // DEBOUNCE_MS in src/view/mod.rs: the app waits this long after the last keystroke.

// 3. Playback of a run of ~100,000 tasks: 100,000 shuffle partitions without AQE.
const big = await edit(page, {
  confs: 'spark.sql.adaptive.enabled=false\nspark.sql.shuffle.partitions=100000\n',
  query: 'SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id',
});
const clock = await page.locator('#clock').textContent();
const tasks = Number((clock.match(/\/(\d+) tasks/) || [])[1]);
if ((await page.locator('#play').getAttribute('aria-label')) !== 'pause') await page.locator('#play').click();
const playback = await page.evaluate(
  () =>
    new Promise((resolve) => {
      const clock = document.getElementById('clock');
      let frames = 0;
      let redraws = 0;
      let last = clock.textContent;
      const t0 = performance.now();
      const tick = () => {
        frames++;
        if (clock.textContent !== last) {
          redraws++;
          last = clock.textContent;
        }
        if (performance.now() - t0 < 5000) requestAnimationFrame(tick);
        else resolve({ seconds: (performance.now() - t0) / 1000, fps: frames / ((performance.now() - t0) / 1000), redrawsPerSecond: redraws / ((performance.now() - t0) / 1000) });
      };
      requestAnimationFrame(tick);
    }),
);
await browser.close();

const row = (k, v) => console.log(`| ${k} | ${v} |`);
console.log('| what | figure |');
console.log('|---|---|');
row('load → first animated timeline frame (median of 3, from navigation start)', `${median(loads).toFixed(0)} ms (${loads.map((x) => x.toFixed(0)).join(', ')})`);
const ok = edits.filter((e) => Number.isFinite(e.ms));
row(`edit → updated view, ${ok.length}/${edits.length} SQL practice queries (includes the ${debounce} ms debounce)`, `median ${median(ok.map((e) => e.ms)).toFixed(0)} ms, max ${Math.max(...ok.map((e) => e.ms)).toFixed(0)} ms`);
row('  of which re-plan (parse → plan → simulate, in wasm)', `median ${median(ok.map((e) => e.replanMs)).toFixed(1)} ms, max ${Math.max(...ok.map((e) => e.replanMs)).toFixed(1)} ms`);
row('  after the debounce (re-plan + render)', `median ${(median(ok.map((e) => e.ms)) - debounce).toFixed(0)} ms`);
row(`playback, ${tasks} tasks (re-plan ${big.replanMs.toFixed(0)} ms, edit → view ${big.ms.toFixed(0)} ms)`, `${playback.fps.toFixed(1)} frames/s (requestAnimationFrame), ${playback.redrawsPerSecond.toFixed(1)} timeline redraws/s, over ${playback.seconds.toFixed(1)} s`);
for (const e of edits.filter((e) => !Number.isFinite(e.ms))) console.log(`[measure] ${e.id}: no re-plan seen`);
console.log(JSON.stringify({ loads, edits, tasks, big, playback }));
