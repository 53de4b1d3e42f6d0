// Browser test: the social worker's case queue and a case on a phone
// (390x844, touch), with a look at the queue on a desktop. Prints TAP.
//
//   node queue.mjs BASE_URL            plan line, then tests 1..N
//   node queue.mjs --count             print N and exit
//   node queue.mjs --first=K --no-plan BASE_URL   (run.sh wraps them)
//
// On the phone: no sideways scrolling, header buttons one line each (never
// a character a line), the filters folded, each case two lines at most with
// its summary, category, age and state; the case opens on its next step
// and 受理 takes one tap; the filters open without script. On the desktop
// the queue has its summary column. When a step fails the rest are
// reported "not ok" as not run, so the plan always matches.
import { createRequire } from 'node:module';
import { STEP_TIMEOUT, base, check, diag, eventually, Failure, line, oneLine, plan, tap, textIs } from './tap.mjs';

const DEADLINE = 80_000;
const STEPS = [
	'phone: staff signs in and opens 居民反映: no sideways scroll',
	'phone: header buttons one line each; filters folded; open cases by default',
	'phone: each case at most two lines with summary, category, age and state',
	'phone: a new case opens on its next step, 受理, and one tap accepts it',
	'phone: the filter panel opens without script and its chips lead to a state',
	'desktop: the queue has a summary column',
];
plan(STEPS.length);

let browser;
let done = 0;
const deadline = setTimeout(() => {
	diag(`the run took longer than ${DEADLINE / 1000} s`);
	while (done < STEPS.length) {
		line(false, STEPS[done], 'not run: timed out');
		done++;
	}
	process.exit(1);
}, DEADLINE);

async function signIn(page) {
	await page.goto(base + '/login');
	await page.getByLabel('用户名').fill('staff');
	await page.getByLabel('密码').fill('pushan-staff');
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await page.waitForURL(base + '/');
}

// noSideScroll: the page is no wider than the window.
async function noSideScroll(page) {
	const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	check(w[0] <= w[1], `the page is ${w[0]} px wide in a ${w[1]} px window`);
}

