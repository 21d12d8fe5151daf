// Browser tests for `inforce serve`, in real headless Chromium (Debian's `chromium`, driven by playwright-core).
//
//   node tests/browser/run.mjs BASE_URL ARTEFACT_DIR [EXPORT_DIR]
//
// BASE_URL is a running server whose database holds the built-in SEC register (today = 2015-02-01) and the
// small `demo` code that crates/cli/tests/browser.rs imports. EXPORT_DIR, when given, is `inforce export-site`
// of the same database on the same day: its search page, opened from the file system, must find what the
// server's search finds. The runner walks the journeys a reader takes (home
// to a provision, a comparison with its insertions and deletions, the pages by keyboard alone), runs the axe-core
// accessibility checker (WCAG 2.0, 2.1 and 2.2, levels A and AA) on every page type, and saves a full-page
// screenshot of each page type in ARTEFACT_DIR. It prints every failure and exits 1 if there is any.

import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveCopy } from './copy-server.mjs';

const require = createRequire(import.meta.url);
const [base, artefacts, exported] = process.argv.slice(2);
if (!base || !artefacts) {
  console.error('usage: node run.mjs BASE_URL ARTEFACT_DIR');
  process.exit(2);
}
mkdirSync(artefacts, { recursive: true });

const CHROMIUM = process.env.INFORCE_CHROMIUM || '/usr/bin/chromium';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
// The page is served with a strict Content-Security-Policy (no scripts at all), so axe is evaluated through the
// DevTools protocol rather than added as a <script> element, which the policy would rightly refuse.
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Every page type, with the status it must answer. */
const PAGES = [
  { name: 'home', path: '/' },
  { name: 'versions', path: '/versions' },
  { name: 'version', path: '/versions/4.1' },
  { name: 'at', path: '/at/2015-01-20' },
  { name: 'provision', path: '/provisions/H15' },
  { name: 'contents', path: '/contents?at=2015-01-20' },
  { name: 'section', path: '/provisions/H?at=2015-02-01' },
  { name: 'blame', path: '/provisions/H15/blame' },
  { name: 'compare', path: '/compare/4.0...4.1' },
  { name: 'consultations', path: '/consultations' },
  { name: 'consultation', path: '/consultations/SEC2' },
  { name: 'variations', path: '/variations' },
  { name: 'proposals', path: '/proposals?stage=rejected' },
  { name: 'proposal', path: '/proposals/MP084' },
  { name: 'provision-pending', path: '/provisions/C3?at=2020-01-01' },
  { name: 'not-found', path: '/no/such/page', status: 404 },
  { name: 'demo-home', path: '/codes/demo/' },
  { name: 'demo-provision', path: '/codes/demo/provisions/1?version=v2' },
  { name: 'demo-blame', path: '/codes/demo/provisions/1/blame' },
  { name: 'demo-contents', path: '/codes/demo/contents?version=v2' },
  { name: 'demo-removed', path: '/codes/demo/provisions/2?version=v2' },
  { name: 'demo-compare', path: '/codes/demo/compare/v1...v2' },
  { name: 'demo-search', path: '/codes/demo/search?q=payment&all_versions=1' },
];

const failures = [];
const started = Date.now();

function fail(where, message) {
  failures.push(`${where}: ${message}`);
}

function check(condition, where, message) {
  if (!condition) fail(where, message);
  return condition;
}

