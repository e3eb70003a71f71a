// walk.mjs — what every browser walk (newcomer, facilitator, room, board,
// passkey) shares: a check that fails the walk with a message a person can
// read, and the run around the walk — start Debian's Chromium headless,
// and on a failure say which step, keep the failing page (PNG and HTML) in
// the output folder and exit 1.
import { chromium } from 'playwright-core';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class CheckFailed extends Error {}

export function check(cond, message) {
  if (!cond) throw new CheckFailed(message);
}

// Without the background-networking flags Chromium keeps calling hosts
// this closed network refuses.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// With many pages open at once, none of them is a background tab whose
// timers and rendering Chromium slows down.
export const FOREGROUND_ARGS = ['--disable-background-timer-throttling', '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows'];

// run calls walk(browser) in a new Chromium and returns when it passed.
// current is the walk's { page, id, title } of the step under way.
export async function run({ out, executablePath, current, args = [], walk }) {
  await mkdir(out, { recursive: true });
  let browser;
  let failed = false;
  try {
    browser = await chromium.launch({ executablePath, args: [...ARGS, ...args], timeout: 60_000 });
    await walk(browser);
  } catch (err) {
    failed = true;
    const why = err instanceof CheckFailed ? err.message : err?.stack ?? String(err);
    console.log(`FAIL ${current.title ?? current.id}: ${why}`);
    const page = current.page;
    if (page && !page.isClosed()) {
      const base = path.join(out, `failure-${current.id}`);
      try {
        console.log(`     at ${page.url()}`);
        await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 10_000 });
        await writeFile(`${base}.html`, await page.content());
        console.log(`     saved ${base}.png and ${base}.html`);
      } catch (e) {
        console.log(`     could not save the failing page: ${e.message}`);
      }
    }
  } finally {
    await browser?.close().catch(() => {});
  }
  if (failed) process.exit(1);
}
