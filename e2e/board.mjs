// Issue 6's "done means" in headless Chromium (playwright-core): a closed
// caregivers' cohort talks on its board between sessions.
//
//   1. Alba starts a thread behind the content warning "death" and replies;
//   2. Bruno, who kept the default (collapse), sees the thread veiled in the
//      list and the post collapsed in a <details>, and opens it with the
//      keyboard (Tab to the summary, Enter; Space closes it);
//   3. Carmen chooses "hide" on /account/content-warnings: the thread leaves
//      her list and, opened by its address, shows one line in its place;
//   4. Bruno chooses "show": the post is open and the title plain;
//   5. a post with a <script> tag, an inline handler and a javascript: link
//      renders harmless (no dialog, no javascript: href, no script element);
//      Bruno, a new member, may not post a web address yet: the form comes
//      back with his words kept and the reason beside them, nothing stored;
//   6. Carmen posts anonymously "I have the pills ready, tonight is the
//      night": she sees the crisis panel at once, Alba sees "A member" (and
//      no "Carmen" anywhere on the page), the facilitator finds the alert
//      in the safety queue, follows its link to the post and sees Carmen;
//   7. someone outside the group gets no board page, no thread, no post and
//      no API answer with a title or a word of a post in it, and cannot reply;
//   8. without JavaScript Bruno reads a thread and posts a reply;
//   9. axe-core finds no violation on the board, a thread, the new-thread
//      form and the content-warning page, in English and in Spanish; every
//      page visited is no wider than its 360 px viewport;
//  10. the live hint: with the board open on Bruno's page (its socket
//      open), Alba's reply makes Bruno's polite live region
//      (#board-live[aria-live=polite]) say "New posts." within 10 s.
//
// Run by e2e/board_test.go, which starts the server, makes the group, the
// accounts and the memberships, and writes them to SETUP.json:
//
//   node e2e/board.mjs SETUP.json OUT_DIR
//
// Each step prints one line; the first failed check prints FAIL, saves
// failure-<step>.png/.html of the page concerned and exits 1. Wording is
// read from the catalogs (internal/i18n/locales/{en,es}), not copied.

import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { check, run, FOREGROUND_ARGS, CheckFailed } from './walk.mjs';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

const [setupArg, outArg] = process.argv.slice(2);
if (!setupArg || !outArg) {
  console.error('usage: node e2e/board.mjs SETUP.json OUT_DIR');
  process.exit(2);
}
const SETUP = JSON.parse(await readFile(setupArg, 'utf8'));
const OUT = path.resolve(outArg);
const BASE = SETUP.base;
const SLUG = SETUP.slug;
const BOARD = `/groups/${SLUG}/board`;
const CHROMIUM = process.env.HEARTH_CHROMIUM || '/usr/bin/chromium';
const PHONE = { width: 360, height: 740 };
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WAIT = 20_000; // generous: the machine is shared

// checkAsync is check with a message worked out only on failure.
async function checkAsync(cond, message) {
  if (!cond) throw new CheckFailed(await message());
}
const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

