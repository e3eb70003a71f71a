// Issue 3's "done means", walked through the pages in headless Chromium
// (playwright-core): a facilitator sets up a closed 8-session grief cohort
// meeting every other Tuesday at 18:30 Madrid time and an open online
// anxiety group; people apply, queue and get seats fairly; a member RSVPs and
// gets a personal link only inside the lead time; the calendars parse with
// ical.js across a daylight-saving change; the Meeting Guide feed carries
// the open group without its protected link. Run by e2e/facilitator_test.go;
// by hand against a server that has a site admin and nothing else:
//
//   HEARTH_E2E_ADMIN=handle HEARTH_E2E_ADMIN_PASSWORD=… \
//     node e2e/facilitator.mjs http://127.0.0.1:8080 /tmp/hearth-shots
//
// The pages need no JavaScript: the browser is only the person. Each step
// prints one line and leaves a full-page PNG in OUT_DIR; the first failed
// assertion prints FAIL with the selector and the page's URL, saves
// failure-<step>.png/.html and exits 1. Expected wording comes from the
// English catalog (internal/i18n/locales/en), never copied here.
// Environment: HEARTH_CHROMIUM (default /usr/bin/chromium).

import ICAL from 'ical.js';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { check, run, CheckFailed } from './walk.mjs';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

const [baseArg, outArg] = process.argv.slice(2);
const ADMIN = process.env.HEARTH_E2E_ADMIN;
const ADMIN_PASSWORD = process.env.HEARTH_E2E_ADMIN_PASSWORD;
if (!baseArg || !outArg || !ADMIN || !ADMIN_PASSWORD) {
  console.error('usage: HEARTH_E2E_ADMIN=h HEARTH_E2E_ADMIN_PASSWORD=p node e2e/facilitator.mjs BASE_URL OUT_DIR');
  process.exit(2);
}
const BASE = new URL(baseArg).origin;
const OUT = path.resolve(outArg);
const CHROMIUM = process.env.HEARTH_CHROMIUM || '/usr/bin/chromium';

const PHONE = { width: 390, height: 844 };
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const MADRID = 'Europe/Madrid';
const ORG = { name: 'Madrid Peer Support', slug: 'madrid-peer-support' };
const COHORT = { name: 'Grief cohort', slug: 'grief-cohort', cap: 2, sessions: 8, clock: '18:30' };
const ANXIETY = { name: 'Anxiety online', slug: 'anxiety-online', zone: 'America/Chicago' };
const SECRET = `https://meet.example.org/anxiety-${randomBytes(6).toString('hex')}`;
const SOON_SECRET = `${SECRET}-soon`;
const QUESTION = 'Whom are you grieving, and since when?';
const DAY = 86400_000;

// ------------------------------------------------------------------ helpers

const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
const url = (p) => new URL(p, BASE);
const current = { page: null, id: 'startup', title: 'starting the browser' };

// The English catalog, all files merged; T fills {placeholders}.
const catalog = {};
{
  const dir = path.join(HERE, '..', 'internal', 'i18n', 'locales', 'en');
  for (const f of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    Object.assign(catalog, JSON.parse(await readFile(path.join(dir, f), 'utf8')));
  }
}
function T(key, params = {}) {
  let s = catalog[key];
  if (s && typeof s === 'object') s = Number(params.count) === 1 ? s.one : s.other; // plural forms
  check(typeof s === 'string', `catalog key ${key} is missing from internal/i18n/locales/en`);
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}
// The part of a catalog message before its first placeholder: what a page
// must contain whatever the value.
const lead = (key) => T(key).split('{')[0].trim();

// Requests that leave the origin, and failed same-origin sub-resources, of
// every person's context: they fail the step that is running.
async function guard(context, problems) {
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.origin === BASE || u.protocol === 'data:' || u.protocol === 'blob:') return route.continue();
    problems.push(`the page tried to load ${u.href} from another origin (blocked)`);
    return route.abort('blockedbyclient');
  });
  context.on('response', (r) => {
    if (r.request().isNavigationRequest() || r.status() < 400) return;
    if (new URL(r.url()).pathname === '/favicon.ico') return;
    problems.push(`sub-resource ${r.url()} answered HTTP ${r.status()}`);
  });
}

let stepNo = 0;
let shotMs = 0;
const timing = { axe: 0, tab: 0 };
const allProblems = [];
async function step(page, id, title, fn) {
  Object.assign(current, { page, id, title });
  const started = Date.now();
  const detail = await fn();
  check(allProblems.length === 0, allProblems.splice(0).join('; '));
  let shot = '';
  if (page && !page.isClosed()) {
    const t = Date.now();
    shot = `${String(++stepNo).padStart(2, '0')}-${id}.png`;
    await page.screenshot({ path: path.join(OUT, shot), fullPage: true });
    shotMs += Date.now() - t;
  }
  console.log(`ok   ${title}${detail ? ` — ${detail}` : ''}  [${shot ? shot + ', ' : ''}${Date.now() - started} ms]`);
}

