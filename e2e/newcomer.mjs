// Browser end-to-end checks for Hearth, driven through headless Chromium with
// playwright-core. Run by e2e/newcomer_test.go; can also be run by hand
// against a running server:
//
//   node e2e/newcomer.mjs http://127.0.0.1:8080 /tmp/hearth-shots [newcomer|pages|all]
//
//   newcomer  a newcomer's path: home → search → filter → group → sign up →
//             recovery code → join → Spanish → /help   (steps a–i)
//   pages     axe-core (WCAG 2.0/2.1/2.2 A+AA) on home, results and a group
//             page at phone and desktop widths, and each page's HTML < 100 KB
//             (step j)
//   all       both (default)
//
// Every step prints one line and leaves a full-page PNG in OUT_DIR. On the
// first failed assertion it prints FAIL with the reason, saves
// failure-<step>.png and failure-<step>.html in OUT_DIR and exits 1.
// Environment: HEARTH_CHROMIUM (default /usr/bin/chromium).

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { check, run } from './walk.mjs';

const require = createRequire(import.meta.url);

const MODES = ['newcomer', 'pages', 'all'];
const [baseArg, outArg, mode = 'all'] = process.argv.slice(2);
if (!baseArg || !outArg || !MODES.includes(mode)) {
  console.error('usage: node e2e/newcomer.mjs BASE_URL OUT_DIR [newcomer|pages|all]');
  process.exit(2);
}
const BASE = new URL(baseArg).origin;
const OUT = path.resolve(outArg);
const CHROMIUM = process.env.HEARTH_CHROMIUM || '/usr/bin/chromium';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const MAX_HTML_BYTES = 100 * 1024;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SEARCH = { q: 'grief', place: 'Austin' };
const FORMATS = ['online', 'in_person', 'phone', 'hybrid'];
const PSEUDONYM = 'River';

// ------------------------------------------------------------------ helpers

const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
const url = (p) => new URL(p, BASE);

// What is running now, so a failure can be reported and captured.
const current = { page: null, id: 'startup', title: 'starting the browser' };

// Requests that leave the origin, or same-origin sub-resources that fail:
// collected per context and turned into a failure at the end of each step.
async function guard(context) {
  const problems = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.origin === BASE || u.protocol === 'data:' || u.protocol === 'blob:') return route.continue();
    problems.push(`the page tried to load ${u.href} from another origin (blocked; pages must be self-contained)`);
    return route.abort('blockedbyclient');
  });
  context.on('response', (r) => {
    const req = r.request();
    if (req.isNavigationRequest() || r.status() < 400) return;
    if (new URL(r.url()).pathname === '/favicon.ico') return;
    problems.push(`sub-resource ${r.url()} answered HTTP ${r.status()}`);
  });
  return problems;
}

function makeStepper(prefix, problems) {
  let n = 0;
  return async function step(page, id, title, fn) {
    Object.assign(current, { page, id, title });
    const started = Date.now();
    let detail = await fn();
    check(problems.length === 0, problems.splice(0).join('; '));
    let verdict = 'ok  ';
    if (detail && typeof detail === 'object') {
      verdict = detail.failed ? 'FAIL' : verdict;
      detail = detail.detail;
    }
    const shot = `${prefix}${String(++n).padStart(2, '0')}-${id}.png`;
    await page.screenshot({ path: path.join(OUT, shot), fullPage: true });
    const ms = Date.now() - started;
    console.log(`${verdict} ${title}${detail ? ` — ${detail}` : ''}  [${shot}, ${ms} ms]`);
  };
}

async function count(page, selector) {
  return page.locator(selector).count();
}
async function one(page, selector, what) {
  const n = await count(page, selector);
  check(n === 1, `expected exactly one ${what} (${selector}) on ${page.url()}, found ${n}`);
  return page.locator(selector);
}
async function text(locator) {
  return norm(await locator.first().textContent());
}

async function open(page, p) {
  const resp = await page.goto(url(p).href, { waitUntil: 'load' });
  check(resp, `GET ${p} gave no response`);
  check(resp.status() === 200, `GET ${p} answered HTTP ${resp.status()}, want 200`);
  return resp;
}

