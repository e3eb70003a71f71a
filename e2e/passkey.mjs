// Passkeys in a real browser (issue 7 §3): headless Chromium with a
// virtual authenticator (the DevTools protocol's WebAuthn domain: CTAP2,
// resident keys, user verification) and Hearth's own passkey.js. A site
// admin signs in with their password (staff rule on, so their staff powers
// wait), adds a passkey on /account/security with the keyboard, signs out,
// and signs in with the passkey alone — with staff powers. Run by
// e2e/passkey_test.go; by hand against a server with a site admin:
//
//   HEARTH_E2E_ADMIN=handle HEARTH_E2E_ADMIN_PASSWORD=… \
//     node e2e/passkey.mjs http://localhost:8080 /tmp/hearth-shots
//
// Use http://localhost (not 127.0.0.1): a passkey belongs to a host name.
// axe-core checks the sign-in, second-step and security pages; the page's
// CSP stays on and any violation of it fails. Each step prints one line and leaves a PNG in OUT_DIR; the first failed
// assertion prints FAIL and saves failure-<step>.png/.html, exit 1.
// Wording comes from the English catalog. Environment: HEARTH_CHROMIUM.

import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import path from 'node:path';
import { check, run } from './walk.mjs';

const require = createRequire(import.meta.url);

const HERE = path.dirname(fileURLToPath(import.meta.url));
const [baseArg, outArg] = process.argv.slice(2);
const ADMIN = process.env.HEARTH_E2E_ADMIN;
const ADMIN_PASSWORD = process.env.HEARTH_E2E_ADMIN_PASSWORD;
if (!baseArg || !outArg || !ADMIN || !ADMIN_PASSWORD) {
  console.error('usage: HEARTH_E2E_ADMIN=h HEARTH_E2E_ADMIN_PASSWORD=p node e2e/passkey.mjs BASE_URL OUT_DIR');
  process.exit(2);
}
const BASE = new URL(baseArg).origin;
const OUT = path.resolve(outArg);
const CHROMIUM = process.env.HEARTH_CHROMIUM || '/usr/bin/chromium';

const current = { page: null, id: 'startup', title: 'starting the browser' };

const catalog = {};
{
  const dir = path.join(HERE, '..', 'internal', 'i18n', 'locales', 'en');
  for (const f of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    Object.assign(catalog, JSON.parse(await readFile(path.join(dir, f), 'utf8')));
  }
}
function T(key) {
  const s = catalog[key];
  check(typeof s === 'string', `catalog key ${key} is missing`);
  return s;
}

// axe-core on the page as it is, run through the DevTools protocol (the
// page keeps its Content-Security-Policy: no script is added to it); a
// violation fails.
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
let axeSource;
async function axe(page) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const r = await page.evaluate(async (tags) => {
    const out = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return out.violations.map((v) => `${v.id} [${v.impact}] ${v.help} — ${v.nodes.slice(0, 3).map((x) => x.target.join(' ')).join(' | ')}`);
  }, AXE_TAGS);
  check(r.length === 0, `axe on ${page.url()}:\n  - ${r.join('\n  - ')}`);
}

let n = 0;
async function step(page, id, title, fn) {
  current.page = page;
  current.id = id;
  current.title = title;
  const t0 = Date.now();
  await fn();
  n++;
  await page.screenshot({ path: path.join(OUT, `${String(n).padStart(2, '0')}-${id}.png`), fullPage: true });
  console.log(`ok ${n} ${title} (${Date.now() - t0} ms)`);
}

