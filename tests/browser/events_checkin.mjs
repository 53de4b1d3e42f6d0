// Browser test: a resident registers for an event on a 390 x 844 phone
// without an account (name and phone), sees 报名成功 with a QR code, the
// check-in code and the phone masked; then a volunteer at the door opens
// the address in the QR code (what the phone's camera does), finds the
// code filled in, taps 签到 and sees the resident's name and the count go
// to one; a second tap is refused plainly. Neither page scrolls sideways.
// Real pages in Debian's chromium driven by playwright-core. Prints TAP.
//
// The event is put around the real now with sqlite3 on the test database
// (DUTY_DB, set by run.sh).
//
//   node events_checkin.mjs BASE_URL       plan line, then tests 1..N
//   node events_checkin.mjs --count        print N and exit
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { base, check, diag, launchBrowser, line, newContext, oneLine, plan, runSteps, textIs } from './tap.mjs';

const DEADLINE = 80_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const STEPS = [
	{ name: 'events: a resident registers on a phone with a name and phone and gets a QR code', needs: [] },
	{ name: 'events: a volunteer opens the QR code\'s address and checks the resident in', needs: [0] },
];
plan(STEPS.length);

let browser;
const trouble = [];
const st = { event: 0, url: '', code: '' };

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

async function registers() {
	const now = Math.floor(Date.now() / 1000);
	sql(`INSERT INTO events (area_id, kind, title, place, starts_at, ends_at, audience, capacity, opens_at, closes_at, created_at) VALUES (1, 'lecture', '浏览器测试讲座', '党群服务站', ${now + 3600}, ${now + 7200}, 'all', 20, ${now - 3600}, ${now + 3000}, ${now});`);
	st.event = Number(sql('SELECT MAX(id) FROM events;'));
	const context = await newContext(browser, PHONE, trouble);
	const page = await context.newPage();
	await page.goto(base + '/events');
	await page.locator(`a[href="/events/${st.event}"]`).tap();
	await textIs(page.locator('main h1'), '浏览器测试讲座', 'the event page');
	await page.fill('input[name=name]', '林阿姨');
	await page.fill('input[name=phone]', '13912345678');
	const button = page.locator('button', { hasText: '提交报名' });
	const box = await button.boundingBox();
	check(box && box.height >= 44, `提交报名 is ${box && box.height}px high`);
	await button.tap();
	await textIs(page.locator('main h1'), '报名已提交', 'after registering');
	await textIs(page.locator('.ev-ticket h2'), '报名成功', 'the status');
	check(await page.locator('.ev-qr svg').count() === 1, 'no QR code on the ticket');
	check((await page.locator('main').innerText()).includes('139****5678'), 'the phone is not shown masked');
	check(!(await page.content()).includes('13912345678'), 'the whole phone number is on the page');
	st.code = (await page.locator('.ev-ticket .ev-code').innerText()).trim();
	check(/^[A-Z0-9]{8}$/.test(st.code), `the code is ${st.code}`);
	st.url = `${base}/events/${st.event}/checkin?code=${st.code}`;
	await fits(page, 'the ticket');
	save('phone-events-ticket.png', await page.screenshot({ fullPage: true }));
	await context.close();
}

async function checksIn() {
	const context = await newContext(browser, PHONE, trouble);
	const page = await context.newPage();
	await page.goto(base + '/login');
	await page.fill('input[name=username]', 'volunteer');
	await page.fill('input[name=password]', 'pushan-volunteer');
	await page.click('button[type=submit]');
	await page.waitForURL(base + '/');
	await page.goto(st.url); // what scanning the QR code opens
	check(await page.inputValue('input[name=code]') === st.code, 'the code is not filled in');
	await textIs(page.locator('#ev-count strong'), '0', 'checked in before');
	await page.locator('button', { hasText: '签到' }).first().tap();
	await textIs(page.locator('main p.notice'), '签到成功： 林阿姨', 'the check-in');
	await textIs(page.locator('#ev-count strong'), '1', 'checked in after');
	await fits(page, 'the check-in page');
	save('phone-events-checkin.png', await page.screenshot({ fullPage: true }));
	await page.goto(st.url);
	await page.locator('button', { hasText: '签到' }).first().tap();
	await textIs(page.locator('main p.error'), '已经签到过了。', 'a second check-in');
	trouble.length = 0; // that 409 was the point
	await context.close();
}

let done = 0;
const deadline = setTimeout(() => {
	diag(`events_checkin scenario took longer than ${DEADLINE / 1000} s`);
	process.exit(1);
}, DEADLINE);
try {
	browser = await launchBrowser(createRequire, import.meta.url);
	done = await runSteps(STEPS, [registers, checksIn], trouble);
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