async function loadCatalog(lang) {
  const out = {};
  const dir = path.join(HERE, '..', 'internal', 'i18n', 'locales', lang);
  for (const f of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    Object.assign(out, JSON.parse(await readFile(path.join(dir, f), 'utf8')));
  }
  return out;
}
const catalogs = { en: await loadCatalog('en'), es: await loadCatalog('es') };
function T(key, params = {}, lang = 'en') {
  const s = catalogs[lang][key];
  check(typeof s === 'string', `catalog key ${key} is missing from internal/i18n/locales/${lang}`);
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

// ------------------------------------------------------------ steps

const current = { page: null, id: 'startup' };
let stepNo = 0;
const started = Date.now();
const problems = [];
async function step(page, id, title, fn) {
  Object.assign(current, { page, id });
  const t = Date.now();
  const detail = await fn();
  check(problems.length === 0, problems.splice(0).join('; '));
  const shot = `${String(++stepNo).padStart(2, '0')}-${id}.png`;
  if (current.page && !current.page.isClosed()) await current.page.screenshot({ path: path.join(OUT, shot), fullPage: true });
  console.log(`ok   ${title}${detail ? ` — ${detail}` : ''}  [${shot}, ${Date.now() - t} ms]`);
}

// ------------------------------------------------------------ people

// person gives someone a phone-sized browser context. Any dialog (a script
// that ran: alert, confirm) is a failure; so is a request to another
// origin and, for members, any answer of 400 or more.
async function person(browser, who, { js = true, expectRefusals = false } = {}) {
  const context = await browser.newContext({ viewport: PHONE, locale: 'en-US', timezoneId: 'America/Chicago',
    serviceWorkers: 'block', bypassCSP: js, javaScriptEnabled: js }); // bypassCSP: for axe's script tag only
  // The live-hint step waits until the page's socket is open: sockets the
  // page makes are counted (nothing else changes).
  if (js) {
    await context.addInitScript(() => {
      const W = window.WebSocket;
      window.__e2eSockets = [];
      window.WebSocket = class extends W {
        constructor(...a) { super(...a); window.__e2eSockets.push(this); }
      };
    });
  }
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.setDefaultNavigationTimeout(60_000);
  const label = `${who.name || who.login}${js ? '' : ' (no JavaScript)'}`;
  page.on('dialog', (d) => { problems.push(`${label}: a ${d.type()} dialog opened ("${d.message()}") — a script ran`); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => problems.push(`${label}: script error ${e.message}`));
  context.on('request', (r) => {
    if (!r.url().startsWith(BASE) && !r.url().startsWith('data:')) problems.push(`${label}'s page requested ${r.url()}`);
  });
  const p = { ...who, label, context, page, allow: new Set() }; // allow: statuses a step expects
  if (!expectRefusals) {
    context.on('response', (r) => {
      if (r.status() >= 400 && !p.allow.has(r.status()) && new URL(r.url()).pathname !== '/favicon.ico') problems.push(`${label}: ${r.url()} answered HTTP ${r.status()}`);
    });
  }
  await signIn(p);
  return p;
}

// Signing in is not what this test is about (facilitator.mjs walks the
// form): the form is posted from the person's context, whose cookie jar
// then holds the session, as the page would.
async function signIn(p) {
  const resp = await p.context.request.post(`${BASE}/signin`, { form: { login: p.login, password: p.password }, maxRedirects: 0, timeout: 60_000 });
  const cookies = await p.context.cookies(BASE);
  check(resp.status() === 303 && cookies.length > 0, `${p.label} could not sign in: HTTP ${resp.status()}, ${cookies.length} cookies`);
  await p.context.clearCookies({ name: 'hearth_flash' });
}

// visit opens a path on p's page, requires 200 and no sideways scrolling.
async function visit(p, where) {
  current.page = p.page;
  const resp = await p.page.goto(BASE + where, { waitUntil: 'load' });
  check(resp && resp.status() === 200, `${p.label}: GET ${where} answered HTTP ${resp?.status()}`);
  await noSideScroll(p, where);
}

// submit clicks a form's button and waits for the page it leads to.
async function submit(p, selector) {
  await Promise.all([p.page.waitForNavigation({ waitUntil: 'load' }), p.page.click(selector)]);
  await noSideScroll(p, `the page after ${selector}`);
}

async function noSideScroll(p, label) {
  const m = await p.page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: document.documentElement.clientWidth }));
  check(m.doc <= m.view && m.body <= m.view, `${p.label}: ${label} is ${Math.max(m.doc, m.body)} px wide in a ${m.view} px viewport (horizontal scrolling)`);
  pagesChecked.add(label.split('#')[0]);
}
const pagesChecked = new Set();

const text = async (p, selector) => norm(await p.page.locator(selector).first().textContent({ timeout: WAIT }));

