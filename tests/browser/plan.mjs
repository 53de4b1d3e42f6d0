// Browser test: the site plan on a 390 px phone. A volunteer's plan shows
// no report the volunteer cannot open (every marker, on the whole area and
// on each compound close up, opens with 200; no neighbour dispute), and
// every marker and cluster offers a tap target of at least 44 CSS px. A
// resident taps the report form's plan and gets a point inside the area.
// Real pages in Debian's chromium driven by playwright-core. Prints TAP.
//
//   node plan.mjs BASE_URL                 plan line, then tests 1..N
//   node plan.mjs --count                  print N and exit
//   node plan.mjs --first=K --no-plan BASE_URL
import { createRequire } from 'node:module';
import { base, check, diag, eventually, launchBrowser, line, newContext, oneLine, plan, runSteps } from './tap.mjs';

const DEADLINE = 80_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const MIN_TARGET = 44; // CSS px, WCAG 2.5.5

const STEPS = [
	{ name: 'plan: a volunteer\'s plan at 390 px: every marker opens a case the volunteer may open, no dispute, targets >= 44 px, text >= 12 px', needs: [] },
	{ name: 'plan: a resident taps the report form\'s plan and the point lands inside the area', needs: [] },
];
plan(STEPS.length);

let browser;
const trouble = [];

// targets: the markers' and clusters' links on the page, with the size of
// their invisible finger target (the first circle) and where they lead.
async function targets(page) {
	return page.$$eval('a.map-marker, a.map-cluster', (links) => links.map((a) => {
		const r = a.querySelector('circle').getBoundingClientRect();
		return { href: a.getAttribute('href'), w: r.width, h: r.height, title: a.querySelector('title').textContent };
	}));
}

// smallestSvgText: the smallest visible SVG text on the page, in CSS px.
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

async function volunteerPlan() {
	const context = await newContext(browser, PHONE, trouble);
	try {
		const page = await context.newPage();
		await page.goto(base + '/login');
		await page.fill('input[name=username]', 'volunteer');
		await page.fill('input[name=password]', 'pushan-volunteer');
		await page.click('button[type=submit]');
		await page.waitForURL(base + '/');
		const pages = ['/cases/map?closed=1'];
		let markers = 0, clusters = 0;
		for (let i = 0; i < pages.length; i++) {
			await page.goto(base + pages[i]);
			const [least, what] = await page.evaluate(smallestSvgText);
			check(least >= 12, `${pages[i]}: "${what}" is ${least.toFixed(1)} px`);
			for (const t of await targets(page)) {
				check(t.w >= MIN_TARGET && t.h >= MIN_TARGET,
					`${pages[i]}: the target of ${t.href} is ${t.w.toFixed(1)} x ${t.h.toFixed(1)} px`);
				check(!t.title.includes('邻里纠纷'), `${pages[i]}: a dispute on the plan: ${t.title}`);
				if (/^\/cases\/\d+$/.test(t.href)) {
					const r = await page.request.get(base + t.href);
					check(r.status() === 200, `${t.href} from ${pages[i]} opens with ${r.status()}`);
					markers++;
				} else {
					clusters++;
					if (t.href.startsWith('/cases/map?') && i === 0 && !pages.includes(t.href))
						pages.push(t.href);
				}
			}
		}
		check(markers > 0 && clusters > 0, `${markers} markers and ${clusters} clusters`);
		return `${markers} markers and ${clusters} clusters on ${pages.length} pages`;
	} finally {
		await context.close();
	}
}

async function residentTaps() {
	const context = await newContext(browser, PHONE, trouble);
	try {
		const page = await context.newPage();
		await page.goto(base + '/report?category=repair');
		const svg = page.locator('.plan-picker svg');
		await svg.scrollIntoViewIfNeeded();
		const box = await svg.boundingBox();
		check(box && box.width > 300, 'the plan is not shown');
		const [least, what] = await page.evaluate(smallestSvgText);
		check(least >= 12, `the picker's "${what}" is ${least.toFixed(1)} px`);
		await page.touchscreen.tap(box.x + box.width * 0.3, box.y + box.height * 0.6);
		const lat = Number(await eventually('lat', () => page.inputValue('[name=lat]'), (v) => v !== ''));
		const lon = Number(await page.inputValue('[name=long]'));
		check(lat > 31.250 && lat < 31.262 && lon > 121.444 && lon < 121.460,
			`the tap gave ${lat}, ${lon}, outside 普善`);
		const cx = Number(await page.locator('.plan-picker .pick').getAttribute('cx'));
		check(cx > 0, 'the dot did not move');
	} finally {
		await context.close();
	}
}

let done = 0;
const deadline = setTimeout(() => {
	diag(`plan scenario took longer than ${DEADLINE / 1000} s`);
	process.exit(1);
}, DEADLINE);
try {
	browser = await launchBrowser(createRequire, import.meta.url);
	done = await runSteps(STEPS, [volunteerPlan, residentTaps], trouble);
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