async function walk(browser) {
  const context = await browser.newContext({ locale: 'en-US', serviceWorkers: 'block' });
  const page = await context.newPage();
  const cspErrors = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });

  await step(page, 'password', 'the admin signs in with the password; staff powers wait for a second factor', async () => {
    await page.goto(`${BASE}/signin/passkey`);
    check(await page.locator('#passkey-signin').isVisible(), 'the passkey sign-in button is not shown with JavaScript on');
    check(await page.locator('#passkeys-unsupported').isHidden(), 'the page says this browser cannot use passkeys');
    await axe(page);
    await page.goto(`${BASE}/signin`);
    check(await page.locator('#passkey-signin-link a').count() === 1, 'the sign-in page does not link to the passkey sign-in');
    await axe(page);
    await page.fill('#login', ADMIN);
    await page.fill('#password', ADMIN_PASSWORD);
    // Staff without a second factor are sent to the security page.
    await Promise.all([page.waitForURL((u) => u.pathname === '/account/security'), page.click('#signin-submit')]);
    check(await page.locator('#second-factor-required').count() === 1, 'the security page does not say staff powers wait');
    check(await page.locator('#passkey-add').isVisible(), 'the add-a-passkey form is hidden with JavaScript on');
  });

  await step(page, 'add', 'a passkey is added from the keyboard, and this session gets staff powers', async () => {
    await page.focus('#passkey-name');
    await page.keyboard.type('Laptop');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.id);
    check(focused === 'passkey-password', `Tab from the name went to ${focused}, not the password`);
    await page.keyboard.type(ADMIN_PASSWORD);
    await Promise.all([page.waitForURL(/#passkeys$/, { timeout: 20_000 }), page.keyboard.press('Enter')]);
    await page.waitForSelector('#passkey-list li[id^="passkey-"]');
    const list = await page.locator('#passkey-list').innerText();
    check(list.includes('Laptop'), `the list does not show the passkey: ${list}`);
    check((await page.content()).includes(T('flash.passkey_added')), 'no notice that the passkey was added');
    check(await page.locator('#second-factor-required').count() === 0, 'staff powers still wait after adding a passkey');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    check(credentials.length === 1 && credentials[0].isResidentCredential, `authenticator holds ${JSON.stringify(credentials.map((c) => c.isResidentCredential))}`);
    check(credentials[0].rpId === new URL(BASE).hostname, `the passkey is for ${credentials[0].rpId}`);
    await axe(page);
  });

  await step(page, 'wrong-password', 'a wrong password adds nothing and says why, announced', async () => {
    await page.fill('#passkey-name', 'Other');
    await page.fill('#passkey-password', 'not the password');
    await page.click('#passkey-add-submit');
    const err = page.locator('#passkey-add [data-passkey-error]');
    await err.filter({ hasText: T('passkeys.field.password.wrong') }).waitFor({ timeout: 10_000 });
    check(await err.getAttribute('role') === 'alert', 'the error is not announced');
    check(await page.locator('#passkey-password').getAttribute('aria-invalid') === 'true', 'the password field is not marked invalid');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    check(credentials.length === 1, `${credentials.length} credentials after a refused attempt`);
  });

  await step(page, 'signout', 'the admin signs out', async () => {
    await Promise.all([page.waitForURL(`${BASE}/`), page.click('form[action="/signout"] button')]);
    await page.goto(`${BASE}/account`);
    check(page.url().includes('/signin'), `still signed in: ${page.url()}`);
  });

  await step(page, 'passwordless', 'the passkey alone signs the admin in, with staff powers', async () => {
    await page.goto(`${BASE}/signin?next=/account/security`);
    await Promise.all([page.waitForURL((u) => u.pathname === '/signin/passkey'), page.click('#passkey-signin-link a')]);
    await Promise.all([page.waitForURL((u) => u.pathname === '/account/security', { timeout: 20_000 }), page.click('#passkey-signin-submit')]);
    const body = await page.content();
    check(body.includes(T('flash.signed_in')), 'no signed-in notice');
    check(await page.locator('#second-factor-required').count() === 0, 'the passkey sign-in has no staff powers');
    check((await page.locator('#passkey-list').innerText()).includes('Laptop'), 'not the admin\'s security page');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    check(credentials[0].signCount >= 1, `sign count ${credentials[0].signCount}`);
  });

  await step(page, 'second-step', 'after the password, the passkey is asked for and signs in', async () => {
    await Promise.all([page.waitForURL(`${BASE}/`), page.click('form[action="/signout"] button')]);
    await page.goto(`${BASE}/signin`);
    await page.fill('#login', ADMIN);
    await page.fill('#password', ADMIN_PASSWORD);
    await page.click('#signin-submit');
    await page.waitForSelector('#passkey-second-submit');
    check(await page.locator('#signin-code').count() === 0, 'a code form is shown to an account without an app');
    await axe(page);
    await Promise.all([page.waitForURL((u) => u.pathname === '/account', { timeout: 20_000 }), page.click('#passkey-second-submit')]);
    await page.goto(`${BASE}/account/security`);
    check(await page.locator('#second-factor-required').count() === 0, 'the two-step sign-in has no staff powers');
    check(cspErrors.length === 0, `Content-Security-Policy violations: ${cspErrors.join('; ')}`);
  });
}

async function main() {
  await run({
    out: OUT, executablePath: CHROMIUM, current,
    walk: async (browser) => {
      console.log(`passkey.mjs against ${BASE}, Chromium ${browser.version()}, output in ${OUT}`);
      await walk(browser);
    },
  });
  console.log(`passkey.mjs: all ${n} steps passed`);
}

await main();