// Click something that loads a new page; returns the final response (after redirects).
async function clickAndWait(page, locator, what) {
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  check(resp, `clicking ${what} did not load a page`);
  check(resp.status() < 400, `clicking ${what} led to HTTP ${resp.status()} at ${resp.url()}`);
  return resp;
}

function pathOf(href) {
  return url(href).pathname;
}

async function groupPolicy(page) {
  return page.evaluate(
    () =>
      document.querySelector('article#group[data-policy]')?.getAttribute('data-policy') ??
      document.querySelector('main[data-policy]')?.getAttribute('data-policy') ??
      null,
  );
}

const cardLink = (card) => card.locator('h2 a[href^="/groups/"]').first();

// ------------------------------------------------------------------ newcomer

async function newcomer(browser) {
  const context = await browser.newContext({ viewport: PHONE, locale: 'en-US', serviceWorkers: 'block' });
  const problems = await guard(context);
  const step = makeStepper('', problems);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(20_000);

  let helpTextEn = '';
  let groupPath = '';
  let groupName = '';

  await step(page, 'home', 'a. home page has one h1, skip link, main#main, Get-help link and search form', async () => {
    await open(page, '/');
    await one(page, 'h1', '<h1>');
    await one(page, 'a.skip-link[href="#main"]', 'skip link');
    await one(page, 'main#main', '<main id="main">');
    const help = await one(page, 'header a#get-help[href="/help"]', '"Get help now" link in the <header>');
    helpTextEn = await text(help);
    check(helpTextEn, 'the "Get help now" link a#get-help has no text');
    await one(page, 'form#search[role="search"][action="/groups"][method="get" i]', 'search form');
    await one(page, 'form#search input#q[name="q"]', 'topic field');
    await one(page, 'form#search input#place[name="place"]', 'place field');
    await one(page, 'form#search button#search-submit', 'search button');
    await page.keyboard.press('Tab');
    const skipFirst = await page.evaluate(() => document.activeElement?.matches('a.skip-link') ?? false);
    check(skipFirst, 'the skip link a.skip-link is not the first element reached with Tab');
    await page.evaluate(() => document.activeElement?.blur());
    return `get-help text "${helpTextEn}"`;
  });

  await step(page, 'results', `b. searching "${SEARCH.q}" near "${SEARCH.place}" lists group cards`, async () => {
    await page.locator('form#search input#q').fill(SEARCH.q);
    await page.locator('form#search input#place').fill(SEARCH.place);
    await clickAndWait(page, page.locator('form#search button#search-submit'), 'the search button');
    const u = new URL(page.url());
    check(u.pathname === '/groups', `search landed on ${u.pathname}, want /groups`);
    check(u.searchParams.get('q') === SEARCH.q, `search URL ${u.search} lost q=${SEARCH.q}`);
    check(u.searchParams.get('place') === SEARCH.place, `search URL ${u.search} lost place=${SEARCH.place}`);
    const cards = page.locator('article.group-card');
    const n = await cards.count();
    check(n >= 1, `no article.group-card results for ${u.search}`);
    for (let i = 0; i < n; i++) {
      const links = await cards.nth(i).locator('h2 a[href^="/groups/"]').count();
      check(links >= 1, `result card #${i + 1} has no <h2> link to /groups/…`);
    }
    const rc = await text(await one(page, '#result-count', 'results count'));
    check(/\d/.test(rc), `#result-count "${rc}" shows no number`);
    return `${n} cards, #result-count "${rc}"`;
  });

  await step(page, 'online', 'c. filtering to online keeps the search and shows only online groups', async () => {
    await one(page, 'form#filters[method="get" i][action="/groups"]', 'filter form');
    const form = page.locator('form#filters');
    for (const [name, want] of Object.entries(SEARCH)) {
      const field = form.locator(`[name="${name}"]`);
      check((await field.count()) >= 1, `form#filters has no field named ${name}, so the search would be lost`);
      const got = await field.first().inputValue();
      check(got === want, `form#filters ${name}="${got}", want "${want}"`);
    }
    for (const f of FORMATS) {
      await one(page, `form#filters input[type="checkbox"][name="format"][value="${f}"]`, `"${f}" format checkbox`);
    }
    for (const f of FORMATS) {
      await form.locator(`input[name="format"][value="${f}"]`).setChecked(f === 'online');
    }
    await clickAndWait(page, page.locator('button#apply-filters'), 'the apply-filters button');
    const u = new URL(page.url());
    check(u.pathname === '/groups', `filtering landed on ${u.pathname}, want /groups`);
    check(u.searchParams.get('q') === SEARCH.q && u.searchParams.get('place') === SEARCH.place,
      `filtered URL ${u.search} lost the search (q=${SEARCH.q}, place=${SEARCH.place})`);
    const formats = u.searchParams.getAll('format');
    check(formats.length === 1 && formats[0] === 'online', `filtered URL has format=${formats.join(',')}, want only online`);
    const cards = page.locator('article.group-card');
    const n = await cards.count();
    check(n >= 1, `no online results for ${SEARCH.q} near ${SEARCH.place}`);
    const got = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-format')));
    const bad = got.map((f, i) => [i + 1, f]).filter(([, f]) => f !== 'online');
    check(bad.length === 0, `cards not online after the filter: ${bad.map(([i, f]) => `#${i} data-format=${f}`).join(', ')}`);
    const stillChecked = await form.locator('input[name="format"][value="online"]').first().isChecked();
    check(stillChecked, 'the "online" checkbox is not checked on the filtered page');
    return `${n} online cards`;
  });

  await step(page, 'group', 'd. an open group page has its name and the three sections', async () => {
    const resultsURL = page.url();
    let card = page.locator('article.group-card').first();
    let name = await text(cardLink(card));
    let href = await cardLink(card).getAttribute('href');
    await clickAndWait(page, cardLink(card), `the first result "${name}"`);
    let policy = await groupPolicy(page);
    let note = '';
    if (policy !== 'open') {
      note = `first result "${name}" is ${policy ?? 'without data-policy'}, took the first open card; `;
      await page.goBack({ waitUntil: 'load' });
      check(page.url() === resultsURL, `going back landed on ${page.url()}, want ${resultsURL}`);
      const openCards = page.locator('article.group-card[data-policy="open"]');
      check((await openCards.count()) >= 1, 'no online result card has data-policy="open"');
      card = openCards.first();
      name = await text(cardLink(card));
      href = await cardLink(card).getAttribute('href');
      await clickAndWait(page, cardLink(card), `the open result "${name}"`);
      policy = await groupPolicy(page);
    }
    check(policy === 'open', `group page ${page.url()} has data-policy=${policy} on main/article#group, want "open"`);
    groupPath = new URL(page.url()).pathname;
    check(groupPath.startsWith('/groups/'), `the group link ${href} landed on ${groupPath}`);
    const h1 = await text(await one(page, 'h1', '<h1>'));
    check(h1 === name, `group page <h1> is "${h1}", want the name from the card "${name}"`);
    for (const id of ['what-to-expect', 'guidelines', 'how-to-join']) {
      const sec = await one(page, `#${id}`, `#${id} section`);
      check(await text(sec), `#${id} is empty`);
    }
    groupName = name;
    return `${note}"${groupName}" at ${groupPath}`;
  });

  const handle = `quiet-river-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(15).toString('base64url'); // 20 characters

  await step(page, 'signup-form', 'e. signed out, "sign up to join" leads to the sign-up form', async () => {
    const link = await one(page, 'a#signup-to-join', 'sign-up-to-join link');
    const href = await link.getAttribute('href');
    check(href?.startsWith('/signup?next='), `a#signup-to-join href="${href}", want /signup?next=…`);
    const next = url(href).searchParams.get('next');
    check(next && pathOf(next) === groupPath, `a#signup-to-join next="${next}", want the group page ${groupPath}`);
    await clickAndWait(page, link, 'a#signup-to-join');
    check(new URL(page.url()).pathname === '/signup', `sign-up link landed on ${page.url()}`);
    await one(page, 'form#signup[method="post" i]', 'sign-up form (POST)');
    await one(page, 'form#signup input#handle[name="handle"]', 'handle field');
    await one(page, 'form#signup input#password[name="password"][type="password"]', 'password field');
    await one(page, 'form#signup input#password_confirm[name="password_confirm"][type="password"]', 'password confirmation field');
    await one(page, 'form#signup button#signup-submit', 'sign-up button');
    const email = await count(page, 'form#signup input#email[name="email"]');
    await page.locator('form#signup input#handle').fill(handle);
    await page.locator('form#signup input#password').fill(password);
    await page.locator('form#signup input#password_confirm').fill(password);
    return `handle ${handle}, ${email ? 'email field left empty (optional)' : 'no email field'}`;
  });

  await step(page, 'recovery-code', 'f. signing up shows a one-time recovery code and a continue link', async () => {
    await clickAndWait(page, page.locator('form#signup button#signup-submit'), 'the sign-up button');
    const code = await text(await one(page, 'code#recovery-code', 'recovery code'));
    check(code.length > 0, 'code#recovery-code is empty');
    const cont = await one(page, 'a#continue', 'continue link');
    const href = await cont.getAttribute('href');
    check(href && pathOf(href) === groupPath, `a#continue href="${href}", want the group page ${groupPath}`);
    return `recovery code of ${code.length} characters, continue → ${href}`;
  });

  await step(page, 'joined', `g. signed in, joining as "${PSEUDONYM}" shows the membership`, async () => {
    await clickAndWait(page, page.locator('a#continue'), 'a#continue');
    check(new URL(page.url()).pathname === groupPath, `continue landed on ${page.url()}, want ${groupPath}`);
    check((await count(page, 'a#signup-to-join')) === 0, 'signed in, the group page still offers a#signup-to-join');
    await one(page, 'form#join[method="post" i]', 'join form (POST)');
    await one(page, 'form#join input#pseudonym[name="pseudonym"]', 'pseudonym field');
    await one(page, 'form#join input#accept_guidelines[name="accept_guidelines"][type="checkbox"]', 'accept-guidelines checkbox');
    await one(page, 'form#join button#join-submit', 'join button');
    await page.locator('form#join input#pseudonym').fill(PSEUDONYM);
    await page.locator('form#join input#accept_guidelines').check();
    await clickAndWait(page, page.locator('form#join button#join-submit'), 'the join button');
    const status = await text(await one(page, '#membership-status', 'membership status'));
    check(status.includes(PSEUDONYM), `#membership-status "${status}" does not mention "${PSEUDONYM}"`);
    return `#membership-status "${status}"`;
  });

  await step(page, 'spanish', 'h. the language switcher turns the pages into Spanish', async () => {
    await one(page, 'form#lang-switch[method="post" i][action="/locale"]', 'language switcher form');
    const es = await one(page, 'form#lang-switch button[name="lang"][value="es"]', 'Español button');
    await clickAndWait(page, es, 'the Español button');
    let lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
    check(lang === 'es', `after choosing Spanish <html lang="${lang}">, want "es"`);
    const helpEs = await text(await one(page, 'header a#get-help[href="/help"]', '"Get help now" link in the <header>'));
    check(helpEs && helpEs !== helpTextEn, `the get-help link still reads "${helpEs}" in Spanish`);
    await open(page, '/');
    lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
    check(lang === 'es', `the language choice did not stick: / has <html lang="${lang}">`);
    return `get-help "${helpTextEn}" → "${helpEs}", still es on /`;
  });

  await step(page, 'help', 'i. /help answers 200 and lists phone numbers', async () => {
    await open(page, '/help');
    const tel = page.locator('a[href^="tel:"]');
    const n = await tel.count();
    check(n >= 1, '/help has no a[href^="tel:"] link');
    return `${n} tel: links, first ${await tel.first().getAttribute('href')}`;
  });

  await context.close();
}

