// How long a static copy's search page takes to answer, in headless Chromium from the file system: the time from
// opening `search.html?q=…` to the page being loaded with its results drawn (the script searches while the page
// loads), median of 5 runs per query after one warm-up. Run by bench/export.sh; needs `npm ci --prefix tests/browser`.
//
//   node bench/static-search.mjs SEARCH_PAGE QUERY...
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.resolve('tests/browser/package.json'));
const { chromium } = require('playwright-core');
const [searchPage, ...queries] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.INFORCE_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const page = await browser.newPage();
for (const query of queries) {
  const address = `file://${searchPage}?q=${encodeURIComponent(query)}`;
  const times = [];
  let summary = '';
  for (let run = 0; run < 6; run++) {
    const started = performance.now();
    await page.goto(address);
    summary = await page.locator('#results h2, #results .error').first().innerText();
    if (run > 0) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`  search ${JSON.stringify(query)}: ${times[2].toFixed(0)} ms (median of 5): ${summary}`);
}
await browser.close();