/** Runs one named step; an exception is a failure of that step and the others still run. */
async function step(name, body) {
  const t0 = Date.now();
  try {
    await body();
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (error) {
    fail(name, error && error.stack ? error.stack.split('\n').slice(0, 4).join('\n      ') : String(error));
    console.log(`FAIL ${name}`);
  }
}

const url = (p) => new URL(p, base).toString();
const pathOf = (page) => {
  const u = new URL(page.url());
  return u.pathname + u.search + u.hash;
};

/** Fails on anything the page logs as an error (a refused stylesheet, a CSP violation, a failed load). */
function watchConsole(page, where) {
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 404/.test(m.text())) fail(where(), `console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => fail(where(), `page error: ${e.message}`));
}

async function axe(page, where) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  for (const v of result.violations) {
    for (const node of v.nodes) {
      fail(where, `axe ${v.id} (${v.impact}) at ${node.target.join(' ')}: ${v.help}. ${node.failureSummary.replace(/\s+/g, ' ')}`);
    }
  }
  return result.violations.length;
}

/** What has the keyboard focus: its tag, text, href, and whether a focus indicator is drawn around it. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', text: '', indicator: false, visible: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const shadow = style.boxShadow && style.boxShadow !== 'none';
    // The calendar button inside a date field has the focus but the field itself does not match :focus; Chromium
    // draws its own ring round that button, which the page's styles cannot see.
    const calendar = el.type === 'date' && !el.matches(':focus');
    const box = el.getBoundingClientRect();
    const visible =
      box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth;
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      text: (el.innerText || el.value || '').trim(),
      href: el.getAttribute('href'),
      indicator: outline || shadow || calendar,
      visible,
    };
  });
}

/**
 * From the top of the page, Tab through the first `limit` stops: each focused element must show a focus indicator
 * and be scrolled into view, and the stops must not be stuck on one element.
 */
async function tabWalk(page, where, limit = 30) {
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  let last = null;
  let repeats = 0;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.tag === 'body') break; // past the last stop
    const key = `${f.tag}#${f.id} ${f.text} ${f.href}`;
    // A date field takes a press for each of its parts and its calendar button; more means Tab is stuck.
    repeats = key === last ? repeats + 1 : 0;
    if (repeats > 3) {
      fail(where, `Tab did not move on from ${key}`);
      break;
    }
    last = key;
    checkIndicator(f, `${where} (Tab stop ${i + 1})`);
  }
}

/** Presses Tab until the focused element matches, at most `limit` times; returns it or throws. */
async function tabTo(page, matches, what, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (matches(f)) return f;
  }
  throw new Error(`${limit} presses of Tab never reached ${what} (on ${pathOf(page)})`);
}

/**
 * The order of a date field's segments in this browser's locale: found by typing 9 into the first segment of the
 * focused field and seeing which part of its value changed.
 */
async function dateOrder(page) {
  const before = (await page.evaluate(() => document.activeElement.value)).split('-');
  await page.keyboard.type('9');
  const after = (await page.evaluate(() => document.activeElement.value)).split('-');
  if (after[1] === '09' && before[1] !== '09') return 'mdy';
  if (after[2] === '09' && before[2] !== '09') return 'dmy';
  return 'ymd';
}

function checkIndicator(f, where) {
  check(f.indicator, where, `the focused ${f.tag} "${f.text}" has no visible focus indicator (outline or shadow)`);
  check(f.visible, where, `the focused ${f.tag} "${f.text}" is not in view`);
}

async function waitForPath(page, expected, where) {
  try {
    await page.waitForURL((u) => (u.pathname + u.search + u.hash).startsWith(expected), { timeout: 5000 });
  } catch {
    fail(where, `expected to arrive at ${expected}, but the address is ${pathOf(page)}`);
  }
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--font-render-hinting=none'],
});
const VIEWPORT = { width: 1280, height: 800 };
const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
let current = 'setup';
const page = await context.newPage();
watchConsole(page, () => current);