async function one(page, selector, what) {
  const n = await page.locator(selector).count();
  check(n === 1, `expected exactly one ${what} (${selector}) on ${page.url()}, found ${n}`);
  return page.locator(selector);
}
async function textOf(page, selector, what) {
  return norm(await (await one(page, selector, what)).textContent());
}
async function open(page, p) {
  const resp = await page.goto(url(p).href, { waitUntil: 'load' });
  check(resp && resp.status() === 200, `GET ${p} answered HTTP ${resp?.status()}, want 200`);
  return resp;
}
async function submit(page, selector, what) {
  await one(page, selector, what);
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator(selector).click()]);
  check(resp, `clicking ${what} (${selector}) on ${page.url()} did not load a page`);
  const errs = await page.locator('#form-errors').count();
  const detail = errs ? `: ${norm(await page.locator('#form-errors').textContent())}` : '';
  check(resp.status() < 400 && errs === 0, `clicking ${what} (${selector}) led to HTTP ${resp.status()} at ${page.url()}${detail}`);
  return resp;
}
async function fill(page, fields) {
  for (const [sel, value] of Object.entries(fields)) {
    await one(page, sel, `field ${sel}`);
    const loc = page.locator(sel);
    const tag = await loc.evaluate((e) => `${e.tagName}:${e.type}`);
    if (tag.startsWith('SELECT')) await loc.selectOption(value);
    else if (tag.endsWith(':checkbox') || tag.endsWith(':radio')) await loc.setChecked(Boolean(value));
    else await loc.fill(value);
  }
}
async function pageText(page) {
  return norm(await page.locator('main').innerText());
}
async function mustNotShow(page, secret, who) {
  const html = await page.content();
  check(!html.includes(secret), `${who} sees the protected conference link ${secret} on ${page.url()}`);
}

// Day and clock of an instant in a zone: {date: 'YYYY-MM-DD', clock: 'HH:MM', weekday: 'Tue'}.
function wall(ms, zone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      weekday: 'short', hourCycle: 'h23',
    }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, clock: `${parts.hour}:${parts.minute}`, weekday: parts.weekday };
}
// Offset of a zone from UTC at an instant, in minutes.
function offset(ms, zone) {
  const w = wall(ms, zone);
  const asUTC = Date.UTC(+w.date.slice(0, 4), +w.date.slice(5, 7) - 1, +w.date.slice(8, 10), +w.clock.slice(0, 2), +w.clock.slice(3));
  return Math.round((asUTC - Math.floor(ms / 60000) * 60000) / 60000);
}
const addDays = (date, n) => new Date(Date.parse(`${date}T12:00:00Z`) + n * DAY).toISOString().slice(0, 10);

// The cohort's first Tuesday: the sessions are every 14 days, and the
// first daylight-saving change in Madrid at least five weeks away falls
// between the 3rd and the 4th session, so the calendar check crosses it.
function cohortStart(now) {
  let prev = offset(now, MADRID);
  for (let t = now + DAY; t < now + 400 * DAY; t += DAY) {
    const o = offset(t, MADRID);
    if (o !== prev && t - now > 36 * DAY) {
      let d = wall(t, MADRID).date; // the day after the change
      while (wall(Date.parse(`${d}T12:00:00Z`), 'UTC').weekday !== 'Tue') d = addDays(d, -1);
      return addDays(d, -28);
    }
    prev = o;
  }
  throw new Error('no daylight-saving change in Europe/Madrid within 400 days');
}

// axe-core at phone width on the page as it is; a violation fails.
let axeSource;
async function axe(page) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.setViewportSize(PHONE);
  await page.addScriptTag({ content: axeSource });
  const r = await page.evaluate(async (tags) => {
    const out = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return {
      passes: out.passes.length,
      violations: out.violations.map((v) => `${v.id} [${v.impact}] ${v.help} — ${v.nodes.length} element(s), e.g. ${v.nodes
        .slice(0, 3).map((n) => n.target.join(' ')).join(' | ')} ${v.helpUrl}`),
    };
  }, AXE_TAGS);
  check(r.violations.length === 0, `axe (${AXE_TAGS.join('+')}) on ${page.url()} at phone width:\n  - ${r.violations.join('\n  - ')}`);
  return `axe: 0 violations, ${r.passes} rules passed`;
}

// Pressing Tab from the top of the page reaches the button (within 400
// presses); it is then focused, as a keyboard user would have it.
async function tabReaches(page, selector, what) {
  await one(page, selector, what);
  // Start from the top: focus a throwaway element placed first in <body>.
  await page.evaluate(() => {
    const start = document.createElement('span');
    start.id = 'e2e-tab-start';
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
  });
  for (let i = 1; i <= 400; i++) {
    await page.keyboard.press('Tab');
    const reached = await page.evaluate((s) => {
      document.getElementById('e2e-tab-start')?.remove();
      return document.activeElement?.matches(s) ?? false;
    }, selector);
    if (reached) return i;
  }
  throw new CheckFailed(`${what} (${selector}) on ${page.url()} is not reached with Tab within 400 presses`);
}

// An audited page: axe at phone width plus each named form button reachable by Tab.
async function audit(page, buttons) {
  let t = Date.now();
  const notes = [await axe(page)];
  timing.axe += Date.now() - t;
  t = Date.now();
  for (const [sel, what] of buttons) notes.push(`${sel} after ${await tabReaches(page, sel, what)} Tab`);
  timing.tab += Date.now() - t;
  return notes.join('; ');
}

// ------------------------------------------------------------------ people

async function person(browser, name, timezoneId = 'Europe/Madrid') {
  const context = await browser.newContext({ viewport: PHONE, locale: 'en-US', timezoneId, bypassCSP: true, serviceWorkers: 'block' });
  await guard(context, allProblems);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(20_000);
  return { name, context, page };
}

