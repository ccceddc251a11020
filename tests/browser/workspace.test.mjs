// The shared workspace in Debian's headless Chromium, the way people use it: the first
// sign-up, importing a map (and a broken one), the structured editor, comments with an
// @mention, history, diff and restore, share links opened logged out and revoked, a second
// user invited as editor, and two people saving the same map (the second gets a conflict).
//
// On every page: no console errors, no request to anywhere but the server, no script from
// user text runs, every form control has a label, and the keyboard reaches every control.
//
// Run through workspace.sh, which starts `trailmap serve` on a fresh database and sets
// WORKSPACE_URL. Screenshots go to $BROWSER_OUT (default: a new temporary folder).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const base = process.env.WORKSPACE_URL;
const label = process.env.WORKSPACE_LABEL || 'workspace';
const outDir = process.env.BROWSER_OUT || mkdtempSync(join(tmpdir(), 'trailmap-ws-browser-'));
mkdirSync(outDir, { recursive: true });

const XSS = `<img src=x onerror="window.__pwned=1;alert(1)">`;
const admin = { name: 'Ada Admin', handle: 'ada', email: 'ada@example.test', password: 'correct horse battery' };
const editor = { name: `Bo ${XSS}`, handle: 'bo', email: 'bo@example.test', password: 'another long secret' };

let browser;
const state = {}; // what later tests need from earlier ones: map id, contexts, links

before(async () => {
  assert.ok(base && /^http:\/\/127\.0\.0\.1:\d+$/.test(base), 'set WORKSPACE_URL to a loopback trailmap serve');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  console.log(`screenshots in ${outDir}`);
});

after(async () => {
  await browser?.close();
});

/** A browser context (one person) whose every page is watched for problems. */
async function person(name) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const problems = [];
  const origin = new URL(base).origin;
  context.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin + '/') && !url.startsWith('data:') && url !== 'about:blank' && url !== 'about:srcdoc') {
      problems.push(`request to ${url}`);
    }
  });
  context.on('response', (res) => {
    // Pages may answer 4xx on purpose (conflict, refused link); their resources may not.
    if (res.request().resourceType() !== 'document' && res.status() >= 400) {
      problems.push(`${res.status()} for ${res.url()}`);
    }
  });
  const watch = (page) => {
    page.on('console', (msg) => {
      const text = msg.text();
      if (msg.type() !== 'error' && msg.type() !== 'warning') return;
      // Chromium reports a document answered with 4xx as a console error; the tests check
      // those statuses themselves, and resources are checked above.
      if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
      problems.push(`console ${msg.type()}: ${text}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err}`));
    page.on('dialog', async (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      await dialog.dismiss();
    });
  };
  context.on('page', watch);
  const page = await context.newPage();
  return { name, context, page, problems };
}

