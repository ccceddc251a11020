// Opens the real-paths pages of `trailmap discover -o paths.html` in Debian's headless Chromium:
// an event log with hostile activity names (by event), and demo data on the online retail map
// (by step, with the designed path). Checks what a person would notice: console errors, requests,
// script that should never run, boxes whose names overlap, and that the frequency control really
// changes the number of transitions drawn. Takes screenshots.
//
// Run through run.sh, with TRAILMAP_BIN set to the `trailmap` binary to test.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const bin = process.env.TRAILMAP_BIN;
const outDir = process.env.BROWSER_OUT || mkdtempSync(join(tmpdir(), 'trailmap-paths-'));
mkdirSync(outDir, { recursive: true });

let browser;

before(async () => {
  assert.ok(bin, 'set TRAILMAP_BIN to the trailmap binary');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  console.log(`screenshots in ${outDir}`);
});

after(async () => {
  await browser?.close();
});

function trailmap(args) {
  execFileSync(bin, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

const map = join(repo, 'examples', 'online-retail-purchase.yaml');

/** 400 demo customers of the online retail map, made once. */
function demoData() {
  const data = join(outDir, 'demo');
  if (!existsSync(join(data, 'events.parquet'))) {
    trailmap(['demo', 'generate', '--map', map, '--customers', '400', '-o', data]);
  }
  return data;
}

async function open(file) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const problems = { console: [], requests: [], dialogs: [] };
  const url = pathToFileURL(file).href;
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.console.push(msg.text());
  });
  page.on('pageerror', (err) => problems.console.push(String(err)));
  page.on('dialog', async (dialog) => {
    problems.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  page.on('request', (req) => {
    if (req.url() !== url) problems.requests.push(req.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

/** In the page: the names and figures of boxes in every visible graph never overlap another box's. */
function overlappingLabels() {
  const found = [];
  const visible = (el) => el.getBoundingClientRect().width > 0 && getComputedStyle(el).display !== 'none';
  for (const svg of [...document.querySelectorAll('.dfg-svg')].filter(visible)) {
    const boxes = [...svg.querySelectorAll('g.n')].map((g) => ({
      name: g.querySelector('title').textContent,
      rects: [...g.querySelectorAll('text')].map((t) => t.getBoundingClientRect()),
      box: g.querySelector('rect').getBoundingClientRect(),
    }));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = 0; j < boxes.length; j++) {
        if (i === j) continue;
        for (const r of boxes[i].rects) {
          const b = boxes[j].box;
          const w = Math.min(r.right, b.right) - Math.max(r.left, b.left);
          const h = Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top);
          if (w > 1 && h > 1) found.push(`label of ${boxes[i].name.slice(0, 30)} overlaps box ${boxes[j].name.slice(0, 30)}`);
        }
      }
      // A name stays inside its own box.
      for (const r of boxes[i].rects) {
        const b = boxes[i].box;
        if (r.left < b.left - 1 || r.right > b.right + 1) found.push(`label of ${boxes[i].name.slice(0, 30)} leaves its box`);
      }
    }
  }
  // Flow view: bar labels of one column never overlap.
  for (const svg of [...document.querySelectorAll('.sankey-svg')].filter(visible)) {
    const labels = [...svg.querySelectorAll('g.fnode text')].map((t) => t.getBoundingClientRect());
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        const [a, b] = [labels[i], labels[j]];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) found.push(`flow labels ${i} and ${j} overlap`);
      }
    }
  }
  return found;
}

/** The transitions drawn in the graph that is showing. */
function visibleEdges() {
  const shown = [...document.querySelectorAll('.dfg-svg')].filter((s) => s.getBoundingClientRect().width > 0);
  return shown.reduce((n, svg) => n + svg.querySelectorAll('g.e').length, 0);
}

