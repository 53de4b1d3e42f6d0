// Browser test: a resident of 70 signs in to the residents' portal on a
// 390 x 844 phone with the mobile number the registry holds (the one-time
// code read from the server's log, where it goes while no SMS sender is
// set), and sees their own page: 您好 with their name, their pets, their
// reports section and the area's notices. Then the same page and the
// sign-in page with the browser's own text size at 200%: neither scrolls
// sideways, the headings and the buttons are on the screen, and the
// buttons are at least 48 px tall.
//
// The browser's text size: Chrome's Settings > Appearance > Font size sets
// the profile's default font size (webkit.webprefs.default_font_size, 16
// px by default). DevTools sets the same value for a page with
// Page.setFontSizes (the CDP's Page domain), which this test sends: the
// page's own CSS is left alone (no injected html { font-size }), so what
// is measured is what a reader who turned the text size up gets. The test
// checks the setting took effect: the root's computed font size doubles.
//
// The code is read from serve.err beside DUTY_DB (set by run.sh).
//
//   node portal.mjs BASE_URL       plan line, then tests 1..N
//   node portal.mjs --count        print N and exit
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { base, check, diag, launchBrowser, line, newContext, oneLine, plan, runSteps, textIs } from './tap.mjs';

const DEADLINE = 80_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const STEPS = [
	{ name: 'portal: a resident signs in with a phone code on a 390 px phone and sees their own page', needs: [] },
	{ name: 'portal: at 200% text size the page and the sign-in fit the phone, buttons on screen', needs: [0] },
];
plan(STEPS.length);

let browser;
const trouble = [];
const st = { phone: '', name: '', state: null, root: 0 };

function sql(text) {
	return execFileSync('sqlite3', [process.env.DUTY_DB, text], { encoding: 'utf8' }).trim();
}

function save(name, png) {
	if (!process.env.SHOT_DIR)
		return;
	mkdirSync(process.env.SHOT_DIR, { recursive: true });
	writeFileSync(join(process.env.SHOT_DIR, name), png);
}

// lastCode: the newest one-time code the server logged for the phone.
function lastCode(phone) {
	const log = readFileSync(join(dirname(process.env.DUTY_DB), 'serve.err'), 'utf8');
	const hits = [...log.matchAll(/portal\.code to phone \.\.\.(\d{4}) .*验证码是 (\d{6})/g)].filter((m) => m[1] === phone.slice(7));
	return hits.length ? hits[hits.length - 1][2] : '';
}

async function fits(page, what) {
	const d = await page.evaluate(() => ({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth }));
	check(d.scroll <= d.inner + 1, `${what}: the page is ${d.scroll}px wide in a ${d.inner}px screen`);
}

// onScreen: the element lies within the screen's width and is tall enough.
async function onScreen(locator, what, minHeight) {
	await locator.scrollIntoViewIfNeeded();
	const box = await locator.boundingBox();
	check(box && box.x >= 0 && box.x + box.width <= 391, `${what} is off the screen: ${JSON.stringify(box)}`);
	if (minHeight)
		check(box.height >= minHeight, `${what} is ${box.height}px tall`);
}

async function textSize200(context, page) {
	const cdp = await context.newCDPSession(page);
	await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
}

async function signsIn() {
	const row = sql("SELECT r.phone || '|' || r.name FROM users u JOIN residents r ON r.id = u.resident_id WHERE u.username = 'petowner';").split('|');
	st.phone = row[0];
	st.name = row[1];
	const context = await newContext(browser, PHONE, trouble);
	const page = await context.newPage();
	await page.goto(base + '/portal');
	await textIs(page.locator('main h1'), '居民登录', 'the sign-in page');
	await page.fill('input[name=phone]', st.phone.slice(0, 3) + ' ' + st.phone.slice(3));
	await page.locator('button', { hasText: '发送验证码' }).tap();
	await textIs(page.locator('main h1'), '输入验证码', 'after sending');
	check((await page.locator('main').innerText()).includes(`${st.phone.slice(0, 3)}****${st.phone.slice(7)}`), 'the phone is not shown masked');
	const code = lastCode(st.phone);
	check(code, 'no code in the log');
	await page.fill('input[name=code]', code);
	await page.locator('button', { hasText: '登录' }).first().tap();
	await page.waitForURL(base + '/portal');
	await textIs(page.locator('main h1'), '我的家园', 'the portal');
	check((await page.locator('.portal-hello').innerText()).includes(st.name), 'the resident is not greeted by name');
	await textIs(page.locator('#portal-pets-h'), '我家宠物', 'the pets');
	check(await page.locator('#portal-pets li').count() >= 1, 'no pet listed');
	await textIs(page.locator('#portal-reports-h'), '我的反映', 'the reports');
	await textIs(page.locator('#portal-notices-h'), '小区告示', 'the notices');
	await onScreen(page.locator('a.button', { hasText: '我要反映' }), '我要反映', 48);
	await fits(page, 'the portal');
	st.root = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
	await page.evaluate(() => window.scrollTo(0, 0));
	save('phone-portal-top.png', await page.screenshot());
	save('phone-portal.png', await page.screenshot({ fullPage: true }));
	st.state = await context.storageState();
	await context.close();
}

async function bigText() {
	const context = await newContext(browser, { ...PHONE, storageState: st.state }, trouble);
	const page = await context.newPage();
	await textSize200(context, page);
	await page.goto(base + '/portal');
	const root = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
	// the page's own CSS scales the default (112.5% on a phone): twice it
	check(root === 2 * st.root, `the text size did not take: the root's font is ${root}px, ${st.root}px before`);
	await textIs(page.locator('main h1'), '我的家园', 'the portal at 200%');
	await onScreen(page.locator('main h1'), 'the heading');
	await onScreen(page.locator('#portal-pets-h'), 'the pets heading');
	await onScreen(page.locator('a.button', { hasText: '我要反映' }), '我要反映 at 200%', 48);
	await fits(page, 'the portal at 200%');
	await page.evaluate(() => window.scrollTo(0, 0));
	save('phone-portal-200-top.png', await page.screenshot());
	save('phone-portal-200.png', await page.screenshot({ fullPage: true }));
	// and the sign-in, signed out, at the same size
	const anon = await newContext(browser, PHONE, trouble);
	const p2 = await anon.newPage();
	await textSize200(anon, p2);
	await p2.goto(base + '/portal');
	await textIs(p2.locator('main h1'), '居民登录', 'the sign-in at 200%');
	await onScreen(p2.locator('input[name=phone]'), 'the phone field', 48);
	await onScreen(p2.locator('button', { hasText: '发送验证码' }), '发送验证码', 48);
	await fits(p2, 'the sign-in at 200%');
	save('phone-portal-signin-200.png', await p2.screenshot({ fullPage: true }));
	await anon.close();
	await context.close();
}

let done = 0;
const deadline = setTimeout(() => {
	diag(`portal scenario took longer than ${DEADLINE / 1000} s`);
	process.exit(1);
}, DEADLINE);
try {
	browser = await launchBrowser(createRequire, import.meta.url);
	done = await runSteps(STEPS, [signsIn, bigText], trouble);
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
