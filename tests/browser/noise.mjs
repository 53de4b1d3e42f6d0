// Browser test: the plaza meter sends levels while the secretary watches
// the live noise page and a phone shows the public plaza display; both move
// without a reload (Server-Sent Events and the page's script). Then the
// published timetable prints for the notice board without the navigation.
// Real pages in Debian's chromium driven by playwright-core. Prints TAP.
//
//   node noise.mjs BASE_URL                 plan line, then tests 1..N
//   node noise.mjs --count                  print N and exit
//   node noise.mjs --first=K --no-plan BASE_URL
//
// NOISE_METER_TOKEN and NOISE_TOKEN_ID (set by run.sh from `linli token
// add ... --role meter`) are the plaza meter's credentials; the scenario
// binds the token to the demo's first meter through the registry API.
import { createRequire } from 'node:module';
import { base, check, diag, eventually, Failure, first, LAUNCH, line, oneLine, opt, plan, STEP_TIMEOUT, tap } from './tap.mjs';

const DEADLINE = 60_000;
const SECRETARY = { username: 'secretary', password: 'pushan-secretary' };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN' };

const STEPS = [
	{ name: 'noise: the secretary binds the meter token to the plaza meter through the API', needs: [] },
	{ name: 'noise: /noise/live shows a level sent after the page opened, red over the 70 dB cap, without a reload', needs: [0] },
	{ name: 'noise: the public display on a phone (no sign-in) follows the meter down to green, without a reload', needs: [0] },
	{ name: 'noise: /schedule prints without navigation or buttons; the week grid and the plan stay', needs: [] },
];
plan(STEPS.length);

const require = createRequire(import.meta.url);
const { chromium, request } = require('playwright-core');

const token = process.env.NOISE_METER_TOKEN || '';
const tokenId = Number(process.env.NOISE_TOKEN_ID || 0);
const passed = [];
let browser, staff, meterId = 0;

// send: seconds up to the next one at level db from the meter's token,
// each batch starting after the last second sent (a second already stored
// would be kept, not replaced).
let lastSent = 0;
async function send(db, seconds = 20) {
	const now = Math.floor(Date.now() / 1000);
	const readings = [];
	const from = Math.max(lastSent + 1, now - seconds), to = Math.max(now + 1, from);
	for (let t = from; t <= to; t++)
		readings.push({ t, laeq: db });
	lastSent = to;
	const r = await request.newContext();
	const res = await r.post(base + '/api/v1/noise/readings', {
		headers: { Authorization: 'Bearer ' + token }, data: { readings },
	});
	const body = await res.text();
	await r.dispose();
	check(res.status() === 200, `readings: ${res.status()} ${oneLine(body)}`);
}

async function signIn(context) {
	const page = await context.newPage();
	await page.goto(base + '/login');
	await page.fill('input[name=username]', SECRETARY.username);
	await page.fill('input[name=password]', SECRETARY.password);
	await page.click('button[type=submit]');
	await page.waitForURL(base + '/');
	return page;
}

async function bindToken() {
	check(token && tokenId > 0, 'NOISE_METER_TOKEN and NOISE_TOKEN_ID must be set (run.sh sets them)');
	staff = await request.newContext();
	let res = await staff.post(base + '/api/v1/login', { data: SECRETARY });
	check(res.status() === 200, `login: ${res.status()}`);
	const csrf = (await res.json()).csrf_token;
	res = await staff.get(base + '/api/v1/meters');
	const meters = (await res.json()).items;
	const plaza = meters.find((m) => m.zone_id);
	check(plaza, 'no meter watching a plaza zone in the demo');
	meterId = plaza.id;
	res = await staff.patch(`${base}/api/v1/meters/${meterId}`, {
		headers: { 'X-CSRF-Token': csrf }, data: { token_id: tokenId },
	});
	check(res.status() === 200, `bind token: ${res.status()} ${oneLine(await res.text())}`);
}

async function liveMoves() {
	const context = await browser.newContext(DESKTOP);
	try {
		const page = await signIn(context);
		await page.goto(base + '/noise/live');
		const card = page.locator('[data-field="now"]').first();
		await send(74.5);
		await eventually('the live level', () => card.locator('[data-field="level"]').textContent(),
			(t) => t.trim() === '74.5', 15_000);
		const cls = await card.getAttribute('class');
		check(/\bnl-over\b/.test(cls), `class ${cls}`);
		check((await card.locator('[data-field="limit"]').textContent()).trim() === '70.0', 'limit not 70.0');
	} finally {
		await context.close();
	}
}

async function displayMoves() {
	const context = await browser.newContext(PHONE);
	try {
		const page = await context.newPage();
		await send(73.2);
		const res = await page.goto(`${base}/noise/display/${meterId}`);
		check(res.status() === 200, `display: ${res.status()}`);
		const now = page.locator('[data-field="now"]').first();
		await eventually('the display level', () => now.locator('[data-field="level"]').textContent(),
			(t) => t.trim() === '73.2', 15_000);
		await send(61.2);
		await eventually('the display after the music went down',
			() => now.locator('[data-field="level"]').textContent(), (t) => t.trim() === '61.2', 15_000);
		check(/\bnl-ok\b/.test(await now.getAttribute('class')), 'not green at 61.2');
		const text = await page.locator('body').innerText();
		check(!/1391602\d{4}/.test(text), 'a phone number shows on the public display');
		check(!(await page.locator('a[href="/logout"]').count()), 'the display offers a sign-out');
	} finally {
		await context.close();
	}
}

async function schedulePrints() {
	const context = await browser.newContext(DESKTOP);
	try {
		const page = await signIn(context);
		await page.goto(base + '/schedule');
		await page.emulateMedia({ media: 'print' });
		check(await page.locator('table.timetable').isVisible(), 'no timetable');
		check(await page.locator('.plaza-plan.st-wide svg').isVisible(), 'no plan');
		check(!(await page.locator('nav.main').isVisible()), 'the navigation prints');
		check(!(await page.locator('form.publish').isVisible()), 'the publish button prints');
		const sessions = await page.locator('table.timetable .session').count();
		check(sessions > 0, 'an empty week');
	} finally {
		await context.close();
	}
}

const bodies = [bindToken, liveMoves, displayMoves, schedulePrints];
const timer = setTimeout(() => {
	diag(`noise scenario took longer than ${DEADLINE / 1000} s`);
	process.exit(1);
}, DEADLINE);
try {
	browser = await chromium.launch(LAUNCH);
	for (let i = 0; i < STEPS.length; i++) {
		const missing = STEPS[i].needs.filter((k) => !passed[k]);
		if (missing.length) {
			line(false, STEPS[i].name, 'not run: an earlier step failed');
			continue;
		}
		try {
			await bodies[i]();
			passed[i] = true;
			line(true, STEPS[i].name);
		} catch (e) {
			line(false, STEPS[i].name);
			diag(e instanceof Failure ? e.message : e.stack || e);
		}
	}
} catch (e) {
	for (let i = tap.number - first + 1; i < STEPS.length; i++)
		line(false, STEPS[i].name, 'not run: ' + oneLine(e.message));
} finally {
	clearTimeout(timer);
	if (staff)
		await staff.dispose();
	if (browser)
		await browser.close();
}
process.exit(tap.failed ? 1 : 0);
