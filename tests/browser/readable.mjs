// Browser test: what people read and print. The plaza timetable prints
// under the site's Content-Security-Policy (the button is served by
// app.js) without the navigation; its A4 notice fits one sheet; on a
// phone the week is day tabs that work without script; charts keep their
// text at 12 px and more on a phone; the skip link, the focus ring, the
// size of checkboxes; and with the browser's text size at 200 % no main
// page scrolls sideways at 390 px. Real pages in Debian's chromium driven
// by playwright-core. Prints TAP.
//
//   node readable.mjs BASE_URL                 plan line, then tests 1..N
//   node readable.mjs --count                  print N and exit
//   node readable.mjs --first=K --no-plan BASE_URL
import { createRequire } from 'node:module';
import { base, check, diag, Failure, first, LAUNCH, line, oneLine, plan, tap } from './tap.mjs';

const DEADLINE = 110_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN' };

// The main pages and who opens them, for the text-size check. One list:
// add a page (or a role) here and the check covers it. ':case' is the
// first case the secretary's queue links to.
export const PAGES = [
	{ path: '/', as: null },
	{ path: '/', as: 'secretary' },
	{ path: '/', as: 'resident' },
	{ path: '/', as: 'staff' },
	{ path: '/inbox', as: 'staff' },
	{ path: '/report', as: null },
	{ path: '/track', as: null },
	{ path: '/cases', as: 'secretary' },
	{ path: '/cases', as: 'volunteer' },
	{ path: '/cases/:case', as: 'secretary' },
	{ path: '/schedule', as: 'secretary' },
	{ path: '/schedule/notice', as: 'secretary' },
	{ path: '/noise/live', as: 'secretary' },
	{ path: '/noise/reports', as: 'secretary' },
	{ path: '/hours', as: 'volunteer' },
	{ path: '/hours', as: 'member' },
	{ path: '/hours/people', as: 'staff' },
	{ path: '/hours/points', as: 'secretary' },
	{ path: '/hours/teams', as: 'volunteer' },
	{ path: '/hours/certificate', as: 'volunteer' },
];

const STEPS = [
	'readable: /schedule prints: the print button (app.js) calls window.print, no CSP violation; the print stylesheet hides navigation, header, tabs and forms',
	'readable: /schedule/notice prints on one A4 sheet with the week, the caps, the committee and the QR code, and no compliance figures',
	'readable: on a phone without script /schedule shows day tabs, not the seven-column table; a tab shows that day\'s sessions',
	'readable: chart text is at least 12 px on a 390 px phone (/noise/live, /noise/reports, /schedule, /hours/teams)',
	'readable: the skip link is the first Tab stop and leads to the main content; the focus ring has 3:1 contrast',
	'readable: no text under 14 px on the main pages at 390 px; checkboxes at least 32 px on a phone',
	'readable: with the browser text size at 200 % no main page scrolls sideways at 390 px',
];
plan(STEPS.length);

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
let browser;

async function signIn(page, user) {
	await page.goto(base + '/login');
	await page.fill('input[name=username]', user);
	await page.fill('input[name=password]', 'pushan-' + user);
	await page.click('button[type=submit]');
	await page.waitForURL(base + '/');
}

// withPage runs body(page) in a new context of options, signed in as user
// (null: nobody), and closes it.
async function withPage(options, user, body) {
	const context = await browser.newContext(options);
	try {
		const page = await context.newPage();
		if (user)
			await signIn(page, user);
		return await body(page, context);
	} finally {
		await context.close();
	}
}

async function schedulePrints() {
	await withPage(DESKTOP, 'secretary', async (page, context) => {
		const blocked = [];
		page.on('console', (m) => {
			if (/Content Security Policy/i.test(m.text()))
				blocked.push(m.text());
		});
		page.on('pageerror', (e) => blocked.push(e.message));
		await context.addInitScript(() => {
			window.__printed = 0;
			window.print = () => { window.__printed++; };
		});
		await page.goto(base + '/schedule');
		const button = page.locator('button[data-print]');
		check(await button.isVisible(), 'the print button is not shown');
		check(oneLine(await button.innerText()) === '打印', `button: ${await button.innerText()}`);
		await button.click();
		check(await page.evaluate(() => window.__printed) === 1, 'window.print was not called once');
		check(!blocked.length, 'blocked or failed: ' + oneLine(blocked.join(' | ')));
		await page.emulateMedia({ media: 'print' });
		for (const sel of ['nav.main', 'header.top', 'form.publish', '.week-nav', '.day-tabs', 'footer'])
			check(!(await page.locator(sel).first().isVisible()), `${sel} prints`);
		check(await page.locator('table.timetable').isVisible(), 'the week table does not print');
		check(await page.locator('.plaza-plan.st-wide svg').isVisible(), 'the plan does not print');
	});
}