// ------------------------------------------------------------------ pages (a11y + weight)

async function pages(browser) {
  const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // bypassCSP: the pages may forbid scripts; axe is injected only for the audit.
  const context = await browser.newContext({ viewport: PHONE, locale: 'en-US', bypassCSP: true, serviceWorkers: 'block' });
  const problems = await guard(context);
  const step = makeStepper('pages-', problems);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(20_000);

  const results = `/groups?q=${encodeURIComponent(SEARCH.q)}&place=${encodeURIComponent(SEARCH.place)}`;
  Object.assign(current, { page, id: 'pages-setup', title: `j. finding a group page to audit on ${results}` });
  await open(page, results);
  const first = page.locator('article.group-card h2 a[href^="/groups/"]').first();
  check((await first.count()) === 1, `no group link on ${results} to audit a group page`);
  const groupHref = await first.getAttribute('href');

  const targets = [
    ['home', '/'],
    ['results', results],
    ['group', groupHref],
  ];
  const failures = [];

  Object.assign(current, { page: null, id: 'pages-size', title: 'j. HTML size of home, results and group pages' });
  for (const [, p] of targets) {
    const started = Date.now();
    const res = await fetch(url(p), { headers: { 'accept-encoding': 'identity', 'accept-language': 'en-US' } });
    const bytes = (await res.arrayBuffer()).byteLength;
    const type = res.headers.get('content-type') ?? '';
    const line = `HTML size ${p}: ${bytes} bytes (limit ${MAX_HTML_BYTES})`;
    if (res.status !== 200 || !type.startsWith('text/html')) {
      failures.push(`${p}: HTTP ${res.status}, content-type "${type}" (want 200 text/html)`);
      console.log(`FAIL ${line} — HTTP ${res.status} ${type}`);
    } else if (bytes >= MAX_HTML_BYTES) {
      failures.push(`${p}: HTML is ${bytes} bytes, limit ${MAX_HTML_BYTES}`);
      console.log(`FAIL ${line}`);
    } else {
      console.log(`ok   ${line}  [${Date.now() - started} ms]`);
    }
  }

  for (const [vpName, vp] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    await page.setViewportSize(vp);
    for (const [id, p] of targets) {
      await step(page, `${id}-${vpName}`, `j. axe ${AXE_TAGS.join('+')} on ${p} (${vpName} ${vp.width}x${vp.height})`, async () => {
        await open(page, p);
        await page.addScriptTag({ content: axeSource });
        const r = await page.evaluate(async (tags) => {
          const out = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          const sel = (t) => (Array.isArray(t) ? t.join(' >>> ') : String(t));
          return {
            passes: out.passes.length,
            incomplete: out.incomplete.length,
            violations: out.violations.map((v) => ({
              id: v.id,
              impact: v.impact,
              help: v.help,
              helpUrl: v.helpUrl,
              count: v.nodes.length,
              targets: v.nodes.slice(0, 3).map((n) => n.target.map(sel).join(' ')),
            })),
          };
        }, AXE_TAGS);
        for (const v of r.violations) {
          const msg = `${p} (${vpName}): ${v.id} [${v.impact}] ${v.help} — ${v.count} element(s), e.g. ${v.targets.join(' | ')}  ${v.helpUrl}`;
          console.log(`     violation ${msg}`);
          failures.push(`axe ${msg}`);
        }
        return {
          failed: r.violations.length > 0,
          detail: `${r.violations.length} violations, ${r.passes} rules passed, ${r.incomplete} need review`,
        };
      });
    }
  }
  Object.assign(current, { id: 'pages-summary', title: 'j. accessibility and page weight summary' });
  check(failures.length === 0, `${failures.length} problem(s):\n  - ${failures.join('\n  - ')}`);
  console.log('ok   j. no axe violations on home, results and group pages; all HTML under 100 KB');
  await context.close();
}

// ------------------------------------------------------------------ main

async function main() {
  await run({
    out: OUT, executablePath: CHROMIUM, current,
    walk: async (browser) => {
      console.log(`newcomer.mjs: ${mode} against ${BASE}, Chromium ${browser.version()}, output in ${OUT}`);
      if (mode === 'newcomer' || mode === 'all') await newcomer(browser);
      if (mode === 'pages' || mode === 'all') await pages(browser);
    },
  });
  console.log('newcomer.mjs: all steps passed');
}

await main();
