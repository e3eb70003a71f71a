// icalcheck.mjs — read an iCalendar feed on stdin with ical.js (the parser
// Thunderbird uses) and print, as JSON on stdout, its events and the
// occurrences ical.js itself expands (its own RRULE, EXDATE, RECURRENCE-ID
// and VTIMEZONE handling) that overlap a window.
//
//   node icalcheck.mjs FROM TO < feed.ics
//
// FROM and TO are Unix seconds. Output:
//   {"events": [{uid, summary, description, location, url, status, rrule}],
//    "occurrences": [{uid, original, originalLocal, start, end, status}]}
//   (times in Unix seconds, sorted by start, then uid; originalLocal is the
//   occurrence's RECURRENCE-ID as ical.js names it, a wall-clock time like
//   "2026-11-24T18:30:00", with a Z when in UTC)
// An occurrence is listed when end > FROM and start < TO (or start = FROM).
// Cancelled one-off events are listed with status "CANCELLED".
//
// ical.js is imported from e2e/node_modules/ical.js/dist/ical.js (the Go
// tests install nothing; scripts/test.sh runs npm ci in e2e/), or from the
// file HEARTH_ICALJS names.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modPath = process.env.HEARTH_ICALJS ||
	join(here, '..', '..', '..', 'e2e', 'node_modules', 'ical.js', 'dist', 'ical.js');
const { default: ICAL } = await import(pathToFileURL(modPath).href);

const [fromArg, toArg] = process.argv.slice(2);
const from = Number(fromArg);
const to = Number(toArg);
if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
	console.error('usage: node icalcheck.mjs FROM TO < feed.ics (Unix seconds, FROM < TO)');
	process.exit(2);
}

const text = readFileSync(0, 'utf8');
const root = new ICAL.Component(ICAL.parse(text));
if (root.name !== 'vcalendar') {
	throw new Error(`not a VCALENDAR: ${root.name}`);
}
for (const vtz of root.getAllSubcomponents('vtimezone')) {
	ICAL.TimezoneService.register(vtz);
}

const str = (comp, name) => {
	const v = comp.getFirstPropertyValue(name);
	return v == null ? '' : String(v);
};

const masters = [];
const overrides = new Map();
for (const ve of root.getAllSubcomponents('vevent')) {
	const uid = str(ve, 'uid');
	if (ve.hasProperty('recurrence-id')) {
		if (!overrides.has(uid)) overrides.set(uid, []);
		overrides.get(uid).push(ve);
	} else {
		masters.push(ve);
	}
}

const events = [];
const occurrences = [];
// Moved occurrences may come into the window from far away: walk past it.
const walkLimit = to + 400 * 86400;
const overlaps = (s, e) => (e > from && s < to) || s === from;

for (const ve of masters) {
	const ev = new ICAL.Event(ve);
	for (const ex of overrides.get(ev.uid) || []) {
		ev.relateException(ex);
	}
	events.push({
		uid: ev.uid,
		summary: ev.summary || '',
		description: ev.description || '',
		location: ev.location || '',
		url: str(ve, 'url'),
		status: str(ve, 'status'),
		rrule: ve.hasProperty('rrule') ? ve.getFirstPropertyValue('rrule').toString() : '',
	});
	if (!ev.isRecurring()) {
		const s = ev.startDate.toUnixTime();
		const e = ev.endDate.toUnixTime();
		if (overlaps(s, e)) {
			occurrences.push({ uid: ev.uid, original: s, originalLocal: ev.startDate.toString(), start: s, end: e, status: str(ve, 'status') });
		}
		continue;
	}
	const it = ev.iterator();
	let next;
	for (let n = 0; n < 50000 && (next = it.next()); n++) {
		const original = next.toUnixTime();
		if (original > walkLimit) break;
		const det = ev.getOccurrenceDetails(next);
		const s = det.startDate.toUnixTime();
		const e = det.endDate.toUnixTime();
		if (overlaps(s, e)) {
			occurrences.push({
				uid: ev.uid, original, originalLocal: det.recurrenceId.toString(),
				start: s, end: e, status: str(det.item.component, 'status'),
			});
		}
	}
}

occurrences.sort((a, b) => a.start - b.start || a.uid.localeCompare(b.uid));
process.stdout.write(JSON.stringify({ events, occurrences }) + '\n');