async function noticeFitsA4() {
	await withPage(DESKTOP, 'secretary', async (page) => {
		await page.goto(base + '/schedule/notice');
		const text = await page.locator('.notice-sheet').innerText();
		for (const want of ['广场舞错峰时间表', '居民委员会', '音量不超过', 'dB(A)', '扫码查看广场此刻的音量'])
			check(text.includes(want), `the notice lacks ${want}`);
		for (const not of ['分钟超限', '守规', '余量', '校核', '求解', 'lg('])
			check(!text.includes(not), `the notice shows ${not}`);
		check(await page.locator('.notice-qr svg[role=img]').isVisible(), 'no QR code');
		check(/\/noise\/display\/\d+$/.test(oneLine(await page.locator('.notice-qr small').innerText())),
			'the QR code does not lead to the live display');
		await page.emulateMedia({ media: 'print' });
		check(!(await page.locator('nav.main').isVisible()), 'the navigation prints');
		check(!(await page.locator('button[data-print]').isVisible()), 'the print button prints');
		const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
		const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
		check(pages === 1, `the notice prints on ${pages} A4 pages`);
	});
}

async function dayTabs() {
	await withPage({ ...PHONE, javaScriptEnabled: false }, 'secretary', async (page) => {
		await page.goto(base + '/schedule');
		check(await page.locator('.day-tabs').isVisible(), 'no day tabs on a phone');
		check(!(await page.locator('table.timetable').isVisible()), 'the seven-column table shows on a phone');
		check(!(await page.locator('button[data-print]').isVisible()), 'a print button that cannot work without script');
		// Wednesday's column of the (hidden) table: its teams.
		const wanted = await page.locator('table.timetable tbody tr').evaluateAll((rows) =>
			rows.flatMap((r) => [...r.children[3].querySelectorAll('.session')].map((s) => s.textContent.trim())));
		await page.locator('.day-labels label[for="day-3"]').click();
		const panels = page.locator('.day-panel');
		for (let d = 0; d < 7; d++)
			check((await panels.nth(d).isVisible()) === (d === 2), `day ${d + 1} is ${d === 2 ? 'hidden' : 'shown'}`);
		const shown = await panels.nth(2).locator('li.session').evaluateAll((li) =>
			li.map((l) => l.textContent.replace(/^\S+\s+/, '').trim()));
		check(JSON.stringify(shown) === JSON.stringify(wanted),
			`Wednesday's tab ${JSON.stringify(shown)} but the table ${JSON.stringify(wanted)}`);
	});
}

// The smallest rendered size of visible SVG text on the page, in CSS px.
const smallestSvgText = () => {
	let least = Infinity, what = '';
	for (const t of document.querySelectorAll('svg text')) {
		if (!t.getClientRects().length || !t.textContent.trim())
			continue;
		const m = t.getScreenCTM();
		const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
		if (px < least) {
			least = px;
			what = t.textContent.trim();
		}
	}
	return [least, what];
};

async function chartText() {
	await withPage(PHONE, 'secretary', async (page) => {
		for (const path of ['/noise/live', '/noise/reports', '/schedule', '/hours/teams']) {
			await page.goto(base + path);
			const [least, what] = await page.evaluate(smallestSvgText);
			check(least !== Infinity, `${path}: no chart`);
			check(least >= 12, `${path}: "${what}" is ${least.toFixed(1)} px`);
		}
	});
}

// contrast: the WCAG contrast ratio of two CSS colours "rgb(r, g, b)".
function contrast(a, b) {
	const lum = (c) => {
		const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
			v = Number(v) / 255;
			return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
		});
		return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
	};
	const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
	return (x + 0.05) / (y + 0.05);
}