let shots = 0;
async function shot(page, what) {
  shots += 1;
  const file = join(outDir, `${label}-${String(shots).padStart(2, '0')}-${what}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Every visible form control has a name people (and screen readers) can read. */
function unlabelled() {
  const out = [];
  for (const el of document.querySelectorAll('input, select, textarea, button')) {
    if (el.type === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue; // inside a closed <details>
    const named =
      (el.labels && el.labels.length > 0) ||
      el.getAttribute('aria-label') ||
      el.getAttribute('aria-labelledby') ||
      (el.tagName === 'BUTTON' && el.textContent.trim() !== '');
    if (!named) out.push(`${el.tagName.toLowerCase()}[name=${el.name || '?'}]`);
  }
  return out;
}

/** Presses Tab until every visible control of `selector` has had the focus (or gives up). */
async function keyboardReaches(page, selector) {
  const wanted = await page.$$eval(`${selector} input:not([type=hidden]), ${selector} select, ${selector} textarea, ${selector} button`, (els) =>
    els
      .filter((el) => {
        const b = el.getBoundingClientRect();
        return b.width > 0 && b.height > 0 && !el.disabled;
      })
      .map((el, i) => {
        el.dataset.tabProbe = String(i);
        return String(i);
      }),
  );
  assert.ok(wanted.length > 0, `no controls in ${selector}`);
  await page.evaluate(() => document.activeElement?.blur());
  await page.evaluate(() => window.scrollTo(0, 0));
  const seen = new Set();
  for (let i = 0; i < 400 && seen.size < wanted.length; i++) {
    await page.keyboard.press('Tab');
    const probe = await page.evaluate(() => document.activeElement?.dataset?.tabProbe ?? null);
    if (probe !== null) seen.add(probe);
  }
  const missed = wanted.filter((w) => !seen.has(w));
  assert.deepEqual(missed, [], `keyboard focus never reached ${missed.length} control(s) of ${selector}`);
}

async function pageChecks(p, what) {
  assert.deepEqual(await p.page.evaluate(unlabelled), [], `${what}: every control has a label`);
  assert.equal(await p.page.evaluate(() => window.__pwned), undefined, `${what}: no injected script ran`);
}

function clean(p) {
  assert.deepEqual(p.problems, [], `${p.name}: no console errors, failed resources, dialogs or outside requests`);
}

async function go(page, path, status = 200) {
  const response = await page.goto(base + path);
  assert.equal(response.status(), status, `GET ${path}`);
  return response;
}

const mapFile = join(repo, 'examples', 'online-retail-purchase.yaml');
const mapText = readFileSync(mapFile, 'utf8');

test('the first person signs up and becomes the administrator', async () => {
  const ada = await person('ada');
  state.ada = ada;
  const { page } = ada;
  await page.goto(base + '/');
  assert.match(page.url(), /\/signup$/, 'an empty server sends people to sign-up');
  await pageChecks(ada, 'sign-up');
  await keyboardReaches(page, 'form[action="/signup"]');
  await page.getByLabel('Your name').fill(admin.name);
  await page.getByLabel('Handle').fill(admin.handle);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await shot(page, 'signup');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/w\/[a-z0-9-]+$/);
  state.workspace = new URL(page.url()).pathname;
  await assert.doesNotReject(page.getByRole('button', { name: 'Sign out' }).waitFor());
  const cookies = await ada.context.cookies();
  const session = cookies.find((c) => c.name.includes('session'));
  assert.ok(session, 'a session cookie');
  assert.equal(session.httpOnly, true, 'the session cookie is HttpOnly');
  assert.ok(['Lax', 'Strict'].includes(session.sameSite), 'the session cookie is SameSite');
  clean(ada);
});

test('a broken map is refused with its line and column', async () => {
  const { page } = state.ada;
  await go(page, `${state.workspace}/import`);
  await pageChecks(state.ada, 'import');
  await keyboardReaches(page, 'form[enctype="multipart/form-data"]');
  // Break the first `emotion: -1`; the checker must point at that line and the value's column.
  const lines = mapText.split('\n');
  const index = lines.findIndex((l) => /^\s*emotion: -1$/.test(l));
  assert.ok(index >= 0);
  lines[index] = lines[index].replace('-1', '9');
  const column = lines[index].indexOf('9') + 1;
  const broken = join(outDir, 'broken.yaml');
  writeFileSync(broken, lines.join('\n'));
  await page.getByLabel('A map file (.yaml)').setInputFiles(broken);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Check and import' }).click(),
  ]);
  assert.equal(response.status(), 422);
  await page.waitForLoadState();
  const text = await page.locator('#diagnostics').innerText();
  assert.ok(text.includes(`broken.yaml:${index + 1}:${column}`), `the error names broken.yaml:${index + 1}:${column}:\n${text}`);
  assert.match(text, /emotion/);
  await shot(page, 'import-broken');
  clean(state.ada);
});

test('a map is imported from a file and drawn', async () => {
  const { page } = state.ada;
  await go(page, `${state.workspace}/import`);
  await page.getByLabel('A map file (.yaml)').setInputFiles(mapFile);
  await page.getByLabel('Title').fill(`Retail ${XSS}`);
  await page.getByRole('button', { name: 'Check and import' }).click();
  await page.waitForURL(/\/m\/\d+$/);
  state.map = new URL(page.url()).pathname; // /m/ID
  await page.locator('h1', { hasText: `Retail ${XSS}` }).waitFor();
  const frame = page.frameLocator('iframe.map');
  await frame.locator('table.grid').first().waitFor();
  await pageChecks(state.ada, 'map page');
  await shot(page, 'map');
  // Listed on the dashboard, and found by search.
  await go(page, `${state.workspace}?q=Retail`);
  await page.getByRole('link', { name: `Retail ${XSS}` }).waitFor();
  clean(state.ada);
});

test('a second person is invited as an editor and signs up with the link', async () => {
  const { page } = state.ada;
  await go(page, `${state.workspace}/members`);
  await pageChecks(state.ada, 'members');
  await page.getByLabel('Email (optional)').fill(editor.email);
  await page.locator('#inv-role').selectOption('editor');
  await page.getByRole('button', { name: 'Make an invitation link' }).click();
  const link = (await page.locator('.secret').innerText()).trim();
  assert.match(link, /\/signup\?invite=/);
  await shot(page, 'invitation');

  const bo = await person('bo');
  state.bo = bo;
  await bo.page.goto(link.replace(/^https?:\/\/[^/]+/, base));
  await bo.page.getByText('as editor').waitFor();
  await bo.page.getByLabel('Your name').fill(editor.name);
  await bo.page.getByLabel('Handle').fill(editor.handle);
  await bo.page.getByLabel('Email').fill(editor.email);
  await bo.page.getByLabel('Password').fill(editor.password);
  await bo.page.getByRole('button', { name: 'Create account' }).click();
  await bo.page.waitForURL(/\/w\/[a-z0-9-]+$/);
  await bo.page.getByText('you: editor').waitFor();
  await go(page, `${state.workspace}/members`);
  await page.getByText(editor.name).first().waitFor(); // the payload shows as text
  await pageChecks(state.ada, 'members with Bo');
  clean(state.ada);
  clean(bo);
});

test('a step is edited in the structured editor and saved as version 2', async () => {
  const { page } = state.ada;
  await go(page, `${state.map}/structure`);
  await pageChecks(state.ada, 'structure');
  const stepLink = page.locator('ol.steps a').first();
  state.stepName = (await stepLink.innerText()).trim();
  await stepLink.click();
  await page.waitForURL(/\/structure\/step\//);
  state.stepPath = new URL(page.url()).pathname;
  await pageChecks(state.ada, 'step editor');
  await keyboardReaches(page, `form[action="${state.map}/edit"]`);
  await page.getByLabel('Does', { exact: true }).first().fill('Compares three offers side by side');
  await page.getByLabel('Emotion').selectOption('-2');
  await page.getByLabel('Pain point 1').fill(`Shipping costs appear late ${XSS}`);
  await page.getByLabel('What changed (optional)').fill('Sharper pain point');
  await shot(page, 'step-editor');
  await page.getByRole('button', { name: 'Check and save' }).click();
  await page.waitForURL((u) => u.pathname === state.stepPath);
  assert.equal(await page.getByLabel('Does', { exact: true }).first().inputValue(), 'Compares three offers side by side');
  assert.equal(await page.getByLabel('Emotion').inputValue(), '-2');
  await page.locator('h1 .badge.role', { hasText: 'version 2' }).waitFor();
  clean(state.ada);
});

test('a comment on a step mentions Bo, reaches Bo, and is resolved', async () => {
  const { page } = state.ada;
  await go(page, `${state.map}/comments`);
  await pageChecks(state.ada, 'discussion');
  const form = page.locator('form', { has: page.locator('#body-new') });
  await form.getByLabel('About').selectOption({ label: `Step: ${state.stepName}` });
  await form.getByLabel('Comment').fill(`@bo can support confirm this? ${XSS}`);
  await form.getByRole('button', { name: 'Comment' }).click();
  await page.waitForURL(/\/comments#comment-\d+$/);
  const comment = page.locator('article.comment').first();
  await comment.locator('a.mention', { hasText: '@bo' }).waitFor();
  assert.ok((await comment.innerText()).includes(XSS), 'the payload shows as text');
  assert.match(await comment.innerText(), new RegExp(`on Step: ${state.stepName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  await shot(page, 'comment');

  await go(state.bo.page, '/inbox');
  await state.bo.page.getByText('can support confirm this?').waitFor();
  await pageChecks(state.bo, 'inbox');

  await comment.getByRole('button', { name: 'Resolve' }).click();
  await page.waitForURL(/\/comments$/);
  assert.equal(await page.locator('article.comment').count(), 0, 'a resolved thread leaves the open list');
  await page.getByLabel('Include resolved threads').check();
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('article.comment.resolved').waitFor();
  await page.locator('article.comment.resolved').getByRole('button', { name: 'Reopen' }).waitFor();
  clean(state.ada);
  clean(state.bo);
});

test('history shows the versions, diffs two of them, and restores one', async () => {
  const { page } = state.ada;
  await go(page, `${state.map}/history`);
  await pageChecks(state.ada, 'history');
  await page.getByRole('cell', { name: 'Sharper pain point' }).waitFor();
  await page.getByRole('button', { name: 'Compare the two versions' }).click();
  await page.waitForURL((u) => u.pathname.endsWith('/diff') && u.searchParams.get('from') === '1' && u.searchParams.get('to') === '2');
  await page.getByRole('heading', { name: 'Version 1 → version 2' }).waitFor();
  const lines = await page.getByLabel('Line changes').innerText();
  assert.ok(lines.includes('+') && lines.includes('Compares three offers side by side'), 'the line diff shows the edit');
  await shot(page, 'diff');

  await go(page, `${state.map}/history`);
  const firstVersion = page.getByRole('row').filter({ has: page.getByRole('link', { name: '1', exact: true }) });
  await firstVersion.getByRole('button', { name: 'Restore' }).click();
  await page.waitForURL(/\/m\/\d+\?restored=3$/);
  await go(page, `${state.map}/history`);
  await page.getByText('(restored version 1)').waitFor();
  await go(page, state.stepPath);
  assert.notEqual(await page.getByLabel('Does', { exact: true }).first().inputValue(), 'Compares three offers side by side', 'the restored text is the old one');
  clean(state.ada);
});

test('a share link opens the map read-only for someone signed out, until it is revoked', async () => {
  const { page } = state.ada;
  await go(page, `${state.map}/share`);
  await pageChecks(state.ada, 'share');
  await page.getByLabel('The link works for').selectOption('1');
  await page.getByRole('button', { name: 'Make a share link' }).click();
  const link = (await page.locator('.secret').innerText()).trim();
  assert.match(link, /\/s\/[0-9a-zA-Z_-]+$/);
  const path = new URL(link).pathname;

  const guest = await person('guest');
  await go(guest.page, path);
  await guest.page.locator('h1', { hasText: `Retail ${XSS}` }).waitFor();
  await guest.page.frameLocator('iframe.map').locator('table.grid').first().waitFor();
  assert.equal(await guest.page.locator('form[method="post"]').count(), 0, 'nothing to submit on a shared map');
  assert.equal(await guest.page.locator('textarea, a[href$="/structure"], a[href$="/source"]').count(), 0, 'no editor');
  await shot(guest.page, 'shared');
  // The link opens this one map, not the workspace.
  const mapPage = await guest.page.goto(base + state.map);
  assert.match(guest.page.url(), /\/login/, `the map itself needs signing in (got ${mapPage.status()})`);

  await go(page, `${state.map}/share`);
  await page.getByRole('button', { name: 'Revoke' }).first().click();
  await page.getByRole('cell', { name: 'revoked' }).waitFor();
  await go(guest.page, path, 404);
  await guest.page.getByText(/expired or been revoked/).waitFor();
  await go(guest.page, path + '/render', 404);
  clean(guest);
  clean(state.ada);
  await guest.context.close();
});

test('two editors save the same map: the second gets a conflict, nothing is overwritten', async () => {
  const ada = state.ada.page;
  const bo = state.bo.page;
  await go(ada, state.stepPath);
  await go(bo, state.stepPath);
  await ada.getByLabel('Does', { exact: true }).first().fill('Ada was here first');
  await bo.getByLabel('Thinks').fill('Bo thinks differently');
  await ada.getByRole('button', { name: 'Check and save' }).click();
  await ada.waitForURL((u) => u.pathname === state.stepPath);
  const before = await ada.locator('h1 .badge.role').innerText();

  const [response] = await Promise.all([
    bo.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/edit')),
    bo.getByRole('button', { name: 'Check and save' }).click(),
  ]);
  assert.equal(response.status(), 409, 'the second save is refused');
  await bo.getByRole('heading', { name: 'Not saved: the map changed while you were editing' }).waitFor();
  await bo.getByText('Ada Admin').first().waitFor();
  await pageChecks(state.bo, 'conflict');
  await shot(bo, 'conflict');

  // Ada's version stands; Bo's change is not in it.
  await go(ada, state.stepPath);
  assert.equal(await ada.getByLabel('Does', { exact: true }).first().inputValue(), 'Ada was here first');
  assert.notEqual(await ada.getByLabel('Thinks').inputValue(), 'Bo thinks differently');
  assert.equal(await ada.locator('h1 .badge.role').innerText(), before, 'no version was added by the refused save');

  clean(state.ada);
  clean(state.bo);
});

// The reapply form carries only the fields Bo changed, so Ada's change stays.
test('reapplying the refused change keeps both edits', async () => {
  const bo = state.bo.page;
  await bo.getByRole('button', { name: /^Reapply my change on version \d+$/ }).click();
  await bo.waitForURL((u) => u.pathname === state.stepPath);
  assert.equal(await bo.getByLabel('Thinks').inputValue(), 'Bo thinks differently');
  assert.equal(await bo.getByLabel('Does', { exact: true }).first().inputValue(), 'Ada was here first');
  clean(state.ada);
  clean(state.bo);
});

test('signing out ends the session', async () => {
  const { page, context } = state.bo;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login$/);
  await page.goto(base + state.map);
  assert.match(page.url(), /\/login/);
  assert.ok(!(await context.cookies()).some((c) => c.name.includes('session') && c.value !== ''), 'the session cookie is gone');
  clean(state.bo);
  await context.close();
  await state.ada.context.close();
});