// postIdOf reads the post a redirect pointed at (…/board/T#post-P).
function postIdOf(p) {
  const u = new URL(p.page.url());
  const m = u.hash.match(/^#post-(\d+)$/);
  check(m && /\/board\/\d+$/.test(u.pathname), `${p.label} was not led to a post after posting: ${p.page.url()}`);
  return { thread: Number(u.pathname.split('/').pop()), post: Number(m[1]) };
}

// write fills the post form on the page (new thread or reply) and sends it.
async function write(p, { title, body, warning = '', anonymous = false, kind }) {
  if (title !== undefined) await p.page.fill('#title', title);
  await p.page.fill('#body', body);
  await p.page.selectOption('#warning', warning);
  if (anonymous) await p.page.check('#anonymous');
  await submit(p, `#${kind}-submit`);
  return postIdOf(p);
}

async function setChoice(p, code, choice) {
  await visit(p, '/account/content-warnings');
  await p.page.check(`#${code}-${choice}`);
  await submit(p, '#warning-prefs-submit');
  check(await p.page.isChecked(`#${code}-${choice}`), `${p.label}: after saving, "${choice}" for ${code} is not the checked choice`);
}

// tabTo presses Tab from the top of the page until selector has the focus.
async function tabTo(p, selector) {
  await p.page.evaluate(() => {
    const start = document.createElement('span');
    start.id = 'e2e-tab-start';
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
  });
  for (let i = 1; i <= 300; i++) {
    await p.page.keyboard.press('Tab');
    const there = await p.page.evaluate((s) => {
      document.getElementById('e2e-tab-start')?.remove();
      return document.activeElement?.matches(s) ?? false;
    }, selector);
    if (there) return i;
  }
  throw new CheckFailed(`${p.label}: ${selector} is not reached with Tab within 300 presses`);
}

let axeSource;
async function axe(p, label) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await p.page.addScriptTag({ content: axeSource });
  const r = await p.page.evaluate(async (tags) => {
    const out = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return {
      passes: out.passes.length,
      violations: out.violations.map((v) => `${v.id} [${v.impact}] ${v.help} — ${v.nodes.length} element(s), e.g. ${v.nodes
        .slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`),
    };
  }, AXE_TAGS);
  check(r.violations.length === 0, `axe on ${label}:\n  - ${r.violations.join('\n  - ')}`);
  return r.passes;
}

// ------------------------------------------------------------ the board

const CW_TITLE = 'Mum’s last weeks';
const CW_BODY = 'She died on Sunday morning with my hand in hers. I keep replaying the last week.';
const CW_REPLY = 'Thank you for reading. The hospice nurse said the hearing goes last, so I kept talking to her.';
const XSS_TITLE = 'What helped this week';
const XSS_BODY = 'A walk after lunch helped.\n\n<script>alert("script ran")</script>\n\n<img src=x onerror=alert("img")>\n\n[the respite list](javascript:alert(1))';
const CRISIS_TITLE = 'A hard night';
const CRISIS_BODY = 'I have the pills ready, tonight is the night.';
const NOJS_REPLY = 'Reading this without scripts: a short walk helps me too.';
const LIVE_REPLY = 'One more thing: the respite hours changed.';

