// Opens every rendered example map (and a hostile fixture) in Debian's headless Chromium and
// checks what a person would notice: errors in the console, anything loaded from anywhere,
// lane texts that overlap each other or spill out of their cells. Takes a screenshot of each.
//
// Run through run.sh, with TRAILMAP_BIN set to the `trailmap` binary to test.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, basename, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const bin = process.env.TRAILMAP_BIN;
const outDir = process.env.BROWSER_OUT || mkdtempSync(join(tmpdir(), 'trailmap-browser-'));
mkdirSync(outDir, { recursive: true });

const maps = [
  ...readdirSync(join(repo, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(repo, 'examples', f)),
  join(here, 'fixtures', 'hostile.yaml'),
];

let browser;

before(async () => {
  assert.ok(bin, 'set TRAILMAP_BIN to the trailmap binary');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  console.log(`screenshots in ${outDir}`);
});

after(async () => {
  await browser?.close();
});

const evidence = join(repo, 'crates', 'trailmap-render', 'tests', 'fixtures', 'online-retail-purchase.result.json');

/** Renders `map` with the real binary and returns the page's path. */
function render(map, extra = [], label = extra.join('')) {
  const name = basename(map, '.yaml') + (extra.length ? '-' + label.replace(/[^a-z0-9]+/gi, '-') : '');
  const out = join(outDir, `${name}.html`);
  execFileSync(bin, ['render', map, '-o', out, ...extra], { stdio: ['ignore', 'inherit', 'inherit'] });
  return out;
}

/** Opens a page and collects console errors, page errors, dialogs and requests. */
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

/** In the page: every text in a map cell stays inside its cell, and no two texts overlap. */
function layoutProblems() {
  const found = [];
  const describe = (el) => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || '').trim().slice(0, 40)}"`;
  const hasText = (el) =>
    [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '');
  const table = document.querySelector('.screen-only table.grid');
  if (!table) return ['no map grid'];
  const cells = table.querySelectorAll('thead th, tbody td:not(.curve), tbody th[scope=row]');
  for (const cell of cells) {
    const box = cell.getBoundingClientRect();
    if (cell.scrollWidth > cell.clientWidth + 1) found.push(`cell overflows sideways: ${describe(cell)}`);
    const texts = [...cell.querySelectorAll('*')].filter((el) => hasText(el));
    const rects = texts.map((el) => [el, el.getBoundingClientRect()]);
    for (const [el, r] of rects) {
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        found.push(`text outside its cell: ${describe(el)}`);
      }
    }
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const [a, ra] = rects[i];
        const [b, rb] = rects[j];
        if (a.contains(b) || b.contains(a)) continue;
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (w > 1 && h > 1) found.push(`texts overlap: ${describe(a)} and ${describe(b)}`);
      }
    }
  }
  // Row-wide charts (the emotion curve, the reach lane) fill their row exactly.
  for (const chart of table.querySelectorAll('td.curve')) {
    const svg = chart.querySelector('svg').getBoundingClientRect();
    const box = chart.getBoundingClientRect();
    if (Math.abs(svg.width - box.width) > 2) found.push(`${chart.parentElement.className} chart is ${svg.width}px in a ${box.width}px row`);
  }
  return found;
}

for (const map of maps) {
  test(`${basename(map)} renders cleanly in Chromium`, async () => {
    const file = render(map);
    const { page, problems } = await open(file);
    try {
      assert.deepEqual(problems.console, [], 'no console errors');
      assert.deepEqual(problems.requests, [], 'no network requests');
      assert.deepEqual(problems.dialogs, [], 'no script ran');
      assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no injected script ran');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      assert.ok((await page.title()).length > 0, 'has a title');
      assert.deepEqual(await page.evaluate(layoutProblems), [], 'lane texts stay in their cells');
      const shot = file.replace(/\.html$/, '.png');
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 10_000, 'screenshot written');
    } finally {
      await page.close();
    }
  });
}

test('a persona and a lane choice render cleanly too', async () => {
  const map = join(repo, 'examples', 'online-retail-purchase.yaml');
  const file = render(map, ['--persona', 'frank', '--lanes', 'does,thinks,emotion,touchpoints,pain-points']);
  const { page, problems } = await open(file);
  try {
    assert.deepEqual(problems.console, []);
    assert.deepEqual(problems.requests, []);
    assert.deepEqual(await page.evaluate(layoutProblems), []);
    const lanes = await page.evaluate(() =>
      [...document.querySelectorAll('.screen-only tbody tr[class^=lane-]')].map((tr) => tr.className),
    );
    assert.deepEqual(lanes, ['lane-does', 'lane-thinks', 'lane-emotion', 'lane-touchpoints', 'lane-pain-points']);
  } finally {
    await page.close();
  }
});

const hostileEvidence = join(here, 'fixtures', 'hostile.result.json');

for (const [map, label, extra] of [
  ['online-retail-purchase.yaml', 'evidence', ['--evidence', evidence, '--today', '2027-06-01']],
  ['online-retail-purchase.yaml', 'evidence-mia', ['--evidence', evidence, '--persona', 'mia']],
  // Hostile texts from the data side: event names, file names, verbatims, outcome names.
  ['hostile.yaml', 'evidence', ['--evidence', hostileEvidence]],
]) {
  test(`${map} with ${label} renders cleanly`, async () => {
    const path = map === 'hostile.yaml' ? join(here, 'fixtures', map) : join(repo, 'examples', map);
    const file = render(path, extra, label);
    const { page, problems } = await open(file);
    try {
      assert.deepEqual(problems.console, [], 'no console errors');
      assert.deepEqual(problems.requests, [], 'no network requests');
      assert.deepEqual(problems.dialogs, [], 'no script ran');
      assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no injected script ran');
      assert.deepEqual(await page.evaluate(layoutProblems), [], 'lane texts stay in their cells');
      const lanes = await page.evaluate(() =>
        [...document.querySelectorAll('.screen-only tbody tr[class^=lane-]')].map((tr) => tr.className),
      );
      const expected = ['lane-emotion', 'lane-reach', 'lane-feedback', 'lane-outcomes'];
      if (map !== 'hostile.yaml') expected.push('lane-kpis');
      for (const lane of expected) {
        assert.ok(lanes.includes(lane), `${lane} drawn`);
      }
      const data = await page.evaluate(() => {
        const card = document.querySelector('.data-card');
        if (!card) return 'no data block';
        const box = card.getBoundingClientRect();
        const out = [...card.querySelectorAll('*')].filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
        });
        return out.map((el) => `${el.tagName} "${el.textContent.slice(0, 30)}" leaves the data block`);
      });
      assert.deepEqual(data, [], 'the data block holds its texts');
      const shot = file.replace(/\.html$/, '.png');
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 10_000, 'screenshot written');
    } finally {
      await page.close();
    }
  });
}
