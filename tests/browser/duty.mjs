// Browser test: a volunteer's duties on a 390 x 844 phone. The demo
// volunteer opens 我的值班 from the menu, finds the shift that started a
// little while ago at their station, checks in with the code on the
// station's sign, then checks out, and sees the minutes credited on the
// shift and in their total; a second check-in is not offered. The page
// never scrolls sideways and its buttons are big enough to tap.
// Real pages in Debian's chromium driven by playwright-core. Prints TAP.
//
// The clock is real: the shift is put around now with sqlite3 on the test
// database (DUTY_DB, set by run.sh), and the check-in is moved 45 minutes
// back before checking out, as the HTTP tests backdate what they need.
//
//   node duty.mjs BASE_URL                 plan line, then tests 1..N
//   node duty.mjs --count                  print N and exit
//   node duty.mjs --first=K --no-plan BASE_URL
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { base, check, diag, launchBrowser, line, newContext, oneLine, plan, runSteps, textIs } from './tap.mjs';

const DEADLINE = 80_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const STEPS = [
	{ name: 'duty: a volunteer on a phone opens 我的值班 and sees the shift at their station now', needs: [] },
	{ name: 'duty: the volunteer checks in with the station\'s code; a second check-in is not offered', needs: [0] },
	{ name: 'duty: the volunteer checks out and sees the 45 minutes credited', needs: [1] },
];
plan(STEPS.length);

let browser;
const trouble = [];
const st = { page: null, assignment: 0, code: '', before: 0 };

function sql(text) {
	return execFileSync('sqlite3', [process.env.DUTY_DB, text], { encoding: 'utf8' }).trim();
}

function save(name, png) {
	if (!process.env.SHOT_DIR)
		return;
	mkdirSync(process.env.SHOT_DIR, { recursive: true });
	writeFileSync(join(process.env.SHOT_DIR, name), png);
}

async function fits(page, what) {
	const d = await page.evaluate(() => ({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth }));
	check(d.scroll <= d.inner + 1, `${what}: the page is ${d.scroll}px wide in a ${d.inner}px screen`);
}

// arrange: a shift at the volunteer's first station that started 50
// minutes ago and ends in 100, in this week's published roster, with the
// demo volunteer on it (a window of its own, never generated again).
function arrange() {
	const now = Math.floor(Date.now() / 1000);
	const vol = sql("SELECT v.id FROM volunteers v JOIN users u ON u.resident_id = v.resident_id WHERE u.username = 'volunteer';");
	check(vol !== '', 'the demo volunteer is not a volunteer');
	const station = sql('SELECT id FROM sorting_stations ORDER BY id LIMIT 1;');
	st.code = sql(`SELECT code FROM sorting_stations WHERE id = ${station};`);
	const day = new Date((now + 8 * 3600) * 1000).toISOString().slice(0, 10);
	const week = sql(`SELECT week_start FROM duty_weeks WHERE published_at IS NOT NULL AND week_start <= '${day}' ORDER BY week_start DESC LIMIT 1;`);
	check(week !== '', 'no published week');
	sql(`INSERT INTO duty_windows (area_id, station_id, weekdays, start_min, end_min, need, need_trained, archived) VALUES (1, ${station}, 0, 0, 1, 1, 0, 1);` +
		`INSERT INTO duty_shifts (area_id, window_id, station_id, week_start, day, start_at, end_at, need, need_trained) VALUES (1, (SELECT MAX(id) FROM duty_windows), ${station}, '${week}', '${day}', ${now - 3000}, ${now + 6000}, 1, 0);` +
		`INSERT INTO duty_assignments (area_id, shift_id, volunteer_id) VALUES (1, (SELECT MAX(id) FROM duty_shifts), ${vol});`);
	st.assignment = Number(sql('SELECT MAX(id) FROM duty_assignments;'));
}

const minutesShown = async (page) => Number(await page.locator('.duty-minutes').innerText());

async function opens() {
	arrange();
	const context = await newContext(browser, PHONE, trouble);
	const page = st.page = await context.newPage();
	await page.goto(base + '/login');
	await page.fill('input[name=username]', 'volunteer');
	await page.fill('input[name=password]', 'pushan-volunteer');
	await page.click('button[type=submit]');
	await page.waitForURL(base + '/');
	const link = page.locator('a[href="/duty/my"]').first();
	check(await link.count() === 1, 'no 我的值班 in the menu');
	await page.goto(base + '/duty/my');
	await textIs(page.locator('main h1'), '我的值班', 'the heading');
	const card = page.locator(`li.duty-shift[data-assignment="${st.assignment}"]`);
	check(await card.count() === 1, 'the shift now is not on the page');
	check(await card.locator('button', { hasText: '签到' }).count() === 1, 'no 签到 button');
	const box = await card.locator('button', { hasText: '签到' }).boundingBox();
	check(box && box.height >= 44, `签到 is ${box && box.height}px high`);
	st.before = await minutesShown(page);
	await fits(page, '/duty/my');
}

async function checksIn() {
	const page = st.page;
	const card = page.locator(`li.duty-shift[data-assignment="${st.assignment}"]`);
	// A wrong code first: refused, said plainly.
	await card.locator('input[name=code]').fill('WRONG1');
	await card.locator('button', { hasText: '签到' }).tap();
	await textIs(page.locator('main p.error'), '投放点编码不对，请核对站牌上的编码。', 'the wrong code');
	trouble.length = 0; // that 422 was the point
	await page.goto(base + '/duty/my');
	await card.locator('input[name=code]').fill(st.code.toLowerCase());
	await card.locator('button', { hasText: '签到' }).tap();
	await card.locator('.badge', { hasText: '已签到' }).waitFor();
	check(await card.locator('button', { hasText: '签到' }).count() === 0, 'check-in offered twice');
	check(await card.locator('button', { hasText: '签退' }).count() === 1, 'no 签退 button');
	save('phone-duty-checked-in.png', await page.screenshot({ fullPage: true }));
}

async function checksOut() {
	const page = st.page;
	// The clock is real: the check-in moves 45 minutes back.
	sql(`UPDATE duty_assignments SET checkin_at = checkin_at - 2700 WHERE id = ${st.assignment};`);
	const card = page.locator(`li.duty-shift[data-assignment="${st.assignment}"]`);
	await card.locator('button', { hasText: '签退' }).tap();
	await card.locator('.duty-done').waitFor();
	await textIs(card.locator('.duty-done'), '已签退 · 45 分钟', 'the shift checked out');
	const after = await minutesShown(page);
	check(after === st.before + 45, `the total went from ${st.before} to ${after}, not +45`);
	await fits(page, '/duty/my after check-out');
	save('phone-duty.png', await page.screenshot({ fullPage: true }));
}

let done = 0;
const deadline = setTimeout(() => {
	diag(`duty scenario took longer than ${DEADLINE / 1000} s`);
	process.exit(1);
}, DEADLINE);
try {
	browser = await launchBrowser(createRequire, import.meta.url);
	done = await runSteps(STEPS, [opens, checksIn, checksOut], trouble);
} catch (e) {
	diag(e.stack || e.message);
	while (done < STEPS.length) {
		line(false, STEPS[done].name, oneLine('not run: ' + e.message.split('\n')[0]));
		done++;
	}
} finally {
	if (browser)
		await browser.close().catch(() => {});
	clearTimeout(deadline);
}