async function checkPage(file, label) {
  const { page, problems } = await open(file);
  try {
    assert.deepEqual(problems.console, [], 'no console errors');
    assert.deepEqual(problems.requests, [], 'no network requests');
    assert.deepEqual(problems.dialogs, [], 'no script ran');
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no injected script ran');
    assert.ok((await page.title()).length > 0, 'has a title');
    assert.deepEqual(await page.evaluate(overlappingLabels), [], 'labels never overlap');

    // The frequency control: every level choice shows its own number of transitions.
    const levels = page.locator('section:has(#dfg-h) .seg label');
    const n = await levels.count();
    assert.ok(n >= 2, 'several filter levels');
    const counts = [];
    for (let i = 0; i < n; i++) {
      await levels.nth(i).click();
      counts.push(await page.evaluate(visibleEdges));
      assert.deepEqual(await page.evaluate(overlappingLabels), [], `labels never overlap at level ${i}`);
    }
    for (let i = 1; i < n; i++) assert.ok(counts[i] > counts[i - 1], `level ${i} draws more transitions: ${counts}`);
    const captions = await levels.evaluateAll((ls) => ls.map((l) => Number(l.querySelector('small').textContent.replace(/,/g, ''))));
    assert.deepEqual(counts, captions, 'each level draws as many transitions as its button says');
    await levels.nth(0).click();

    const shot = join(outDir, `${label}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000, 'screenshot written');
  } finally {
    await page.close();
  }
}

test('discover -o paths.html with hostile activity names renders cleanly', async () => {
  const file = join(outDir, 'paths-events.html');
  trailmap(['discover', '--events', join(here, 'fixtures', 'paths-events.csv'), '-o', file]);
  await checkPage(file, 'paths-events');
});

test('discover -o paths.html on a map draws the designed path', async () => {
  const data = demoData();
  const file = join(outDir, 'paths-map.html');
  trailmap(['discover', '--map', map, '--events', join(data, 'events.parquet'), '-o', file]);
  await checkPage(file, 'paths-map');
  const { page } = await open(file);
  try {
    const designed = await page.evaluate(() => document.querySelectorAll('.dfg-svg path[stroke-dasharray="7 5"]').length);
    assert.ok(designed > 0, 'the designed path is drawn');
    await page.locator('label', { hasText: 'By stage' }).click();
    const stageColumns = await page.evaluate(() =>
      [...document.querySelectorAll('.sankey-svg')].filter((s) => s.getBoundingClientRect().width > 0).length,
    );
    assert.equal(stageColumns, 1, 'the flow by stage shows alone');
  } finally {
    await page.close();
  }
});

test('conform -o conform.html renders cleanly, with a tab per persona', async () => {
  const data = demoData();
  const file = join(outDir, 'conform.html');
  trailmap(['conform', map, '--events', join(data, 'events.parquet'), '--customers', join(data, 'customers.parquet'), '-o', file]);
  const { page, problems } = await open(file);
  try {
    assert.deepEqual(problems.console, [], 'no console errors');
    assert.deepEqual(problems.requests, [], 'no network requests');
    assert.deepEqual(problems.dialogs, [], 'no script ran');
    const tabs = page.locator('section[aria-label="Conformance by persona"] > .pick > .seg label');
    const n = await tabs.count();
    assert.ok(n >= 2, 'everyone and at least one persona');
    for (let i = 0; i < n; i++) {
      await tabs.nth(i).click();
      const shown = await page.evaluate(() =>
        [...document.querySelectorAll('section[aria-label="Conformance by persona"] > .pick > .pane')].filter((p) => p.getBoundingClientRect().height > 0).length,
      );
      assert.equal(shown, 1, `tab ${i} shows one scope`);
      assert.ok((await page.evaluate(visibleEdges)) > 0, `tab ${i} draws its graph`);
      assert.deepEqual(await page.evaluate(overlappingLabels), [], `labels never overlap in tab ${i}`);
    }
    await tabs.nth(0).click();
    const shot = join(outDir, 'conform.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000, 'screenshot written');
  } finally {
    await page.close();
  }
});