async function skipAndFocus() {
	await withPage(DESKTOP, 'secretary', async (page) => {
		await page.goto(base + '/cases');
		await page.keyboard.press('Tab');
		const skip = await page.evaluate(() => {
			const e = document.activeElement, r = e.getBoundingClientRect();
			return { cls: e.className, href: e.getAttribute('href'), text: e.textContent, top: r.top, h: r.height };
		});
		check(skip.cls === 'skip-link' && skip.href === '#main', `first Tab stop: ${JSON.stringify(skip)}`);
		check(skip.top >= 0 && skip.h > 0, 'the skip link does not show when focused');
		await page.keyboard.press('Enter');
		check(await page.evaluate(() => document.activeElement.id) === 'main', 'Enter on the skip link does not reach main');
		await page.keyboard.press('Tab');
		const ring = await page.evaluate(() => {
			const e = document.activeElement, s = getComputedStyle(e);
			let bg = 'rgb(255, 255, 255)';
			for (let a = e.parentElement; a; a = a.parentElement) {
				const c = getComputedStyle(a).backgroundColor;
				if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') {
					bg = c;
					break;
				}
			}
			return { inMain: !!e.closest('main'), style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, bg, tag: e.tagName };
		});
		check(ring.inMain, `the next Tab stop (${ring.tag}) is not in main`);
		check(ring.style !== 'none' && ring.width >= 2, `focus ring: ${JSON.stringify(ring)}`);
		const ratio = contrast(ring.color, ring.bg);
		check(ratio >= 3, `focus ring ${ring.color} on ${ring.bg}: ${ratio.toFixed(2)}:1`);
	});
}

// The pages of PAGES with the path filled in, grouped by who opens them.
async function resolvePages() {
	let caseId = '';
	await withPage(DESKTOP, 'secretary', async (page) => {
		await page.goto(base + '/cases');
		caseId = await page.locator('a[href^="/cases/"]').evaluateAll((as) =>
			as.map((a) => a.getAttribute('href')).find((h) => /^\/cases\/\d+$/.test(h)));
	});
	check(caseId, 'the queue links to no case');
	const byUser = new Map();
	for (const p of PAGES) {
		const path = p.path.replace('/cases/:case', caseId);
		if (!byUser.has(p.as))
			byUser.set(p.as, []);
		byUser.get(p.as).push(path);
	}
	return byUser;
}

async function smallText() {
	const byUser = await resolvePages();
	const found = [];
	for (const [user, paths] of byUser)
		await withPage(PHONE, user, async (page) => {
			for (const path of paths) {
				await page.goto(base + path);
				const small = await page.evaluate(() => {
					for (const e of document.querySelectorAll('body *')) {
						if (e.closest('svg') || !e.getClientRects().length)
							continue;
						if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
							continue;
						const px = parseFloat(getComputedStyle(e).fontSize);
						if (px < 14)
							return `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 20)}" ${px} px`;
					}
					return '';
				});
				if (small)
					found.push(`${path} (${user || 'anonymous'}): ${small}`);
				// A control drawn by its label instead (the day tabs) is
				// tapped there: measure the label.
				const boxes = await page.locator('input[type=checkbox]:visible, input[type=radio]:visible').evaluateAll((es) =>
					es.map((e) => (getComputedStyle(e).opacity === '0' && e.labels.length ? e.labels[0] : e).getBoundingClientRect())
						.filter((r) => r.width < 32 || r.height < 32).length);
				if (boxes)
					found.push(`${path} (${user || 'anonymous'}): ${boxes} checkboxes or radios under 32 px`);
			}
		});
	check(!found.length, found.join('; '));
}

async function textSize200() {
	const byUser = await resolvePages();
	const wide = [];
	for (const [user, paths] of byUser)
		await withPage(PHONE, user, async (page, context) => {
			// The browser's own text-size setting (Settings > Appearance >
			// Font size), doubled: 32 px instead of 16.
			const cdp = await context.newCDPSession(page);
			await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
			for (const path of paths) {
				await page.goto(base + path);
				const r = await page.evaluate(() => {
					const root = parseFloat(getComputedStyle(document.documentElement).fontSize);
					const scrolls = (e) => {
						for (let a = e.parentElement; a; a = a.parentElement)
							if (/auto|scroll|hidden/.test(getComputedStyle(a).overflowX))
								return true;
						return false;
					};
					const out = [...document.querySelectorAll('body *')].find((e) =>
						e.getBoundingClientRect().right > 390.5 && !scrolls(e));
					return { root, width: document.documentElement.scrollWidth, out: out ? `${out.tagName.toLowerCase()}.${out.className}` : '' };
				});
				check(r.root >= 32, `${path}: the root font is ${r.root} px: the text-size setting is not followed`);
				if (r.width > 390)
					wide.push(`${path} (${user || 'anonymous'}): ${r.width} px wide (${r.out})`);
			}
		});
	check(!wide.length, wide.join('; '));
}

const bodies = [schedulePrints, noticeFitsA4, dayTabs, chartText, skipAndFocus, smallText, textSize200];
const timer = setTimeout(() => {
	diag(`readable scenario took longer than ${DEADLINE / 1000} s`);
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
