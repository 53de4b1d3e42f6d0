// Browser test: a street officer (the demo's jiedao) compares her areas
// on a phone and opens one. Prints TAP.
//
//   node region.mjs BASE_URL       plan line, then tests 1..N
//   node region.mjs --count        print N and exit
//
// On a 390 px phone: signing in lands on /region with the street's three
// areas side by side and a sparkline each, the page no wider than the
// window (the table scrolls inside its frame); tapping a column header
// sorts by it (the largest first, the header marked); 进入 on 普善居民区 (the
// area with open cases; the two small ones may have none open that day)
// opens that area's case queue, where no case action is offered (read
// only), and 街道概览 in the menu leads back.
import { createRequire } from 'node:module';
import { base, check, diag, launchBrowser, line, newContext, oneLine, plan, runSteps, textIs } from './tap.mjs';

const DEADLINE = 80_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const STEPS = [
	{ name: 'region: the street officer signs in on a phone and sees her three areas side by side', needs: [] },
	{ name: 'region: a tap on 居民 sorts the areas by residents, the largest first', needs: [0] },
	{ name: 'region: 进入 opens one area\'s cases read-only, and the menu leads back', needs: [0] },
];
plan(STEPS.length);

let browser, page;
const trouble = [];

// fits: the page is no wider than the window.
async function fits(what) {
	const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	check(w[0] <= w[1], `${what}: the page is ${w[0]} px wide in a ${w[1]} px window`);
}

async function areasInOrder() {
	return page.locator('table.region tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.area));
}

async function signsIn() {
	const ctx = await newContext(browser, PHONE, trouble);
	page = await ctx.newPage();
	await page.goto(base + '/login');
	await page.getByLabel('用户名').fill('jiedao');
	await page.getByLabel('密码').fill('pushan-jiedao');
	await page.getByRole('button', { name: '登录', exact: true }).tap();
	await page.waitForURL(base + '/region');
	await textIs(page.locator('main h1'), '芷江西路街道 · 居民区概览', 'heading');
	const areas = await areasInOrder();
	check(areas.join(',') === 'pushan,pushan-east,pushan-west', `areas: ${areas.join(',')}`);
	check(await page.locator('table.region tbody svg.spark').count() === 3, 'a sparkline each');
	await textIs(page.locator('table.region tfoot th'), '合计', 'the total row');
	await fits('/region');
}

async function sorts() {
	await page.locator('table.region thead').getByRole('link', { name: '居民', exact: true }).tap();
	await page.waitForURL(/sort=residents/);
	const counts = await page.locator('table.region tbody tr td:first-of-type')
		.evaluateAll((cells) => cells.map((c) => Number(c.textContent)));
	check(counts.length === 3 && counts[0] >= counts[1] && counts[1] >= counts[2],
	      `residents in order: ${counts.join(', ')}`);
	const sorted = page.locator('table.region thead th[aria-sort="descending"]');
	await textIs(sorted, '居民', 'the sorted column');
	await fits('/region sorted');
}

async function entersReadOnly() {
	await page.locator('tr[data-area="pushan"] button', { hasText: '进入' }).tap();
	await page.waitForURL(base + '/cases');
	await textIs(page.locator('main h1'), '居民反映', 'the area\'s queue');
	const first = page.locator('table.cases td.summary a').first();
	await first.tap();
	await page.waitForURL(/\/cases\/\d+$/);
	check(await page.locator('#actions button').count() === 0, 'case actions are offered');
	const who = oneLine(await page.locator('header .who').innerText());
	check(who.includes('街道工作人员'), `signed in as "${who}"`);
	await page.goto(base + '/');
	await page.waitForURL(base + '/region');
	await textIs(page.locator('main h1'), '芷江西路街道 · 居民区概览', 'back on the overview');
}

let done = 0;
const deadline = setTimeout(() => {
	diag(`region scenario took longer than ${DEADLINE / 1000} s`);
	process.exit(1);
}, DEADLINE);
try {
	browser = await launchBrowser(createRequire, import.meta.url);
	done = await runSteps(STEPS, [signsIn, sorts, entersReadOnly], trouble);
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