try {
  // Every page type: it answers with its status, has a title, one h1 and a language, passes axe, and is kept
  // as a full-page screenshot.
  for (const p of PAGES) {
    current = `${p.name} ${p.path}`;
    await step(`page ${p.name} (${p.path})`, async () => {
      const response = await page.goto(url(p.path));
      check(response.status() === (p.status ?? 200), current, `status ${response.status()}, expected ${p.status ?? 200}`);
      const title = await page.title();
      check(title.trim().length > 0, current, 'the page has no title');
      check((await page.locator('h1').count()) === 1, current, 'the page should have exactly one h1');
      check((await page.getAttribute('html', 'lang')) === 'en', current, 'the page does not declare its language');
      const styled = await page.evaluate(() => getComputedStyle(document.body).maxWidth);
      check(styled !== 'none', current, 'the stylesheet did not apply');
      await axe(page, current);
      await page.screenshot({ path: path.join(artefacts, `${p.name}.png`), fullPage: true });
      await tabWalk(page, current);
      // WCAG 1.4.10 Reflow: at 320 CSS pixels wide nothing but a table's own scroll area scrolls sideways.
      await page.setViewportSize({ width: 320, height: 640 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      check(overflow <= 0, current, `at 320 px wide the page scrolls sideways by ${overflow} px`);
      await page.screenshot({ path: path.join(artefacts, `${p.name}-narrow.png`), fullPage: true });
      await page.setViewportSize(VIEWPORT);
    });
  }

  // Journey 1: from the home page to a provision, by clicking.
  current = 'journey: home to a provision';
  await step(current, async () => {
    await page.goto(url('/'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'In force today' }).click();
    await waitForPath(page, '/at/2015-02-01', current);
    await page.getByRole('link', { name: 'H15', exact: true }).click();
    // The link names the first day of the stretch on which H15's page reads the same: SEC 4.1's, 26 January 2015.
    await waitForPath(page, '/provisions/H15?at=2015-01-26', current);
    const h1 = await page.locator('h1').innerText();
    check(h1.startsWith('H15 DCC Gateway Connections'), current, `the provision page's heading is "${h1}"`);
    const status = await page.locator('main').innerText();
    check(/in force/.test(status), current, 'H15 should be shown in force on 1 February 2015');
    // On to the version that switched it on, and the comparison with the one before.
    await page.getByRole('link', { name: /version 4\.1/i }).first().click();
    await waitForPath(page, '/versions/4.1', current);
    await page.getByRole('link', { name: 'Compare with version 4.0' }).click();
    await waitForPath(page, '/compare/4.0...4.1', current);
    const compare = await page.locator('main').innerText();
    check(compare.includes('inactive → in force'), current, 'the comparison should show H15 going from inactive to in force');
  });

  // Journey 2: a comparison of two versions with texts shows the words inserted and deleted.
  current = 'journey: comparison with insertions and deletions';
  await step(current, async () => {
    await page.goto(url('/codes/demo/versions/v2'));
    await page.getByRole('link', { name: 'Compare with version v1' }).click();
    await waitForPath(page, '/codes/demo/compare/v1...v2', current);
    const article = page.locator('section#p-1');
    const words = (texts) => texts.flatMap((t) => t.split(/[^\p{L}\p{N}]+/u)).filter(Boolean);
    const inserted = words(await article.locator('ins').allInnerTexts());
    const deleted = words(await article.locator('del').allInnerTexts());
    for (const word of ['bad', 'void', 'creditor', 'receipt']) {
      check(inserted.includes(word), current, `"${word}" should be shown inserted in Article 1; inserted words: ${inserted.join(' ')}`);
    }
    for (const word of ['good', 'valid']) {
      check(deleted.includes(word), current, `"${word}" should be shown deleted in Article 1; deleted words: ${deleted.join(' ')}`);
    }
    for (const word of ['payment', 'faith']) {
      check(![...inserted, ...deleted].includes(word), current, `"${word}" did not change and should not be marked`);
    }
    const text = (await article.locator('.text').innerText()).replace(/\s+/g, ' ');
    check(text.includes('A payment made in'), current, `the unchanged words are shown: ${text}`);
    // Insertions and deletions are told apart by more than colour: struck through and underlined.
    const lines = await page.evaluate(() => [
      getComputedStyle(document.querySelector('#p-1 del')).textDecorationLine,
      getComputedStyle(document.querySelector('#p-1 ins')).textDecorationLine,
    ]);
    check(lines[0].includes('line-through'), current, `deletions are not struck through (${lines[0]})`);
    check(lines[1].includes('underline'), current, `insertions are not underlined (${lines[1]})`);
    const removed = (await page.locator('section#p-2 del').allInnerTexts()).join(' ');
    check(removed.includes('A debtor may pay early.'), current, `Article 2, removed, is shown deleted: ${removed}`);
    const added = (await page.locator('section#p-3 ins').allInnerTexts()).join(' ');
    check(added.includes('Interest runs from the day of the demand.'), current, `Article 3, added, is shown inserted: ${added}`);
    // The header's name of the code leads to that code's home page.
    await page.getByRole('banner').getByRole('link', { name: 'Demo code' }).click();
    await waitForPath(page, '/codes/demo/', current);
    check((await page.locator('h1').innerText()) === 'Demo code', current, "the code's home page has its title");
    // And the provision itself shows its text.
    await page.goto(url('/codes/demo/provisions/1?version=v2'));
    const shown = await page.locator('main .prose').innerText();
    check(shown.includes('A payment made in bad faith is void.'), current, `the provision shows its text: ${shown}`);
  });

  // Journey 3: the keyboard alone, from the home page to a change in a comparison, and the date picker.
  current = 'journey: keyboard only';
  await step(current, async () => {
    await page.goto(url('/'));
    await page.keyboard.press('Tab');
    let f = await focused(page);
    check(f.text === 'Skip to the main content', current, `the first Tab should reach the skip link, reached ${f.tag} "${f.text}"`);
    checkIndicator(f, `${current} (skip link)`);
    await page.screenshot({ path: path.join(artefacts, 'keyboard-skip-link.png') });
    await page.keyboard.press('Enter');
    await waitForPath(page, '/#main', current);
    f = await focused(page);
    check(f.id === 'main', current, `Enter on the skip link should move the focus to the main content, it is on ${f.tag} "${f.text}"`);
    await page.keyboard.press('Tab');
    f = await focused(page);
    const inMain = await page.evaluate(() => document.querySelector('main').contains(document.activeElement));
    check(inMain, current, `after skipping, Tab should stay in the main content; it reached ${f.tag} "${f.text}"`);

    // The main navigation, from the top of the page.
    await page.goto(url('/'));
    f = await tabTo(page, (x) => x.text === 'Versions' && x.href?.endsWith('/versions'), 'the Versions link');
    checkIndicator(f, `${current} (navigation)`);
    await page.screenshot({ path: path.join(artefacts, 'keyboard-nav-focus.png') });
    await page.keyboard.press('Enter');
    await waitForPath(page, '/versions', current);

    f = await tabTo(page, (x) => x.text === '4.1' && x.href === '/versions/4.1', 'version 4.1 in the table');
    checkIndicator(f, `${current} (table link)`);
    await page.keyboard.press('Enter');
    await waitForPath(page, '/versions/4.1', current);

    f = await tabTo(page, (x) => x.text === 'Compare with version 4.0', 'the comparison link');
    checkIndicator(f, `${current} (comparison link)`);
    await page.keyboard.press('Enter');
    await waitForPath(page, '/compare/4.0...4.1', current);

    f = await tabTo(page, (x) => x.text === 'H15' && x.href === '#p-H15', 'H15 in the list of changed provisions');
    await page.keyboard.press('Enter');
    await waitForPath(page, '/compare/4.0...4.1#p-H15', current);
    const inView = await page.evaluate(() => {
      const box = document.getElementById('p-H15').getBoundingClientRect();
      return box.top >= 0 && box.top < innerHeight;
    });
    check(inView, current, 'Enter on a changed provision should bring its section into view');

    // The date picker on the home page: focus it, type a date, press Enter.
    await page.goto(url('/'));
    f = await tabTo(page, (x) => x.tag === 'input', 'the date field');
    checkIndicator(f, `${current} (date field)`);
    const order = await dateOrder(page);
    await page.reload();
    await tabTo(page, (x) => x.tag === 'input', 'the date field');
    await page.keyboard.type({ mdy: '03202015', dmy: '20032015', ymd: '20150320' }[order]);
    await page.keyboard.press('Enter');
    await waitForPath(page, '/at/2015-03-20', current);
    const h1 = await page.locator('h1').innerText();
    check(h1.includes('20 March 2015'), current, `the picked date's page should say so, its heading is "${h1}"`);

    // The skip link on a page type with a long table.
    await page.goto(url('/at/2015-01-20'));
    await page.keyboard.press('Tab');
    f = await focused(page);
    check(f.text === 'Skip to the main content', current, `the skip link is first on /at too, reached "${f.text}"`);
  });

  if (exported) await staticCopy();
} finally {
  await browser.close();
}

/**
 * The static copy's search page, from the file system: for every query, the provisions it lists (over all its
 * pages) are the ones the server's search finds today, matches in a heading first, and a malformed query gets the
 * server's own message. Then the page passes axe and reflows, and a search from the copy's home page leads to a
 * result's page.
 */
async function staticCopy() {
  const QUERIES = {
    sec: [
      'security', 'smart', '"smart metering"', 'heading:smart', 'communication*', 'dcc OR gateway',
      'smart -security', '(data OR dcc) AND NOT section', 'SECURITY', 'SeC*',
      '"unclosed', 'a*', 'AND smart', '()', '-smart', 'smart)', 'heading:', '""', '***',
    ],
    demo: [
      'payment', 'PAYMENT', '"bad faith"', 'heading:article', 'pay*', 'receipt OR interest', 'NOT payment article',
      'οδος', 'ΟΔΟΣ', 'straße', 'STRASSE', 'k', 'kelvin', 'ſtate', 'state', 'creditor -receipt', '"faith is"',
      '\ufeff', 'payment\u3000faith', 'pay\u0085ment',
    ],
  };
  const copyPage = (code, query, n) =>
    `file://${exported}/${code === 'sec' ? '' : `codes/${code}/`}search.html?q=${encodeURIComponent(query)}&page=${n}`;
  let found = 0;
  for (const [code, queries] of Object.entries(QUERIES)) {
    for (const query of queries) {
      current = `static copy search ${code} ${query}`;
      await step(current, async () => {
        const response = await fetch(url(`/api/v1/${code}/search?q=${encodeURIComponent(query)}&per_page=100`));
        const answer = await response.json();
        await page.goto(copyPage(code, query, 1));
        if (response.status !== 200) {
          const shown = await page.locator('#results .error').innerText();
          check(shown === answer.detail, current, `the copy says "${shown}", the server "${answer.detail}"`);
          return;
        }
        check(answer.pages === 1, current, `the server's answer needs more than one page (${answer.total} results)`);
        const ids = [];
        for (let n = 1; ; n++) {
          if (n > 1) await page.goto(copyPage(code, query, n));
          ids.push(...(await page.locator('#results section.hit h3 a').allInnerTexts()));
          if ((await page.locator('#results a[rel=next]').count()) === 0) break;
        }
        const summary = await page.locator('#results h2').innerText();
        check(summary.startsWith(`${answer.total} `), current, `the copy says "${summary}", the server found ${answer.total}`);
        const expected = answer.results.map((r) => r.provision);
        check(
          JSON.stringify([...ids].sort()) === JSON.stringify([...expected].sort()),
          current,
          `the copy finds [${ids.join(', ')}], the server [${expected.join(', ')}]`,
        );
        const headings = answer.results.filter((r) => r.heading_match).map((r) => r.provision).sort();
        check(
          JSON.stringify(ids.slice(0, headings.length).sort()) === JSON.stringify(headings),
          current,
          `heading matches [${headings.join(', ')}] should come first: [${ids.join(', ')}]`,
        );
        found += ids.length;
      });
    }
  }
  check(found > 40, 'static copy search', `the queries found only ${found} provisions in all: too few to compare`);

  // White space alone (Unicode's: NEL is, a byte order mark is not) asks nothing, as on the server's search page.
  for (const blank of ['\u0085', ' \u3000\t']) {
    current = `static copy search of white space ${JSON.stringify(blank)}`;
    await step(current, async () => {
      await page.goto(copyPage('demo', blank, 1));
      const shown = await page.locator('#results').innerText();
      check(shown.trim() === '', current, `nothing is asked, but the page says "${shown}"`);
    });
  }

  // The copy as a plain file server with no rules serves it (from file://, axe cannot read the stylesheet).
  const { server, served } = await serveCopy(exported);

  current = 'static copy: the search page';
  await step(current, async () => {
    await page.goto(`${served}/codes/demo/search.html?q=${encodeURIComponent('payment OR article')}`);
    check((await page.locator('h1').count()) === 1, current, 'the page should have exactly one h1');
    check((await page.locator('#results mark').count()) > 0, current, 'the matched words are marked');
    await axe(page, current);
    await page.screenshot({ path: path.join(artefacts, 'static-search.png'), fullPage: true });
    await tabWalk(page, current);
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    check(overflow <= 0, current, `at 320 px wide the page scrolls sideways by ${overflow} px`);
    await page.screenshot({ path: path.join(artefacts, 'static-search-narrow.png'), fullPage: true });
    await page.setViewportSize(VIEWPORT);
  });

  current = 'static copy: from the home page to a result';
  await step(current, async () => {
    await page.goto(`${served}/codes/demo/index.html`);
    await page.locator('#home-q').fill('receipt');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname.endsWith('/codes/demo/search.html') && u.search === '?q=receipt', {
      timeout: 5000,
    });
    await page.locator('#results section.hit h3 a').first().click();
    await page.waitForURL((u) => u.pathname.includes('/codes/demo/provisions/1/'), { timeout: 5000 });
    const h1 = await page.locator('h1').innerText();
    check(h1.startsWith('1'), current, `the result's page is Article 1's, its heading is "${h1}"`);
    const shown = await page.locator('main .prose').innerText();
    check(shown.includes('The creditor must give a receipt.'), current, `the result's page shows its text: ${shown}`);
  });
  server.close();
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length) {
  console.error(`\n${failures.length} browser test failure(s):`);
  for (const f of failures) console.error(`  - ${f}`);
  console.error(`(screenshots in ${artefacts}; ${seconds} s)`);
  process.exit(1);
}
console.log(`\nbrowser tests: ${PAGES.length} page types checked with axe (${AXE_TAGS.join(', ')}), 3 journeys${exported ? ', the static copy\'s search' : ''}; screenshots in ${artefacts}; ${seconds} s`);