async function board(browser) {
  const [albaW, brunoW, carmenW] = SETUP.members;
  const fac = await person(browser, SETUP.facilitator);
  const alba = await person(browser, albaW);
  const bruno = await person(browser, brunoW);
  const carmen = await person(browser, carmenW);
  const ids = {};
  const veiled = T('board.thread_veiled', { warning: T('board.warning.death') });

  await step(alba.page, 'cw-thread', '1. Alba starts a thread behind the content warning "death" and replies to it', async () => {
    await visit(alba, BOARD);
    await Promise.all([alba.page.waitForNavigation(), alba.page.click('#new-thread-link')]);
    await noSideScroll(alba, `${BOARD}/new`);
    ids.cw = await write(alba, { title: CW_TITLE, body: CW_BODY, warning: 'death', kind: 'thread' });
    ids.cwReply = await write(alba, { body: CW_REPLY, kind: 'reply' });
    check(ids.cwReply.thread === ids.cw.thread, `the reply went to thread ${ids.cwReply.thread}, not ${ids.cw.thread}`);
    check((await alba.page.locator('#posts > li').count()) === 2, `Alba's thread shows ${await alba.page.locator('#posts > li').count()} posts, want 2`);
    return `thread ${ids.cw.thread}: post ${ids.cw.post} (warning) and reply ${ids.cwReply.post}`;
  });

  await step(bruno.page, 'collapse', '2. Bruno (collapse, the default) sees the thread veiled and the post collapsed; he opens it with Enter and closes it with Space', async () => {
    await visit(bruno, BOARD);
    const item = `#thread-${ids.cw.thread}`;
    check(await text(bruno, `${item} .card-title`) === veiled, `Bruno's board lists the thread as "${await text(bruno, `${item} .card-title`)}", want "${veiled}"`);
    check(!(await bruno.page.content()).includes('last weeks'), `Bruno's board shows the title of a thread he asked to see collapsed`);
    await visit(bruno, `${BOARD}/${ids.cw.thread}`);
    const post = `#post-${ids.cw.post}`;
    const details = bruno.page.locator(`${post} details.post-warning`);
    check(await details.count() === 1, `the post with a warning is not in a <details> on Bruno's page`);
    check(await text(bruno, `${post} details.post-warning > summary`) === T('board.cw', { warning: T('board.warning.death') }), `the summary says "${await text(bruno, `${post} summary`)}"`);
    check(!(await details.evaluate((d) => d.open)), `the post is open on Bruno's page; he asked for it collapsed`);
    check(!(await bruno.page.getByText(CW_BODY).isVisible()), `the post's words are visible before Bruno opens it`);
    check(await bruno.page.getByText(CW_REPLY).isVisible(), `Alba's reply (no warning) is not shown on Bruno's page`);
    const tabs = await tabTo(bruno, `${post} details.post-warning > summary`);
    await bruno.page.keyboard.press('Enter');
    await bruno.page.getByText(CW_BODY).waitFor({ state: 'visible' });
    check(await details.evaluate((d) => d.open), `Enter on the summary did not open the post`);
    await bruno.page.keyboard.press('Space');
    await bruno.page.getByText(CW_BODY).waitFor({ state: 'hidden' });
    await bruno.page.keyboard.press('Space');
    await bruno.page.getByText(CW_BODY).waitFor({ state: 'visible' });
    return `summary reached with ${tabs} Tab presses; Enter opened it, Space closed and reopened it`;
  });

  await step(carmen.page, 'hide', '3. Carmen chooses "hide" for death: the thread leaves her list; opened by its address, one line stands for the post', async () => {
    await setChoice(carmen, 'death', 'hide');
    await visit(carmen, BOARD);
    check(await carmen.page.locator(`#thread-${ids.cw.thread}`).count() === 0, `the hidden thread is still in Carmen's list`);
    await visit(carmen, `${BOARD}/${ids.cw.thread}`);
    const line = `#post-${ids.cw.post}-veiled`;
    check((await text(carmen, line)).startsWith(T('board.hidden_by_choice')), `Carmen's placeholder says "${await text(carmen, line)}", want "${T('board.hidden_by_choice')}…"`);
    const html = await carmen.page.content();
    check(!html.includes('She died on Sunday') && !html.includes('last weeks'), `Carmen's page carries the hidden post's words or title`);
    check(await carmen.page.locator(`#post-${ids.cw.post} details`).count() === 0, `Carmen's page still has the post behind a <details>`);
    check(await carmen.page.getByText(CW_REPLY).isVisible(), `Alba's reply (no warning) is not shown to Carmen`);
    return `"${await text(carmen, line)}"`;
  });

  await step(bruno.page, 'show', '4. Bruno chooses "show" for death: the post is open and the title plain', async () => {
    await setChoice(bruno, 'death', 'show');
    await visit(bruno, BOARD);
    check(await text(bruno, `#thread-${ids.cw.thread} .card-title`) === CW_TITLE, `Bruno's board lists "${await text(bruno, `#thread-${ids.cw.thread} .card-title`)}", want the title`);
    await visit(bruno, `${BOARD}/${ids.cw.thread}`);
    check(await text(bruno, '#thread-title') === CW_TITLE, `the thread's heading is "${await text(bruno, '#thread-title')}"`);
    check(await bruno.page.getByText(CW_BODY).isVisible(), `the post is not open for a reader who chose "show"`);
    check(await text(bruno, `#post-${ids.cw.post} details.post-warning > summary`) === T('board.cw', { warning: T('board.warning.death') }), `the open post no longer names its warning`);
    return 'details[open], the warning still named above the words';
  });

  await step(bruno.page, 'harmless', '5. a <script> tag, an onerror handler and a javascript: link render harmless', async () => {
    await visit(alba, `${BOARD}/new`);
    ids.xss = await write(alba, { title: XSS_TITLE, body: XSS_BODY, kind: 'thread' });
    for (const p of [alba, bruno]) {
      await visit(p, `${BOARD}/${ids.xss.thread}`);
      const body = `#post-${ids.xss.post} .post-body`;
      const found = await p.page.$$eval(`${body} script, ${body} [onerror], ${body} img, ${body} iframe`, (els) => els.map((e) => e.outerHTML));
      check(found.length === 0, `${p.label}'s page has live markup from the post: ${found.join(' ')}`);
      const hrefs = await p.page.$$eval(`${body} a`, (as) => as.map((a) => a.getAttribute('href') ?? ''));
      check(!hrefs.some((h) => /^\s*javascript:/i.test(h)), `a link in the post has a javascript: href: ${hrefs.join(', ')}`);
      check(await p.page.getByText('A walk after lunch helped.').isVisible(), `the post's words are missing on ${p.label}'s page`);
      const shown = norm(await p.page.textContent(body));
      check(shown.includes('<script>') && shown.includes('the respite list'), `the tag and the link's words are not shown as text: "${shown}"`);
    }
    // Bruno, new in the group and not vouched for, may not post links yet:
    // he is told why beside his words, which are kept, and nothing is stored.
    const draft = 'The respite list I use is at https://example.org/respite-list if anyone needs it.';
    await bruno.page.fill('#body', draft);
    for (const st of [400, 403]) bruno.allow.add(st);
    await Promise.all([bruno.page.waitForNavigation({ waitUntil: 'load' }), bruno.page.click('#reply-submit')]);
    bruno.allow.clear();
    await noSideScroll(bruno, 'the refused reply');
    const said = norm(await bruno.page.locator('main').textContent());
    check(said.includes('cannot post links'), `Bruno's link was refused without saying why: "${said.slice(0, 300)}"`);
    check(await bruno.page.locator('#reply-form #body').count() === 1, 'the refusal is not the reply form again (the draft is lost)');
    check(await bruno.page.inputValue('#reply-form #body') === draft, `the reply form does not keep Bruno's words: "${await bruno.page.inputValue('#reply-form #body')}"`);
    check(norm(await bruno.page.textContent('#body-errors')).includes('cannot post links'), 'the problem is not beside the reply field');
    check(await bruno.page.getAttribute('#body', 'aria-invalid') === 'true', 'the reply field is not marked invalid');
    const rules = await axe(bruno, `the refused reply's form (en, ${PHONE.width} px)`);
    await visit(bruno, `${BOARD}/${ids.xss.thread}`);
    check(!(await bruno.page.content()).includes('respite-list'), 'the refused reply was stored');
    // Following the javascript: link does nothing either.
    const link = bruno.page.locator(`#post-${ids.xss.post} .post-body a`, { hasText: 'the respite list' });
    if (await link.count()) await link.click();
    await bruno.page.waitForLoadState('load');
    const links = await bruno.page.$$eval(`#post-${ids.xss.post} .post-body a`, (as) => as.map((a) => a.getAttribute('href') ?? '(no href)'));
    return `no dialog, no script or image element; the javascript: link ${links.length ? `became ${links.join(', ')}` : 'is plain text'}; Bruno's link refused beside his kept draft (axe: 0 violations, ${rules} rules passed), nothing stored`;
  });

  await step(carmen.page, 'crisis', '6. Carmen posts anonymously in crisis: help at once for her, "a member" for Alba, the alert and the writer for the facilitator', async () => {
    await visit(carmen, `${BOARD}/new`);
    check(await text(carmen, '#anonymous-hint') === T('board.form.anonymous_hint'), `the form does not say before posting what anonymity means: "${await text(carmen, '#anonymous-hint')}"`);
    ids.crisis = await write(carmen, { title: CRISIS_TITLE, body: CRISIS_BODY, anonymous: true, kind: 'thread' });
    await carmen.page.locator('#crisis-panel').waitFor({ state: 'visible' });
    check(await text(carmen, '#crisis-panel-title') === T('safety.panel.title'), `the crisis panel's heading is "${await text(carmen, '#crisis-panel-title')}"`);
    const held = await carmen.page.locator(`#post-${ids.crisis.post}-held`).count();
    await checkAsync(held === 0, async () => `Carmen's post is held (${await text(carmen, `#post-${ids.crisis.post}-held`)}); other members would not see it`);

    await visit(alba, BOARD);
    const item = `#thread-${ids.crisis.thread}`;
    check((await text(alba, item)).includes(T('board.thread_by', { author: T('board.a_member') })), `Alba's board says "${await text(alba, item)}"`);
    await visit(alba, `${BOARD}/${ids.crisis.thread}`);
    const by = await text(alba, `#post-${ids.crisis.post}-by`);
    check(by.startsWith(T('board.a_member')) && by.includes(T('board.anonymous')), `Alba sees the anonymous post's writer as "${by}"`);
    check(!(await alba.page.content()).includes(carmen.name), `Alba's page names ${carmen.name} somewhere`);
    check(await alba.page.getByText(CRISIS_BODY).isVisible(), 'Alba does not see the post');

    await visit(fac, '/safety/escalations');
    const alerts = fac.page.locator('#escalation-list > li');
    check(await alerts.count() >= 1, `the facilitator's safety queue is empty`);
    await Promise.all([fac.page.waitForNavigation(), alerts.first().locator('a').first().click()]);
    await noSideScroll(fac, 'the alert page');
    await fac.page.locator('#alert-writing').waitFor();
    await Promise.all([fac.page.waitForNavigation(), fac.page.click('#alert-writing')]);
    const u = new URL(fac.page.url());
    check(u.pathname === `${BOARD}/${ids.crisis.thread}` && u.hash === `#post-${ids.crisis.post}`, `the alert's link led to ${fac.page.url()}, want ${BOARD}/${ids.crisis.thread}#post-${ids.crisis.post}`);
    await noSideScroll(fac, 'the thread from the alert');
    const facBy = await text(fac, `#post-${ids.crisis.post}-by`);
    check(facBy.startsWith(carmen.name) && facBy.includes(T('board.anonymous_to_members')), `the facilitator sees the writer as "${facBy}", want ${carmen.name} and "${T('board.anonymous_to_members')}"`);
    // The facilitator's view of a thread carries more (approval, history,
    // the hide-or-label form under each post): axe checks it too.
    const rules = await axe(fac, `the facilitator's thread view (en, ${PHONE.width} px)`);
    return `panel shown to Carmen; Alba sees "${by}"; the facilitator, from the alert, "${facBy}" (axe on her view: 0 violations, ${rules} rules passed)`;
  });

  await step(null, 'outsider', '7. someone outside the group gets no board, thread, post or API answer, sees no title, and cannot reply', async () => {
    const out = await person(browser, SETUP.outsider, { expectRefusals: true });
    current.page = out.page;
    const secrets = [CW_TITLE, 'last weeks', 'She died', XSS_TITLE, 'A walk after lunch', CRISIS_TITLE, 'pills', 'Alba', 'Bruno', 'Carmen', 'hospice nurse'];
    const leaks = (body) => secrets.filter((s) => body.includes(s));
    const seen = [];
    const t1 = ids.cw.thread, t3 = ids.crisis.thread;
    for (const where of [BOARD, `${BOARD}?q=walk`, `${BOARD}/new`, `${BOARD}/${t1}`, `${BOARD}/${t3}`, `${BOARD}/posts/${ids.cw.post}`,
      `${BOARD}/posts/${ids.crisis.post}/edit`, `${BOARD}/posts/${ids.cwReply.post}/report`, `${BOARD}/settings`]) {
      const resp = await out.page.goto(BASE + where, { waitUntil: 'load' });
      const body = await out.page.content();
      check(resp && (resp.status() === 404 || resp.status() === 403), `the outsider got HTTP ${resp?.status()} for ${where}`);
      check(leaks(body).length === 0, `the outsider's page for ${where} contains ${leaks(body).join(', ')}`);
      seen.push(resp.status());
    }
    const api = [`/api/v1/groups/${SLUG}/board`, `/api/v1/groups/${SLUG}/board/threads/${t1}`, `/api/v1/groups/${SLUG}/board/posts/${ids.crisis.post}`];
    for (const where of api) {
      const r = await out.context.request.get(BASE + where, { headers: { Authorization: `Bearer ${SETUP.outsider_token}` } });
      const body = await r.text();
      check(r.status() === 404 || r.status() === 403, `the outsider's API call ${where} answered HTTP ${r.status()}`);
      check(leaks(body).length === 0, `the API answer for ${where} contains ${leaks(body).join(', ')}`);
      seen.push(r.status());
    }
    const posted = await out.context.request.post(`${BASE}${BOARD}/${t1}/replies`, { form: { body: 'An outsider writing in.', warning: '' }, maxRedirects: 0 });
    check(posted.status() === 404 || posted.status() === 403, `an outsider's reply answered HTTP ${posted.status()}`);
    await visit(bruno, `${BOARD}/${t1}`);
    check(!(await bruno.page.content()).includes('An outsider writing in.'), 'the outsider\'s reply shows on the thread');
    await out.page.goto(BASE + `${BOARD}/${t1}`, { waitUntil: 'load' });
    await out.context.close();
    current.page = bruno.page;
    return `HTTP ${[...new Set(seen)].join('/')} for ${seen.length} pages and API calls; reply refused with ${posted.status()}`;
  });

  await step(null, 'no-js', '8. without JavaScript Bruno reads a thread, opens a warning and replies', async () => {
    const nojs = await person(browser, brunoW, { js: false });
    current.page = nojs.page;
    await setChoice(nojs, 'death', 'collapse');
    await visit(nojs, BOARD);
    await Promise.all([nojs.page.waitForNavigation(), nojs.page.click(`#thread-${ids.cw.thread} .card-title a`)]);
    await noSideScroll(nojs, 'the thread without JavaScript');
    check(!(await nojs.page.getByText(CW_BODY).isVisible()), 'the post is open; Bruno chose collapse again');
    await nojs.page.click(`#post-${ids.cw.post} details.post-warning > summary`);
    await nojs.page.getByText(CW_BODY).waitFor({ state: 'visible' });
    const reply = await write(nojs, { body: NOJS_REPLY, kind: 'reply' });
    check(reply.thread === ids.cw.thread, `the reply went to thread ${reply.thread}`);
    check(await text(nojs, `#post-${reply.post} .post-body`) === NOJS_REPLY, `the reply reads "${await text(nojs, `#post-${reply.post} .post-body`)}"`);
    check(await nojs.page.locator(`#post-${reply.post}`).isVisible(), 'the new reply is not shown');
    await nojs.context.close();
    current.page = bruno.page;
    return `reply ${reply.post} posted and shown (scripts off: the warning opened natively, the form posted)`;
  });

  await step(bruno.page, 'a11y', '9. axe: board, thread, new-thread form and content-warning page, in English and Spanish, at 360 px', async () => {
    const pages = [[BOARD, 'the board'], [`${BOARD}/${ids.cw.thread}`, 'a thread with a warning'], [`${BOARD}/${ids.crisis.thread}`, 'the anonymous thread'],
      [`${BOARD}/new`, 'the new-thread form'], ['/account/content-warnings', 'the content-warning page']];
    const notes = [];
    for (const lang of ['en', 'es']) {
      if (lang === 'es') {
        await visit(bruno, BOARD);
        await submit(bruno, 'form#lang-switch button[name="lang"][value="es"]');
        const l = await bruno.page.evaluate(() => document.documentElement.getAttribute('lang'));
        check(l === 'es', `after choosing Spanish <html lang="${l}">`);
      }
      let rules = 0;
      for (const [where, label] of pages) {
        await visit(bruno, where);
        const l = await bruno.page.evaluate(() => document.documentElement.getAttribute('lang'));
        check(l === lang, `${where} has <html lang="${l}">, want ${lang}`);
        rules += await axe(bruno, `${label} (${lang}, ${PHONE.width} px)`);
      }
      notes.push(`${lang}: ${pages.length} pages, 0 violations (${rules} rule passes)`);
    }
    await visit(bruno, `${BOARD}/${ids.cw.thread}`);
    check(await text(bruno, `#post-${ids.cw.post} details.post-warning > summary`) === T('board.cw', { warning: T('board.warning.death', {}, 'es') }, 'es'),
      `the Spanish summary says "${await text(bruno, `#post-${ids.cw.post} summary`)}"`);
    await submit(bruno, 'form#lang-switch button[name="lang"][value="en"]');
    return notes.join('; ');
  });

  await step(bruno.page, 'live', '10. the live hint: Alba\'s reply makes the polite live region on Bruno\'s open board say "New posts."', async () => {
    await visit(bruno, BOARD);
    const region = bruno.page.locator('#board-live');
    check(await region.count() === 1 && (await region.getAttribute('data-live')) === `${BOARD}/live`,
      `Bruno's board page has no #board-live region with data-live="${BOARD}/live" (hearth serve runs the board hub)`);
    check(await region.getAttribute('aria-live') === 'polite', `#board-live has aria-live="${await region.getAttribute('aria-live')}"`);
    // Wait until the page's socket is open (a wrapper counts open sockets).
    await bruno.page.waitForFunction(() => [...(window.__e2eSockets ?? [])].some((s) => s.readyState === 1), null, { polling: 100, timeout: WAIT })
      .catch(() => { throw new CheckFailed(`Bruno's board page has no open live socket after ${WAIT} ms (${BOARD}/live refused or unreachable)`); });
    await visit(alba, `${BOARD}/${ids.cw.thread}`);
    const t = Date.now();
    await write(alba, { body: LIVE_REPLY, kind: 'reply' });
    const want = T('board.live.new');
    await bruno.page.waitForFunction(([w]) => (document.getElementById('board-live')?.textContent ?? '').includes(w), [want], { polling: 100, timeout: 10_000 })
      .catch(() => { throw new CheckFailed(`Bruno's live region did not say "${want}" within 10 s of Alba's reply`); });
    return `"${norm(await region.textContent())}" ${Date.now() - t} ms after Alba sent her reply`;
  });

  check(problems.length === 0, problems.join('; '));
  return [...pagesChecked];
}

async function main() {
  await run({
    out: OUT, executablePath: CHROMIUM, current, args: FOREGROUND_ARGS,
    walk: async (browser) => {
      const checked = await board(browser);
      console.log(`     ${checked.length} pages checked for sideways scrolling at ${PHONE.width} px`);
    },
  });
  console.log(`board.mjs: all steps passed in ${Date.now() - started} ms`);
}

await main();
