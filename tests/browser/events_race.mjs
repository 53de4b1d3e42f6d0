// Browser test: the orienteering race on phones. A spectator opens the
// live results; a team's phone opens each of three checkpoints' punch
// pages (what scanning a poster's QR code does), types the team's code
// and taps 打卡; a repeat at the same checkpoint is refused plainly. The
// spectator's page, never reloaded, shows the team with three
// checkpoints found and finished (events.js refreshes it).
// Real pages in Debian's chromium driven by playwright-core. Prints TAP.
//
// The race is put around the real now with sqlite3 on the test database
// (DUTY_DB, set by run.sh).
//
//   node events_race.mjs BASE_URL          plan line, then tests 1..N
//   node events_race.mjs --count           print N and exit
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { base, check, diag, eventually, launchBrowser, line, newContext, oneLine, plan, runSteps, textIs } from './tap.mjs';

const DEADLINE = 80_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const STEPS = [
	{ name: 'race: a spectator opens the live results; the team has found nothing yet', needs: [] },
	{ name: 'race: a team punches three checkpoints from a phone; a repeat is refused', needs: [0] },
	{ name: 'race: the live results update by themselves: three found, finished, first', needs: [1] },
];
plan(STEPS.length);

let browser;
const trouble = [];
const st = { event: 0, watcher: null };

function sql(text) {
	return execFileSync('sqlite3', [process.env.DUTY_DB, text], { encoding: 'utf8' }).trim();
}

function save(name, png) {
	if (!process.env.SHOT_DIR)
		return;
	mkdirSync(process.env.SHOT_DIR, { recursive: true });
	writeFileSync(join(process.env.SHOT_DIR, name), png);
}

const row = (page) => page.locator('#race-results tr[data-team="BRT1"]');

async function watches() {
	const now = Math.floor(Date.now() / 1000);
	sql(`INSERT INTO events (area_id, kind, title, place, starts_at, ends_at, audience, capacity, opens_at, closes_at, race_rule, created_at) VALUES (1, 'race', '浏览器定向赛', '党群服务站', ${now - 600}, ${now + 7200}, 'all', 40, ${now - 86400}, ${now - 900}, 'ordered', ${now});`);
	st.event = Number(sql('SELECT MAX(id) FROM events;'));
	for (let k = 1; k <= 3; k++)
		sql(`INSERT INTO race_checkpoints (area_id, event_id, seq, code, name, points) VALUES (1, ${st.event}, ${k}, 'BP${k}', '点位${k}', 10);`);
	sql(`INSERT INTO race_teams (area_id, event_id, code, name, start_at) VALUES (1, ${st.event}, 'BRT1', '浏览器小队', ${now - 120});` +
		`INSERT INTO race_teams (area_id, event_id, code, name, start_at) VALUES (1, ${st.event}, 'BRT2', '对照小队', ${now - 120});`);
	const context = await newContext(browser, { ...PHONE, viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false }, trouble);
	const page = st.watcher = await context.newPage();
	await page.goto(`${base}/events/${st.event}/race`);
	await textIs(row(page).locator('td').nth(2), '0', 'found before');
	check((await row(page).innerText()).includes('途中'), 'the team is not shown running');
}

async function punches() {
	const context = await newContext(browser, PHONE, trouble);
	const page = await context.newPage();
	for (let k = 1; k <= 3; k++) {
		await page.goto(`${base}/events/${st.event}/punch?cp=BP${k}`);
		check(await page.inputValue('input[name=checkpoint]') === `BP${k}`, 'the checkpoint is not filled in');
		await page.fill('input[name=team]', 'BRT1');
		await page.locator('button', { hasText: '打卡' }).tap();
		await textIs(page.locator('main p.notice'), `打卡成功： BP${k}`, `the punch at BP${k}`);
		if (k === 1) {
			await page.goto(`${base}/events/${st.event}/punch?cp=BP1`);
			await page.fill('input[name=team]', 'BRT1');
			await page.locator('button', { hasText: '打卡' }).tap();
			await textIs(page.locator('main p.error'), '本队已在这个点位打过卡，不重复计算。', 'a repeat');
			trouble.length = 0; // that 409 was the point
		}
	}
	save('phone-events-punch.png', await page.screenshot({ fullPage: true }));
	await context.close();
}

async function updates() {
	const page = st.watcher;
	await eventually('the results on the open page', async () => oneLine(await row(page).innerText()),
		(t) => t.startsWith('1 浏览器小队 3') && !t.includes('途中'), 15_000);
	const marks = await row(page).locator('td.ev-mark.ok').count();
	check(marks === 3, `${marks} checkpoints marked found`);
	save('desktop-events-race.png', await page.screenshot({ fullPage: true }));
}

let done = 0;
const deadline = setTimeout(() => {
	diag(`events_race scenario took longer than ${DEADLINE / 1000} s`);
	process.exit(1);
}, DEADLINE);
try {
	browser = await launchBrowser(createRequire, import.meta.url);
	done = await runSteps(STEPS, [watches, punches, updates], trouble);
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
