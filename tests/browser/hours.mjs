// Browser test: service hours on a phone and on paper. A volunteer opens
// "my hours" on a phone (the year's hours, the time bank, the newest
// entries), gives one credit to a member of the household and sees the
// bank one lower; the service certificate prints on one A4 sheet without
// the navigation; the teams' growth charts keep their text at 12 px and
// more on a phone and show the vanguard team at 10. Prints TAP.
//
//   node hours.mjs BASE_URL                 plan line, then tests 1..N
//   node hours.mjs --count                  print N and exit
//   node hours.mjs --first=K --no-plan BASE_URL
import { createRequire } from 'node:module';
import { base, check, diag, Failure, first, LAUNCH, line, oneLine, plan, tap } from './tap.mjs';

const DEADLINE = 80_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN' };
const SHOTS = process.env.SHOT_DIR || '';

const STEPS = [
	'hours: a volunteer on a phone sees the year\'s hours, the time bank and the newest entries; a credit given to the household takes the bank down by one',
	'hours: the service certificate prints on one A4 sheet with the name, the hours and the committee, without the navigation',
	'hours: the teams\' growth charts keep their text at 12 px and more on a phone; the vanguard team has 10',
];
plan(STEPS.length);

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
let browser;

async function withPage(options, user, body) {
	const context = await browser.newContext(options);
	try {
		const page = await context.newPage();
		await page.goto(base + '/login');
		await page.fill('input[name=username]', user);
		await page.fill('input[name=password]', 'pushan-' + user);
		await page.click('button[type=submit]');
		await page.waitForURL(base + '/');
		return await body(page);
	} finally {
		await context.close();
	}
}

const number = async (page, sel) => Number((await page.locator(sel + ' .num').innerText()).replace(/[^\d.]/g, ''));

async function myHours() {
	await withPage(PHONE, 'volunteer', async (page) => {
		await page.locator('nav.main summary', { hasText: '志愿与值班' }).click();
		await page.locator('nav.main a[href="/hours"]').click();
		await page.waitForURL(base + '/hours');
		check(oneLine(await page.locator('h1').innerText()) === '我的服务时长', 'no "my hours" heading');
		check(await page.locator('#hours-year').isVisible(), 'the year\'s hours are not shown');
		const bank = await number(page, '#hours-bank');
		check(bank >= 1, `the bank holds ${bank} credits`);
		const shown = await page.locator('ul.hours-list').first().locator('li').count();
		check(shown === 10, `${shown} entries in sight, want the newest 10`);
		if (SHOTS)
			await page.screenshot({ path: SHOTS + '/hours-phone.png' });
		const width = await page.evaluate(() => document.documentElement.scrollWidth);
		check(width <= 390, `the page is ${width} px wide on a 390 px phone`);
		await page.locator('#timebank select[name=to]').selectOption({ index: 0 });
		await page.fill('#timebank input[name=credits]', '1');
		await page.locator('#timebank button[type=submit]').click();
		await page.waitForURL(/\/hours\?given=1/);
		check(await page.locator('#timebank .notice').isVisible(), 'no word that the credit was given');
		const after = await number(page, '#hours-bank');
		check(Math.abs(bank - 1 - after) < 0.01, `the bank went from ${bank} to ${after}`);
		check((await page.locator('li.gift_out').count()) >= 1, 'the gift is not in the entries');
	});
}

async function certificate() {
	await withPage(DESKTOP, 'volunteer', async (page) => {
		await page.goto(base + '/hours');
		await page.locator('a[href^="/hours/certificate"]').click();
		const text = await page.locator('.certificate').innerText();
		for (const want of ['志愿服务证明', '兹证明', '小时', '普善居民区居民委员会'])
			check(text.includes(want), `the certificate lacks ${want}`);
		check(/\d+\.\d/.test(await page.locator('#cert-hours').innerText()), 'no hours on the certificate');
		await page.emulateMedia({ media: 'print' });
		check(!(await page.locator('nav.main').isVisible()), 'the navigation prints');
		check(!(await page.locator('button[data-print]').isVisible()), 'the print button prints');
		const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
		const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
		check(pages === 1, `the certificate prints on ${pages} pages`);
	});
}

async function growth() {
	await withPage(PHONE, 'volunteer', async (page) => {
		await page.goto(base + '/hours/teams');
		const least = await page.evaluate(() => {
			let min = Infinity;
			for (const t of document.querySelectorAll('.st-narrow svg text')) {
				if (!t.getClientRects().length)
					continue;
				const m = t.getScreenCTM();
				min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b));
			}
			return min;
		});
		check(least !== Infinity, 'no chart on a phone');
		check(least >= 12, `chart text at ${least.toFixed(1)} px`);
		const vanguard = page.locator('section.growth', { hasText: '党员先锋队' });
		check(oneLine(await vanguard.locator('.growth-now').innerText()) === '10', 'the vanguard team is not at 10');
		if (SHOTS)
			await page.screenshot({ path: SHOTS + '/hours-teams-phone.png', fullPage: false });
	});
}

const bodies = [myHours, certificate, growth];
const timer = setTimeout(() => {
	diag(`hours scenario took longer than ${DEADLINE / 1000} s`);
	process.exit(1);
}, DEADLINE);
try {
	browser = await chromium.launch(LAUNCH);
	for (let i = 0; i < STEPS.length; i++) {
		try {
			await bodies[i]();
			line(true, STEPS[i]);
		} catch (e) {
			line(false, STEPS[i]);
			diag(e instanceof Failure ? e.message : e.stack || e);
		}
	}
} catch (e) {
	for (let i = tap.number - first + 1; i < STEPS.length; i++)
		line(false, STEPS[i], 'not run: ' + oneLine(e.message));
} finally {
	clearTimeout(timer);
	if (browser)
		await browser.close();
}
process.exit(tap.failed ? 1 : 0);