async function signup(p) {
  const handle = `${p.name.toLowerCase()}-${randomBytes(3).toString('hex')}`;
  const password = randomBytes(15).toString('base64url');
  await open(p.page, '/signup');
  await fill(p.page, { 'form#signup #handle': handle, 'form#signup #password': password, 'form#signup #password_confirm': password });
  await submit(p.page, 'form#signup #signup-submit', 'the sign-up button');
  await one(p.page, 'code#recovery-code', 'recovery code');
  p.handle = handle;
}

// ------------------------------------------------------------------ the walk

async function walk(browser) {
  const now = Date.now();
  const starts = cohortStart(now);
  const today = wall(now, MADRID).date;
  const admin = await person(browser, 'admin');
  const a = await person(browser, 'Alba');
  const b = await person(browser, 'Bruno');
  const c = await person(browser, 'Carmen');
  const visitor = await person(browser, 'visitor', 'America/New_York');
  let cohortMeeting; // id of the cohort's meeting
  let anxietyMeeting;
  const ap = admin.page;

  await step(ap, 'signin', `1. the site admin signs in and creates the organization "${ORG.name}"`, async () => {
    await open(ap, '/signin');
    await fill(ap, { 'form#signin #login': ADMIN, 'form#signin #password': ADMIN_PASSWORD });
    await submit(ap, 'form#signin #signin-submit', 'the sign-in button');
    await open(ap, '/manage');
    await fill(ap, { 'form#create-organization #name': ORG.name, 'form#create-organization #slug': ORG.slug });
    await submit(ap, '#create-organization-submit', 'the create-organization button');
    check(new URL(ap.url()).pathname === `/manage/${ORG.slug}`, `creating the organization landed on ${ap.url()}`);
    return ap.url();
  });

  await step(ap, 'cohort-group', `1a. a closed grief group in ${MADRID}: cap ${COHORT.cap}, ${COHORT.sessions} sessions from Tuesday ${starts}`, async () => {
    await open(ap, `/manage/${ORG.slug}/groups/new`);
    await fill(ap, {
      '#group-form #name': COHORT.name, '#group-form #slug': COHORT.slug,
      '#group-form #description': 'A closed cohort for people grieving a loss, eight sessions together.',
      '#group-form input[name="topics"][value="grief"]': true,
      '#group-form input[name="format"][value="in_person"]': true,
      '#group-form #weekday': 'tue', '#group-form #start': COHORT.clock, '#group-form #duration': '90',
      '#group-form input[name="policy"][value="closed"]': true,
      '#group-form #enrollment_cap': String(COHORT.cap), '#group-form #sessions': String(COHORT.sessions),
      '#group-form #opens': today, '#group-form #closes': addDays(starts, -1), '#group-form #starts': starts,
      '#group-form #address': 'Calle de Atocha 1', '#group-form #city': 'Madrid', '#group-form #postal_code': '28012',
      '#group-form #country': 'ES', '#group-form #lat': '40.4146', '#group-form #lon': '-3.7004',
      '#group-form #time_zone': MADRID,
      '#group-form input[name="languages"][value="es"]': true,
    });
    await submit(ap, '#group-submit', 'the create-group button');
    check(new URL(ap.url()).pathname === `/groups/${COHORT.slug}`, `creating the group landed on ${ap.url()}`);
    const policy = await ap.locator('article#group').getAttribute('data-policy');
    check(policy === 'closed', `article#group data-policy="${policy}" on ${ap.url()}, want closed`);
    return ap.url();
  });

  await step(ap, 'cohort-meetings', '1a. on the meetings page the cohort meets every other Tuesday at 18:30, 8 times (plain form fields)', async () => {
    await open(ap, `/groups/${COHORT.slug}/meetings`);
    const arts = ap.locator('#schedules article.meeting');
    check((await arts.count()) === 1, `#schedules has ${await arts.count()} article.meeting on ${ap.url()}, want the group's one default meeting`);
    cohortMeeting = (await arts.first().getAttribute('id')).replace('meeting-', '');
    const f = `#m${cohortMeeting}-form`;
    await arts.first().locator('summary').click(); // open the <details> holding the edit form
    await fill(ap, {
      [`${f} input[name="frequency"][value="biweekly"]`]: true, [`${f} #m${cohortMeeting}-day`]: 'tue',
      [`${f} #m${cohortMeeting}-start_date`]: starts, [`${f} #m${cohortMeeting}-start_time`]: COHORT.clock,
      [`${f} #m${cohortMeeting}-duration_minutes`]: '90',
      [`${f} input[name="ends"][value="count"]`]: true, [`${f} #m${cohortMeeting}-count`]: String(COHORT.sessions),
    });
    await submit(ap, `#m${cohortMeeting}-submit`, 'the save-meeting button');
    // Occurrence links end in the start's Unix seconds.
    const hrefs = await ap.locator(`#meeting-${cohortMeeting} ul.occurrences li a`).evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    check(hrefs.length >= 1, `#meeting-${cohortMeeting} lists no upcoming date on ${ap.url()}`);
    const first = wall(Number(hrefs[0].split('/').pop()) * 1000, MADRID);
    check(first.date === starts && first.clock === COHORT.clock, `the first listed date is ${first.date} ${first.clock} in Madrid (${hrefs[0]}), want ${starts} ${COHORT.clock}`);
    const rule = norm(await ap.locator(`#meeting-${cohortMeeting} > p`).first().innerText());
    check(rule.includes(String(COHORT.sessions)), `the schedule reads "${rule}", without its ${COHORT.sessions} sessions`);
    return `"${rule}"; ${await audit(ap, [[`#new-submit`, 'the add-meeting button'], ['#policy-submit', 'the link-policy button']])}`;
  });

  await step(ap, 'cohort-intake', '1a. one intake question on the members page', async () => {
    await open(ap, `/groups/${COHORT.slug}/members`);
    await fill(ap, { '#intake-form #prompt_1': QUESTION, '#intake-form #required_1': true });
    await submit(ap, '#intake-submit', 'the save-questions button');
    const v = await ap.locator('#intake-form #prompt_1').inputValue();
    check(v === QUESTION, `after saving, #prompt_1 holds "${v}"`);
    const seats = await textOf(ap, '#seats-summary', 'seats summary');
    return `seats: "${seats}"; ${await audit(ap, [['#intake-submit', 'the save-questions button'], ['#new-cohort-submit', 'the new-cohort button'], ['#settings-submit', 'the seat-settings button']])}`;
  });

  // The anxiety group meets weekly two days from now at 19:00 Chicago time:
  // never within the 30-minute lead time while this test runs.
  const anxietyDay = wall(now + 2 * DAY, ANXIETY.zone).weekday.toLowerCase();
  await step(ap, 'anxiety-group', `1b. an open online anxiety group in ${ANXIETY.zone}, weekly on ${anxietyDay} at 19:00`, async () => {
    await open(ap, `/manage/${ORG.slug}/groups/new`);
    await fill(ap, {
      '#group-form #name': ANXIETY.name, '#group-form #slug': ANXIETY.slug,
      '#group-form #description': 'An open online group for anyone living with anxiety. Come as you are.',
      '#group-form input[name="topics"][value="anxiety"]': true,
      '#group-form input[name="format"][value="online"]': true,
      '#group-form #weekday': anxietyDay, '#group-form #start': '19:00', '#group-form #duration': '60',
      '#group-form input[name="policy"][value="open"]': true,
      '#group-form #city': 'Chicago', '#group-form #region': 'IL', '#group-form #country': 'US',
      '#group-form #time_zone': ANXIETY.zone,
    });
    await submit(ap, '#group-submit', 'the create-group button');
    check(new URL(ap.url()).pathname === `/groups/${ANXIETY.slug}`, `creating the group landed on ${ap.url()}`);
    await open(ap, `/groups/${ANXIETY.slug}/meetings`);
    const arts = ap.locator('#schedules article.meeting');
    check((await arts.count()) === 1, `#schedules has ${await arts.count()} meetings on ${ap.url()}, want 1`);
    anxietyMeeting = (await arts.first().getAttribute('id')).replace('meeting-', '');
    await arts.first().locator('summary').click();
    await fill(ap, { [`#m${anxietyMeeting}-conference_url`]: SECRET });
    await submit(ap, `#m${anxietyMeeting}-submit`, 'the save-meeting button');
    // A one-off starting in 10 minutes, to see the personal link itself.
    const soon = wall(now + 10 * 60_000, ANXIETY.zone);
    await fill(ap, {
      '#new-title': 'Drop-in check-in', '#new-form input[name="frequency"][value="once"]': true,
      '#new-start_date': soon.date, '#new-start_time': soon.clock, '#new-duration_minutes': '30',
      '#new-form input[name="mode"][value="online"]': true, '#new-conference_url': SOON_SECRET,
    });
    await submit(ap, '#new-submit', 'the add-meeting button');
    check((await arts.count()) === 2, `after adding the one-off, #schedules has ${await arts.count()} meetings, want 2`);
    const policy = await textOf(ap, '#policy-now', 'link policy statement');
    check(policy === norm(T('meetings.policy_protected_now', { count: 30 })),
      `#policy-now reads "${policy}", want the protected policy with 30 minutes`);
    return `weekly meeting ${anxietyMeeting} with a protected link, one-off at ${soon.date} ${soon.clock}; "${policy}"`;
  });

  // ---------------------------------------------------------------- 2. cohort

  const ids = {};
  async function applyTo(p, pseudonym, answer, auditIt) {
    await signup(p);
    await open(p.page, `/groups/${COHORT.slug}`);
    await submit(p.page, 'a#apply-link', 'the apply link');
    check(new URL(p.page.url()).pathname === `/groups/${COHORT.slug}/apply`, `the apply link led to ${p.page.url()}`);
    const sessions = await textOf(p.page, '#cohort-sessions', 'number of sessions');
    check(sessions.includes(String(COHORT.sessions)), `#cohort-sessions "${sessions}" does not say ${COHORT.sessions}`);
    const label = norm(await p.page.locator('#intake label').first().textContent());
    check(label.includes(QUESTION), `the intake question label is "${label}", want "${QUESTION}"`);
    let note = '';
    if (auditIt) note = await audit(p.page, [['#apply-submit', 'the send-application button']]);
    await fill(p.page, { '#apply #pseudonym': pseudonym, '#intake textarea': answer, '#commit_sessions': true, '#accept_guidelines': true });
    await submit(p.page, '#apply-submit', 'the send-application button');
    const status = await textOf(p.page, '#membership-status', 'membership status');
    check(status === norm(T('membership.status.applicant', { name: pseudonym })), `after applying #membership-status reads "${status}"`);
    return note;
  }
  async function approve(pseudonym, answer) {
    await open(ap, `/groups/${COHORT.slug}/members`);
    const art = ap.locator('#applicants article.applicant', { has: ap.locator(`h3:text-is("${pseudonym}")`) });
    check((await art.count()) === 1, `no applicant article for "${pseudonym}" in #applicants on ${ap.url()}`);
    const answers = norm(await art.locator('dl').innerText());
    check(answers.includes(QUESTION) && answers.includes(answer), `the facilitator does not read ${pseudonym}'s answer "${answer}" under "${QUESTION}": "${answers}"`);
    const id = (await art.getAttribute('id')).replace('applicant-', '');
    ids[pseudonym] = id;
    await fill(ap, { [`#approve-message-${id}`]: `Welcome, ${pseudonym}.` });
    await submit(ap, `#approve-${id}`, `the approve button for ${pseudonym}`);
  }

  const answers = { Alba: 'My mother, since March.', Bruno: 'My partner, last year.', Carmen: 'My brother, two months ago.' };
  await step(a.page, 'apply', '2. Alba signs up and applies to the cohort with an answer (apply page audited)', async () =>
    applyTo(a, 'Alba', answers.Alba, true));
  await step(b.page, 'apply-b', '2. Bruno signs up and applies too', async () => applyTo(b, 'Bruno', answers.Bruno, false));

  await step(ap, 'approve', '2. the facilitator reads both answers and approves both: 2 of 2 seats taken', async () => {
    await approve('Alba', answers.Alba);
    await approve('Bruno', answers.Bruno);
    const seats = await textOf(ap, '#seats-summary', 'seats summary');
    check(seats.includes(norm(T('members.seats', { taken: 2, cap: COHORT.cap }))), `#seats-summary "${seats}" does not say 2 of ${COHORT.cap}`);
    const active = await ap.locator('#active-list tbody th').allInnerTexts();
    check(['Alba', 'Bruno'].every((n) => active.some((x) => x.includes(n))), `#active-list shows ${active.join(', ')}, want Alba and Bruno`);
    return `"${seats}"`;
  });

  await step(c.page, 'waitlisted', '2. Carmen applies and is approved into a full cohort: her page says she is number 1 in line', async () => {
    await applyTo(c, 'Carmen', answers.Carmen, false);
    await approve('Carmen', answers.Carmen);
    await open(c.page, `/groups/${COHORT.slug}/membership`);
    const status = await textOf(c.page, '#membership-status', 'membership status');
    check(status === norm(T('membership.status.waitlisted', { name: 'Carmen' })), `#membership-status reads "${status}", want waitlisted`);
    const place = await textOf(c.page, '#place-in-line', 'place in line');
    check(place === norm(T('membership.place', { position: 1, total: 1 })), `#place-in-line reads "${place}", want number 1 of 1`);
    return `"${place}"; ${await audit(c.page, [])}`;
  });

  await step(b.page, 'leave-confirm', '2. Bruno leaves: the confirmation page says what happens (his seat is offered)', async () => {
    await open(b.page, `/groups/${COHORT.slug}/membership`);
    await submit(b.page, 'a#leave-link', 'the leave link');
    const what = norm(await (await one(b.page, '#leave-what-happens', 'what-happens section')).innerText());
    for (const k of ['leave.at_once', 'leave.answers', 'leave.seat', 'leave.come_back_closed']) {
      check(what.includes(norm(T(k))), `#leave-what-happens on ${b.page.url()} does not say "${T(k)}"`);
    }
    const note = await audit(b.page, [['#leave-submit', 'the leave button']]);
    await submit(b.page, '#leave-submit', 'the leave button');
    return note;
  });

  await step(c.page, 'offer', '2. Carmen sees an offer with a deadline and accepts it: she is seated', async () => {
    await open(c.page, `/groups/${COHORT.slug}/membership`);
    const offer = norm(await (await one(c.page, '#offer', 'seat offer')).innerText());
    check(offer.includes(lead('membership.offer_until')), `#offer "${offer}" has no deadline ("${T('membership.offer_until')}")`);
    // The default offer holds 48 hours: the deadline is the day two days from now.
    const due = new Intl.DateTimeFormat('en-US', { timeZone: MADRID, weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' })
      .format(new Date(Date.now() + 48 * 3600_000));
    check(offer.includes(due), `#offer "${offer}" does not give ${due} (48 hours from now) as its deadline`);
    const note = await audit(c.page, [['#accept-offer-submit', 'the accept-offer button'], ['#decline-offer-submit', 'the decline-offer button']]);
    await submit(c.page, '#accept-offer-submit', 'the accept-offer button');
    const status = await textOf(c.page, '#membership-status', 'membership status');
    check(status === norm(T('membership.status.active', { name: 'Carmen' })), `after accepting #membership-status reads "${status}"`);
    const history = norm(await (await one(c.page, '#history-list', "Carmen's history")).innerText());
    for (const [k, p] of [['membership.event.waitlisted', { position: 1 }], ['membership.event.offer_accepted', {}]]) {
      check(history.includes(norm(T(k, p))), `#history-list on ${c.page.url()} does not say "${T(k, p)}": "${history}"`);
    }
    return `offer "${offer.slice(0, 90)}…"; ${note}`;
  });

  await step(c.page, 'notices', "2. Carmen's notices say she queued, was offered a seat and has it; she marks them read", async () => {
    await open(c.page, '/notices');
    const items = (await c.page.locator('#notice-list li').allInnerTexts()).map(norm);
    for (const want of [T('notice.waitlist_joined', { group: COHORT.name }), T('notice.waitlist_offer', { group: COHORT.name }).split('{when}')[0],
      T('notice.seat_confirmed', { group: COHORT.name })]) {
      check(items.some((x) => x.includes(norm(want))), `#notice-list on ${c.page.url()} has no notice "${want}":\n  ${items.join('\n  ')}`);
    }
    const note = await audit(c.page, [['#mark-read-submit', 'the mark-all-read button']]);
    await submit(c.page, '#mark-read-submit', 'the mark-all-read button');
    const unread = await c.page.locator('#notice-list li.unread').count();
    check(unread === 0, `after "mark all read" ${unread} notices are still unread on ${c.page.url()}`);
    return `${items.length} notices (line, offer, seat), all marked read; ${note}`;
  });

  await step(ap, 'members-after', '2. the members page: Alba and Carmen seated, nobody waiting, each step of the line recorded', async () => {
    await open(ap, `/groups/${COHORT.slug}/members`);
    const active = norm(await ap.locator('#active-list tbody').innerText());
    check(active.includes('Alba') && active.includes('Carmen') && !active.includes('Bruno'), `#active-list reads "${active}"`);
    await one(ap, '#no-waitlist', 'empty waitlist');
    // The history, oldest first: Carmen queued as number 1, a member left,
    // Carmen was offered the seat and took it.
    const events = (await ap.locator('#event-list li').allInnerTexts()).map(norm);
    const at = (what, want) => {
      const i = events.findIndex((e) => e.includes(want));
      check(i >= 0, `#event-list on ${ap.url()} does not record ${what} ("${want}"):\n  ${events.join('\n  ')}`);
      return i;
    };
    const order = [
      at('Carmen joining the line', T('members.event.waitlisted', { name: 'Carmen', position: 1 })),
      at('a member leaving', T('members.event.left', { name: '\u0000' }).split('\u0000').pop()),
      at('the offer to Carmen', T('members.event.offered', { name: 'Carmen', position: 1 }).split('{when}')[0]),
      at('Carmen taking the seat', T('members.event.offer_accepted', { name: 'Carmen' })),
    ];
    const sorted = [...order].sort((x, y) => x - y);
    const ascending = order.every((v, i) => v === sorted[i]);
    const descending = order.every((v, i) => v === sorted[sorted.length - 1 - i]);
    check(ascending || descending, `#event-list records the line, the leaving, the offer and the seat out of order (rows ${order.join(', ')})`);
    return `${events.length} events recorded; ${await audit(ap, [['#settings-submit', 'the seat-settings button']])}`;
  });

  // ---------------------------------------------------------------- 3. the open online group

  let nextPath, soonPath;
  await step(a.page, 'join-anxiety', `3. Alba joins "${ANXIETY.name}" (pseudonym, guidelines)`, async () => {
    await open(a.page, `/groups/${ANXIETY.slug}`);
    await mustNotShow(a.page, SECRET, 'a signed-in non-member');
    await fill(a.page, { 'form#join #pseudonym': 'Alba', 'form#join #accept_guidelines': true });
    await submit(a.page, 'form#join #join-submit', 'the join button');
    const status = await textOf(a.page, '#membership-status', 'membership status');
    check(status.includes('Alba'), `#membership-status "${status}" does not name Alba`);
    const links = await a.page.locator('#upcoming-meetings ul.occurrences li a').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    nextPath = links.find((h) => h.includes(`/meetings/${anxietyMeeting}/`));
    soonPath = links.find((h) => !h.includes(`/meetings/${anxietyMeeting}/`));
    check(nextPath && soonPath, `#upcoming-meetings on ${a.page.url()} lacks the weekly and the one-off occurrence: ${links.join(' ')}`);
    await mustNotShow(a.page, SECRET, 'a member on the group page');
    // Alba lives in Madrid: she asks for times in her zone too.
    await fill(a.page, { 'form#tz-form #tz': MADRID });
    await submit(a.page, 'form#tz-form button[type="submit"]', 'the show-times button');
    return `next ${nextPath}, one-off ${soonPath}; times also in ${MADRID}`;
  });

  await step(a.page, 'rsvp', '3. Alba RSVPs to the next weekly occurrence; outside the lead time the page says when the link appears', async () => {
    await open(a.page, nextPath);
    const note = await audit(a.page, [['#rsvp-take', 'the RSVP button']]);
    await submit(a.page, '#rsvp-take', 'the RSVP button');
    await one(a.page, '#rsvp-status', 'RSVP status');
    const state = await a.page.locator('#link').getAttribute('data-state');
    check(state === 'not_yet', `#link data-state="${state}" on ${a.page.url()}, want not_yet (the meeting is two days away)`);
    const msg = norm(await a.page.locator('#link').innerText());
    check(msg.includes(lead('occurrence.link_not_yet')), `#link reads "${msg}", want "${T('occurrence.link_not_yet')}"`);
    check((await a.page.locator('#link a[href^="/go/"]').count()) === 0, `#link already offers a /go/ link on ${a.page.url()}`);
    await mustNotShow(a.page, SECRET, 'a member before the lead time');
    // Shown in the group's zone and in hers: the same instant on her clock.
    const at = Number(nextPath.split('/').pop()) * 1000;
    const hers = new Intl.DateTimeFormat('en-US', { timeZone: MADRID, hour: 'numeric', minute: '2-digit' }).format(new Date(at));
    const yours = await textOf(a.page, '#your-time', 'the time in her own zone');
    check(yours.includes(hers) && yours.endsWith(T('meetings.your_time').split('}').pop().trim()),
      `#your-time on ${a.page.url()} reads "${yours}", want ${hers} (${MADRID})`);
    return `"${msg}"; "${yours}"; ${note}`;
  });

  await step(a.page, 'golink', '3. inside the lead time (the one-off in 10 minutes) Alba gets a personal /go/ link', async () => {
    await open(a.page, soonPath);
    const state = await a.page.locator('#link').getAttribute('data-state');
    check(state === 'open', `#link data-state="${state}" on ${a.page.url()}, want open (starts within 30 minutes)`);
    const href = await (await one(a.page, '#link a#join-link', 'join link')).getAttribute('href');
    check(/^\/go\/[A-Za-z0-9_-]{16,}$/.test(href), `a#join-link href="${href}", want a personal /go/<token> path`);
    await mustNotShow(a.page, SOON_SECRET, 'a member (only the /go/ link, not the raw link)');
    const resp = await fetch(url(href), { redirect: 'manual' });
    const loc = resp.headers.get('location');
    check(resp.status >= 300 && resp.status < 400 && loc === SOON_SECRET, `GET ${href} answered ${resp.status} → ${loc}, want a redirect to the one-off's link`);
    return `${href} → ${resp.status} ${loc}`;
  });

  await step(visitor.page, 'visitor', '3. a logged-out visitor sees neither link on the group page nor on the occurrence pages', async () => {
    for (const p of [`/groups/${ANXIETY.slug}`, nextPath, soonPath, `/groups/${ANXIETY.slug}/calendar.ics`]) {
      const resp = await fetch(url(p));
      const body = await resp.text();
      check(resp.status === 200, `GET ${p} logged out answered ${resp.status}`);
      check(!body.includes(SECRET), `logged out, GET ${p} contains the protected link`);
    }
    await open(visitor.page, soonPath);
    await mustNotShow(visitor.page, SECRET, 'a logged-out visitor');
    const state = await visitor.page.locator('#link').getAttribute('data-state');
    check(state === 'members_only', `logged out, #link data-state="${state}" on ${visitor.page.url()}, want members_only`);
    check((await visitor.page.locator('a[href^="/go/"]').count()) === 0, `a logged-out visitor is offered a /go/ link on ${visitor.page.url()}`);
    return `data-state ${state}`;
  });

  // ---------------------------------------------------------------- 4. calendars

  await step(null, 'cohort-ics', `4. /groups/${COHORT.slug}/calendar.ics: 8 Tuesdays 14 days apart at 18:30 Madrid, across the DST change`, async () => {
    const { occ, text } = await calendar(`/groups/${COHORT.slug}/calendar.ics`, now - 30 * DAY, now + 400 * DAY);
    check(!text.includes('Alba') && !text.includes('Carmen'), 'the public cohort calendar names a member');
    const mine = occ.filter((o) => o.uid.startsWith(`meeting-${cohortMeeting}@`) || o.uid.startsWith(`meeting-${cohortMeeting}-`));
    check(mine.length === COHORT.sessions, `ical.js expands ${mine.length} cohort occurrences, want ${COHORT.sessions}: ${mine.map((o) => o.iso).join(' ')}`);
    for (const [i, o] of mine.entries()) {
      const w = wall(o.start, MADRID);
      check(w.weekday === 'Tue' && w.clock === COHORT.clock, `occurrence ${i + 1} (${o.iso}) is ${w.weekday} ${w.clock} in Madrid, want Tue ${COHORT.clock}`);
      check(w.date === addDays(starts, 14 * i), `occurrence ${i + 1} is on ${w.date}, want ${addDays(starts, 14 * i)}`);
    }
    // Sessions 3 and 4 straddle the change: same wall clock, different UTC hour.
    const [s3, s4] = [mine[2], mine[3]];
    const [o3, o4] = [offset(s3.start, MADRID), offset(s4.start, MADRID)];
    check(o3 !== o4, `sessions 3 and 4 (${s3.iso}, ${s4.iso}) do not straddle a daylight-saving change`);
    const utc = (ms) => new Date(ms).toISOString().slice(11, 16);
    const want = (off) => { const m = ((18 * 60 + 30 - off) % 1440 + 1440) % 1440; return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`; };
    check(utc(s3.start) === want(o3) && utc(s4.start) === want(o4), `session 3 at ${utc(s3.start)}Z, 4 at ${utc(s4.start)}Z; want ${want(o3)}Z and ${want(o4)}Z`);
    return `${mine[0].iso} … ${mine.at(-1).iso}; session 3 ${utc(s3.start)}Z (UTC${o3 / 60 >= 0 ? '+' : ''}${o3 / 60}), session 4 ${utc(s4.start)}Z (UTC+${o4 / 60})`;
  });

  await step(a.page, 'private-ics', "4. Alba's private calendar (from /account/calendar) has her cohort and her anxiety group", async () => {
    await open(a.page, '/account/calendar');
    const note = await audit(a.page, [['#calendar-new-submit', 'the make-calendar button']]);
    await submit(a.page, '#calendar-new-submit', 'the make-calendar button');
    const addr = await textOf(a.page, 'code#calendar-url', 'private calendar address');
    check(addr.startsWith(BASE + '/calendar/'), `code#calendar-url is "${addr}", want ${BASE}/calendar/…`);
    const shown = await axe(a.page); // the page showing the new address once
    const { occ, events, text } = await calendar(addr, now - DAY, now + 400 * DAY);
    const urls = events.map((e) => e.url).join(' ');
    check(urls.includes(`/groups/${COHORT.slug}/`), `the private feed has no event of ${COHORT.slug}: URLs ${urls}`);
    check(urls.includes(`/groups/${ANXIETY.slug}/`), `the private feed has no event of ${ANXIETY.slug}: URLs ${urls}`);
    check(!text.includes(SECRET), 'the private feed carries the raw protected link');
    const cohortOcc = occ.filter((o) => o.uid.startsWith(`meeting-${cohortMeeting}`));
    check(cohortOcc.length === COHORT.sessions, `the private feed expands ${cohortOcc.length} cohort sessions, want ${COHORT.sessions}`);
    const other = await fetch(url(`/calendar/not-a-real-secret.ics`));
    check(other.status === 404 || other.status === 403, `a made-up calendar address answered ${other.status}`);
    return `${events.length} events, ${occ.length} occurrences within 400 days; before: ${note}; with the address: ${shown}`;
  });

  // ---------------------------------------------------------------- 5. Meeting Guide

  await step(null, 'meeting-guide', '5. /feeds/meeting-guide.json: the open anxiety group weekly, no link, url to its page; the biweekly cohort left out', async () => {
    const resp = await fetch(url('/feeds/meeting-guide.json'));
    check(resp.status === 200, `GET /feeds/meeting-guide.json answered ${resp.status}`);
    const body = await resp.text();
    const rows = JSON.parse(body);
    check(Array.isArray(rows), 'the Meeting Guide feed is not a JSON array');
    check(!body.includes(SECRET), 'the Meeting Guide feed carries the protected conference link');
    const groupURL = `${BASE}/groups/${ANXIETY.slug}`;
    const anx = rows.filter((r) => r.url === groupURL);
    check(anx.length === 1, `${anx.length} rows have url ${groupURL}, want 1 (the weekly meeting; the one-off is not weekly): ${JSON.stringify(rows.map((r) => r.url))}`);
    const r = anx[0];
    const dayNo = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].indexOf(anxietyDay);
    check(r.day === dayNo && r.time === '19:00' && r.end_time === '20:00' && r.timezone === ANXIETY.zone,
      `anxiety row day=${r.day} time=${r.time} end_time=${r.end_time} timezone=${r.timezone}; want ${dayNo} 19:00 20:00 ${ANXIETY.zone}`);
    check(!('conference_url' in r) && !('conference_phone' in r), `the protected anxiety row has ${JSON.stringify({ c: r.conference_url, p: r.conference_phone })}`);
    check(Array.isArray(r.types) && r.types.includes('O') && !r.types.includes('C'), `anxiety row types ${JSON.stringify(r.types)}, want O and not C`);
    check(r.slug === ANXIETY.slug && r.name === ANXIETY.name, `anxiety row slug=${r.slug} name=${r.name}`);
    check(r.entity === ORG.name, `anxiety row entity="${r.entity}", want "${ORG.name}"`);
    // Meeting Guide carries weekly meetings only: the every-other-week cohort is left out.
    const cohort = rows.filter((x) => x.url?.includes(`/groups/${COHORT.slug}`) || x.slug?.startsWith(COHORT.slug));
    check(cohort.length === 0, `the biweekly cohort is in the Meeting Guide feed: ${JSON.stringify(cohort)}`);
    return `${rows.length} rows; anxiety ${JSON.stringify({ day: r.day, time: r.time, types: r.types, url: r.url })}`;
  });

  for (const p of [admin, a, b, c, visitor]) await p.context.close();
}

// fetch and parse an iCalendar feed with ical.js; expand every event's
// occurrences starting in [from, to) (Unix ms) by ical.js's own rules.
async function calendar(address, from, to) {
  const resp = await fetch(url(address));
  check(resp.status === 200, `GET ${address} answered ${resp.status}`);
  const type = resp.headers.get('content-type') ?? '';
  check(type.startsWith('text/calendar'), `GET ${address} has content-type "${type}"`);
  const text = await resp.text();
  let root;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (e) {
    throw new CheckFailed(`ical.js cannot parse ${address}: ${e.message}`);
  }
  check(root.name === 'vcalendar', `${address} is a ${root.name}, not a VCALENDAR`);
  for (const vtz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  const masters = [];
  const overrides = new Map();
  for (const ve of root.getAllSubcomponents('vevent')) {
    const uid = String(ve.getFirstPropertyValue('uid'));
    if (ve.hasProperty('recurrence-id')) overrides.set(uid, [...(overrides.get(uid) ?? []), ve]);
    else masters.push(ve);
  }
  const events = [];
  const occ = [];
  for (const ve of masters) {
    const ev = new ICAL.Event(ve);
    for (const ex of overrides.get(ev.uid) ?? []) ev.relateException(ex);
    events.push({ uid: ev.uid, summary: ev.summary, url: String(ve.getFirstPropertyValue('url') ?? '') });
    const it = ev.iterator();
    for (let t = it.next(), n = 0; t && n < 2000; t = it.next(), n++) {
      const d = ev.getOccurrenceDetails(t);
      const start = d.startDate.toJSDate().getTime();
      if (start >= to) break;
      if (start >= from) occ.push({ uid: ev.uid, start, iso: new Date(start).toISOString() });
    }
  }
  occ.sort((x, y) => x.start - y.start);
  return { occ, events, text };
}

// ------------------------------------------------------------------ main

async function main() {
  await run({
    out: OUT, executablePath: CHROMIUM, current,
    walk: async (browser) => {
      console.log(`facilitator.mjs against ${BASE}, Chromium ${browser.version()}, output in ${OUT}`);
      await walk(browser);
    },
  });
  console.log(`facilitator.mjs: all steps passed (of which screenshots ${shotMs} ms, axe ${timing.axe} ms, Tab walks ${timing.tab} ms)`);
}

await main();
