// A static export whose register strings and texts carry what ends or opens something in a script, opened in
// real headless Chromium: nothing they carry may run.
//
//   node tests/browser/hostile.mjs EXPORT_DIR CODE QUERY
//
// Every payload the test writes into the register sets `window.__pwned` (or opens a dialog) when it runs. The
// runner opens every HTML page of the code in the export, and the copy's search page with QUERY (so the texts are
// drawn as results), from the file system and through a plain file server; any page where a payload ran, a
// dialog opened or a script error was thrown fails. It prints every failure and exits 1 if there is any.

import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveCopy } from './copy-server.mjs';

const [exported, code, query] = process.argv.slice(2);
if (!exported || !code || !query) {
  console.error('usage: node hostile.mjs EXPORT_DIR CODE QUERY');
  process.exit(2);
}
const CHROMIUM = process.env.INFORCE_CHROMIUM || '/usr/bin/chromium';
const failures = [];

function htmlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return htmlFiles(full);
    return name.endsWith('.html') ? [full] : [];
  });
}

const { server, served } = await serveCopy(exported);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const page = await (await browser.newContext()).newPage();
let current = '';
page.on('dialog', async (dialog) => {
  failures.push(`${current}: a dialog opened (${dialog.message()})`);
  await dialog.dismiss();
});
page.on('pageerror', (error) => failures.push(`${current}: a script error: ${error.message}`));

const root = path.join(exported, 'codes', code);
const pages = htmlFiles(root).map((file) => path.relative(exported, file));
const searchPage = `codes/${code}/search.html?q=${encodeURIComponent(query)}`;
let results = 0;
for (const [origin, relative] of [
  ...pages.map((p) => [served, p]),
  [served, searchPage],
  [`file://${exported}`, searchPage],
]) {
  current = `${origin === served ? 'served' : 'file'} ${relative}`;
  await page.goto(`${origin}/${relative}`);
  await page.waitForLoadState('load');
  const ran = await page.evaluate(() => window.__pwned);
  if (ran !== undefined) failures.push(`${current}: a payload ran (${JSON.stringify(ran)})`);
  if (relative === searchPage) {
    // The texts must come through as text: found, drawn, and not run.
    const found = await page.locator('#results section.hit').count();
    if (found === 0) failures.push(`${current}: the search for ${query} found nothing: the payloads were not drawn`);
    results += found;
  }
}
await browser.close();
server.close();

for (const failure of failures) console.log(`FAIL ${failure}`);
console.log(`hostile export: ${pages.length} pages and the search page (${results} results) opened; ${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