const st = {};
const steps = [
	// 1
	async (page) => {
		await signIn(page);
		await page.goto(base + '/cases');
		await textIs(page.locator('main h1'), '居民反映', 'queue heading');
		await noSideScroll(page);
	},
	// 2
	async (page) => {
		const buttons = page.locator('.page-head .actions .button');
		check(await buttons.count() >= 3, `${await buttons.count()} header buttons`);
		for (const b of await buttons.all()) {
			const box = await b.boundingBox();
			const lh = await b.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 24);
			check(box.height < 2 * lh + 20, `"${oneLine(await b.innerText())}" is ${box.height} px tall`);
		}
		check(!(await page.locator('details.filters-panel').evaluate((d) => d.open)),
		      'the filter panel is open');
		await textIs(page.locator('nav.tabs a[aria-current="page"]'),
			     oneLine(await page.locator('nav.tabs a').first().innerText()), 'current tab');
		check(/^待办理/.test(oneLine(await page.locator('nav.tabs a[aria-current="page"]').innerText())),
		      'the open cases are not the current tab');
	},
	// 3
	async (page) => {
		const rows = page.locator('table.cases tbody tr');
		const n = await rows.count();
		check(n > 5, `${n} cases`);
		for (let i = 0; i < Math.min(n, 10); i++) {
			const r = rows.nth(i);
			const box = await r.boundingBox();
			const lh = await r.locator('td.summary').evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 26);
			check(box.height <= 2 * lh + 36, `case ${i + 1} is ${box.height} px tall (line ${lh} px)`);
			for (const cell of ['td.summary', 'td.cat', 'td.age', 'td.st .state'])
				check(await r.locator(cell).isVisible(), `case ${i + 1}: ${cell} is not shown`);
			check(/^#\d+ \S/.test(oneLine(await r.locator('td.summary').innerText())),
			      `case ${i + 1}: summary "${oneLine(await r.locator('td.summary').innerText())}"`);
			check(/^(刚刚|\d+ (分钟|小时|天))$/.test(oneLine(await r.locator('td.age').innerText())),
			      `case ${i + 1}: age "${oneLine(await r.locator('td.age').innerText())}"`);
		}
	},
	// 4
	async (page) => {
		const made = await page.evaluate(async () => {
			const csrf = document.querySelector('input[name="_csrf"]').value; // the bulk form's
			const r = await fetch('/api/v1/cases', {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
				body: JSON.stringify({ category: 'other', description: '浏览器测试：楼道灯不亮' }),
			});
			return { status: r.status, text: await r.text() };
		});
		check(made.status === 201, `POST /api/v1/cases: ${made.status} ${made.text}`);
		st.id = JSON.parse(made.text).id;
		await page.goto(base + '/cases');
		await page.locator(`td.summary a[href="/cases/${st.id}"]`).tap();
		await page.waitForURL(`${base}/cases/${st.id}`);
		await noSideScroll(page);
		const primary = page.locator('#actions button.primary');
		await textIs(primary, '受理', 'the next step');
		check(!(await page.locator('details.more-actions').evaluate((d) => d.open)),
		      'the other actions are not folded');
		await primary.tap();
		await page.waitForURL(/\?saved=1#actions$/);
		await textIs(page.locator('main h1 .state'), '已受理', 'state after one tap');
		await textIs(page.locator('#actions button.primary'), '分派', 'the next step after accepting');
	},
	// 5
	async (page) => {
		await page.goto(base + '/cases');
		const panel = page.locator('details.filters-panel');
		await panel.locator('summary').tap();
		await eventually('the panel opens', () => panel.evaluate((d) => d.open), (v) => v === true);
		check(await panel.locator('select[name="category_id"]').isVisible(), 'no category filter');
		await panel.locator('a.chip.overdue').tap();
		await page.waitForURL(`${base}/cases?overdue=1`);
		check(await page.locator('details.filters-panel').evaluate((d) => d.open),
		      'the panel folds away while a filter is in use');
		await noSideScroll(page);
	},
	// 6
	async (page) => {
		await page.setViewportSize({ width: 1280, height: 900 });
		await page.goto(base + '/cases');
		const heads = (await page.locator('table.cases thead th').allInnerTexts()).map(oneLine);
		check(heads.includes('摘要'), `columns: ${heads.join(', ')}`);
		check(await page.locator('table.cases td.handler').first().isVisible(), 'no handler column');
		await noSideScroll(page);
	},
];

try {
	if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base))
		throw new Error(`usage: node queue.mjs http://127.0.0.1:PORT (got "${base}")`);
	const require = createRequire(import.meta.url);
	const { chromium } = require('playwright-core');
	browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		       '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		timeout: 30_000,
	});
	const ctx = await browser.newContext({
		viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
	});
	ctx.setDefaultTimeout(STEP_TIMEOUT);
	ctx.setDefaultNavigationTimeout(STEP_TIMEOUT);
	await ctx.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
	const trouble = [];
	ctx.on('response', (r) => {
		if (r.status() >= 400)
			trouble.push(`${r.request().method()} ${r.url()}: ${r.status()}`);
	});
	ctx.on('weberror', (e) => trouble.push(`script error: ${e.error().message}`));
	const page = await ctx.newPage();
	let broken = null;
	for (let i = 0; i < steps.length; i++) {
		if (broken) {
			line(false, STEPS[i], `not run: test ${broken} failed`);
			done++;
			continue;
		}
		trouble.length = 0;
		try {
			await steps[i](page);
			check(trouble.length === 0, trouble.join('; '));
			line(true, STEPS[i]);
		} catch (e) {
			line(false, STEPS[i], oneLine(e instanceof Failure ? e.message : e.message.split('\n')[0]));
			if (!(e instanceof Failure))
				diag(e.message);
			broken = tap.number;
		}
		done++;
	}
	await ctx.close();
} catch (e) {
	diag(e.stack || e.message);
	while (done < STEPS.length) {
		line(false, STEPS[done], oneLine('not run: ' + e.message.split('\n')[0]));
		done++;
	}
} finally {
	if (browser)
		await browser.close().catch(() => {});
	clearTimeout(deadline);
}
process.exitCode = tap.failed ? 1 : 0;
