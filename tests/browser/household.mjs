// Browser test: a secretary edits a household, with real clicks in Debian's
// chromium driven by playwright-core. Prints TAP.
//
//   node household.mjs BASE_URL            plan line, then tests 1..N
//   node household.mjs --count             print N and exit
//   node household.mjs --first=K --no-plan BASE_URL
//                                          tests K..K+N-1, no plan line
//                                          (run.sh wraps them in its plan)
//
// The same scenario runs at desktop (1280x900) and phone (390x844, touch)
// size, each in a fresh browser context. Every step is one test; when a
// step fails the rest of that size is reported "not ok" as not run, so the
// plan always matches. SHOT_DIR, when set, receives household-SIZE.png.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base, check, diag, equals, eventually, Failure, first, LAUNCH, line, oneLine, opt, plan, STEP_TIMEOUT, tap, textIs } from './tap.mjs';

const DEADLINE = 100_000;    // the whole run, browser start included

// What the demo area holds (linli demo) and what the pages say.
const DEMO_RESIDENTS = '4846';
const TEXT = {
	zh: {
		htmlLang: 'zh-CN', login: '登录', username: '用户名', password: '密码',
		residents: '居民', households: '住户', places: '小区与居民', search: '搜索', save: '保存',
		area: '专有面积(m²)', door: '门牌号', owners: '产权人', note: '备注',
		saved: '已保存。', langLink: 'English', areaError: /专有面积\(m²\).*两位小数/,
	},
	en: {
		htmlLang: 'en', households: 'Households', places: 'Places & people', search: 'Search', save: 'Save',
		area: 'Exclusive area (m²)', door: 'Door', owners: 'Owners', note: 'Note',
		saved: 'Saved.', langLink: '中文', areaError: /Exclusive area \(m²\).*two decimals/,
	},
};

// The two runs differ in size, language, the household they pick and the
// values they save, so that neither can pass on the other's write.
const SIZES = [
	{
		name: 'desktop', lang: 'zh',
		context: { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 },
		door: '302', household: '普善苑 2号楼 302',
		areaInput: '77.7', areaShown: '77.70',
		note: '楼道灯已修好，门口请勿堆放杂物 <b>&"\' </textarea> 桌面',
	},
	{
		name: 'phone', lang: 'en',
		context: {
			viewport: { width: 390, height: 844 }, deviceScaleFactor: 2,
			isMobile: true, hasTouch: true,
		},
		door: '1101', household: '普善华庭 1号楼 1101',
		areaInput: '66.6', areaShown: '66.60',
		note: '独居老人，每周二上门探访 <b>&"\' </textarea> 手机',
	},
];

// ------------------------------------------------------------------ TAP

const STEP_NAMES = [
	'login page opens in Chinese',
	'sign in as secretary: the work page links the registry overview with its figures',
	'language link switches to English',
	'open Households from the nav, search a door, open a household',
	'an invalid area is refused and not saved',
	'a valid area and note are saved and shown escaped',
	'the change survives a reload and shows in the JSON API',
	'language link on the household page switches and comes back',
	'the page fits the viewport; screenshot',
];
const PLAN = SIZES.length * STEP_NAMES.length;

plan(PLAN);

async function htmlLang(page) {
	return page.locator('html').getAttribute('lang');
}

// ------------------------------------------------------------- scenario

function scenario(size) {
	const t = TEXT[size.lang];
	const zh = TEXT.zh, en = TEXT.en;
	const st = { page: null, id: null, url: null, oldArea: null, owners: null };
	const nav = () => st.page.locator('nav.main');
	const menu = (lang) => nav().locator('summary', { hasText: lang.places });
	const fact = (label) => st.page.locator('dl.facts > div')
		.filter({ has: st.page.locator('dt', { hasText: new RegExp(`^${escapeRe(label)}$`) }) })
		.locator('dd');
	const areaInput = () => st.page.locator('form.entity-form [name="area_centi"]');
	const saveButton = () => st.page.locator('form.entity-form button[type="submit"]');
	// The row's page shows the facts; the form is behind its 编辑 button.
	const editPanel = () => st.page.locator('details#edit');
	const openEdit = async () => {
		if (!(await editPanel().evaluate((d) => d.open)))
			await editPanel().locator('summary').click();
		await areaInput().waitFor({ state: 'visible' });
	};

	// Follows the header link and waits for the page in the other language.
	async function switchLanguage(from, to) {
		const page = st.page;
		const link = page.locator('header.top a.lang');
		await textIs(link, from.langLink, 'language link before switching');
		const before = page.url();
		await link.click();
		await eventually('html lang after the switch', () => htmlLang(page), equals(to.htmlLang));
		check(page.url() === before, `the switch should come back to ${before}, went to ${page.url()}`);
		await textIs(link, to.langLink, 'language link after switching');
		await menu(to).waitFor({ state: 'visible' });
	}

	return [
		// 1
		async (ctx) => {
			const page = st.page = await ctx.newPage();
			const resp = await page.goto(base + '/login');
			check(resp && resp.status() === 200, `GET /login: status ${resp && resp.status()}`);
			check(await htmlLang(page) === 'zh-CN', `html lang is ${await htmlLang(page)}`);
			await page.getByRole('heading', { name: zh.login, exact: true }).waitFor({ state: 'visible' });
			await page.getByRole('button', { name: zh.login, exact: true }).waitFor({ state: 'visible' });
			await textIs(page.locator('header.top a.lang'), zh.langLink, 'language link');
			check(await nav().count() === 0, 'the navigation shows before signing in');
		},
		// 2
		async () => {
			const page = st.page;
			await page.getByLabel(zh.username).fill('secretary');
			await page.getByLabel(zh.password).fill('pushan-secretary');
			await page.getByRole('button', { name: zh.login, exact: true }).click();
			await page.waitForURL(base + '/');
			// "/" is the work page now; the registry's counts are one link away.
			await page.locator('main a[href="/registry"]').click();
			await page.waitForURL(base + '/registry');
			const stat = page.locator('a.stat[href="/residents"]');
			await textIs(stat.locator('.label'), zh.residents, 'label of the residents figure');
			await textIs(stat.locator('.num'), DEMO_RESIDENTS, 'residents on the dashboard');
			await nav().waitFor({ state: 'visible' });
			// The registry's pages are one menu of the navigation.
			await menu(zh).waitFor({ state: 'visible' });
			check(!(await nav().getByRole('link', { name: zh.households, exact: true }).isVisible()),
			      'the households link shows before its menu is opened');
			await textIs(page.locator('header.top .who'), 'secretary · 书记', 'who is signed in');
			// Back to the work page, where 首页 is the current item.
			await page.locator('header.top a.brand').click();
			await page.waitForURL(base + '/');
		},
		// 3
		async () => {
			await switchLanguage(zh, en);
			// The desktop run comes back to Chinese here (both directions);
			// the phone goes on in English, and step 8 switches each run to
			// the other language and back on the household page.
			if (size.lang === 'zh')
				await switchLanguage(en, zh);
			await textIs(nav().locator('a[aria-current="page"]'), t === zh ? '首页' : 'Home', 'current nav item');
		},
		// 4
		async () => {
			const page = st.page;
			const group = menu(t);
			await group.scrollIntoViewIfNeeded();
			await group.click();
			const link = nav().getByRole('link', { name: t.households, exact: true });
			await link.waitFor({ state: 'visible' });
			const box = await link.boundingBox();
			const vw = page.viewportSize().width;
			check(box && box.x >= -1 && box.x + box.width <= vw + 1, // subpixel layout
			      `nav link not within the viewport once its menu opened: ${JSON.stringify(box)}`);
			await link.click();
			await page.waitForURL(base + '/households');
			await textIs(page.locator('main h1'), t.households, 'households heading');
			await textIs(nav().locator('summary.current'), t.places, 'the current page\'s menu');
			check(await nav().locator('a[aria-current="page"]').textContent() === t.households,
			      'the current nav item is not the households link');
			const all = Number(/\d+/.exec(await page.locator('p.count').innerText())[0]);

			const q = page.locator('form.search input[name="q"]');
			await q.fill(size.door);
			if (size.context.hasTouch)
				await q.press('Enter'); // the "go" key of a phone keyboard
			else
				await page.locator('form.search').getByRole('button', { name: t.search }).click();
			await page.waitForURL(new RegExp(`^${escapeRe(base)}/households\\?q=${size.door}(&|$)`));
			check(await q.inputValue() === size.door, 'the search box lost the query');
			const count = Number(await eventually('result count', async () =>
				/\d+/.exec(await page.locator('p.count').innerText())[0], (n) => n !== undefined));
			check(count > 0 && count < all, `search for ${size.door}: ${count} of ${all} households`);
			const doors = await page.locator('table.rows tbody tr td:nth-child(3)').allInnerTexts();
			check(doors.length > 0 && doors.every((d) => d.includes(size.door)),
			      `a result without door ${size.door}: ${JSON.stringify(doors.slice(0, 20))}`);

			const hit = page.locator('table.rows tbody tr td:first-child a')
				.filter({ hasText: new RegExp(`^${escapeRe(size.household)}$`) });
			check(await hit.count() === 1, `${size.household} is ${await hit.count()} times in the results`);
			await hit.click();
			await page.waitForURL(new RegExp(`^${escapeRe(base)}/households/\\d+$`));
			st.url = page.url();
			st.id = Number(st.url.split('/').pop());
			await textIs(page.locator('main h1'), size.household, 'household heading');
			await textIs(fact(t.door), size.door, 'door in the facts');
			st.oldArea = oneLine(await fact(t.area).innerText());
			st.owners = oneLine(await fact(t.owners).innerText());
			check(/^\d+\.\d\d$/.test(st.oldArea), `area before editing: ${st.oldArea}`);
			check(st.oldArea !== size.areaShown, `the household already has area ${size.areaShown}`);
			check(await areaInput().inputValue() === st.oldArea,
			      `form area ${await areaInput().inputValue()} vs facts ${st.oldArea}`);
			check(!(await areaInput().isVisible()), 'the form shows before its button is pressed');
			await openEdit();
		},
		// 5
		async () => {
			const page = st.page;
			const posts = [];
			const onRequest = (r) => { if (r.method() === 'POST') posts.push(r.url()); };
			page.on('request', onRequest);
			await openEdit();
			await areaInput().fill('12.345');
			await saveButton().click();
			// The input's pattern stops the browser from sending it at all.
			check(await areaInput().evaluate((el) => el.validity.patternMismatch),
			      'the browser does not flag 12.345 against the input pattern');
			check(page.url() === st.url, `the form was sent anyway: now at ${page.url()}`);
			page.off('request', onRequest);
			check(posts.length === 0, `the browser posted ${posts.join(', ')}`);

			// Without that check (an old browser, a script) the server refuses.
			await page.locator('form.entity-form').evaluate((f) => { f.noValidate = true; });
			const [resp] = await Promise.all([
				page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === st.url),
				saveButton().click(),
			]);
			check(resp.status() === 422, `POST with area 12.345: status ${resp.status()}`);
			await page.waitForLoadState('domcontentloaded');
			const invalid = page.locator('form.entity-form .field.invalid');
			await invalid.first().waitFor({ state: 'visible' });
			check(await invalid.count() === 1, `${await invalid.count()} fields marked invalid`);
			check(await invalid.locator('[name="area_centi"]').count() === 1, 'the invalid field is not the area');
			check(await areaInput().inputValue() === '12.345',
			      `the refused form lost what was typed: ${await areaInput().inputValue()}`);
			const error = oneLine(await invalid.locator('.error').innerText());
			check(t.areaError.test(error), `field error: ${JSON.stringify(error)}`);
			check(await page.locator('.notice').count() === 0, 'a saved notice next to an error');

			await page.goto(st.url);
			await textIs(fact(t.area), st.oldArea, 'area after the refused save');
			check(await areaInput().inputValue() === st.oldArea,
			      `form area after the refused save: ${await areaInput().inputValue()}`);
			check(await page.locator('.field.invalid').count() === 0, 'the error survives a reload');
		},
		// 6
		async () => {
			const page = st.page;
			await openEdit();
			await areaInput().fill(size.areaInput);
			await page.locator('form.entity-form [name="note"]').fill(size.note);
			await saveButton().click();
			await page.waitForURL(`${st.url}?saved=1`);
			await textIs(page.locator('.notice'), t.saved, 'saved notice');
			await textIs(fact(t.area), size.areaShown, 'area in the facts');
			const note = fact(t.note);
			await eventually('note in the facts', () => note.textContent(), equals(size.note));
			check(await note.locator('b').count() === 0, 'the note made a <b> element');
			check(await page.locator('main b').count() === 0, 'a <b> element on the page');
			await textIs(fact(t.owners), st.owners, 'owners after saving');
			await textIs(fact(t.door), size.door, 'door after saving');
		},
		// 7
		async () => {
			const page = st.page;
			await page.goto(st.url); // a fresh GET, without ?saved=1
			check(await page.locator('.notice').count() === 0, 'the saved notice shows on a plain GET');
			await textIs(fact(t.area), size.areaShown, 'area after reload');
			await eventually('note after reload', () => fact(t.note).textContent(), equals(size.note));
			check(await areaInput().inputValue() === size.areaShown,
			      `form area after reload: ${await areaInput().inputValue()}`);
			const textarea = await page.locator('form.entity-form [name="note"]').inputValue();
			check(textarea === size.note, `form note after reload: ${JSON.stringify(textarea)}`);

			const api = await page.evaluate(async (id) => {
				const r = await fetch(`/api/v1/households/${id}`, { headers: { Accept: 'application/json' } });
				return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
			}, st.id);
			check(api.status === 200, `GET /api/v1/households/${st.id}: status ${api.status} ${api.text}`);
			check(/^application\/json\b/.test(api.type || ''), `API content-type ${api.type}`);
			const row = JSON.parse(api.text);
			check(row.id === st.id, `API id ${row.id}`);
			check(row.area_centi === size.areaShown, `API area_centi ${JSON.stringify(row.area_centi)}`);
			check(row.note === size.note, `API note ${JSON.stringify(row.note)}`);
			check(row.door === size.door, `API door ${JSON.stringify(row.door)}`);
		},
		// 8
		async () => {
			const other = t === zh ? en : zh;
			await switchLanguage(t, other);
			await textIs(fact(other.area), size.areaShown, `area under "${other.area}"`);
			await switchLanguage(other, t);
			await textIs(fact(t.area), size.areaShown, `area under "${t.area}"`);
		},
		// 9
		async () => {
			const page = st.page;
			const { width, height } = size.context.viewport;
			const dims = await page.evaluate(() => ({
				inner: window.innerWidth, scroll: document.documentElement.scrollWidth,
			}));
			check(dims.inner === width, `window.innerWidth ${dims.inner}, want ${width}`);
			check(dims.scroll <= dims.inner, `the page is ${dims.scroll}px wide in a ${dims.inner}px viewport`);
			const png = await page.screenshot({ fullPage: size.name === 'desktop' });
			const dpr = size.context.deviceScaleFactor;
			const pw = png.readUInt32BE(16), ph = png.readUInt32BE(20);
			check(pw === width * dpr && ph >= height * dpr, `screenshot is ${pw}x${ph}`);
			if (process.env.SHOT_DIR) {
				mkdirSync(process.env.SHOT_DIR, { recursive: true });
				const file = join(process.env.SHOT_DIR, `household-${size.name}.png`);
				writeFileSync(file, png);
				return `saved ${file}`;
			}
		},
	];
}

function stepDesc(n) {
	return `${SIZES[Math.floor(n / STEP_NAMES.length)].name}: ${STEP_NAMES[n % STEP_NAMES.length]}`;
}

function escapeRe(s) {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ------------------------------------------------------------------ run

let browser;
let done = 0; // tests reported so far
const deadline = setTimeout(() => {
	diag(`the run took longer than ${DEADLINE / 1000} s`);
	while (done < PLAN) {
		line(false, stepDesc(done), 'not run: timed out');
		done++;
	}
	process.exit(1);
}, DEADLINE);

try {
	if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base))
		throw new Error(`usage: node household.mjs http://127.0.0.1:PORT (got "${base}")`);
	const require = createRequire(import.meta.url);
	const { chromium } = require('playwright-core');
	browser = await chromium.launch(LAUNCH);
	for (const size of SIZES) {
		const ctx = await browser.newContext(size.context);
		ctx.setDefaultTimeout(STEP_TIMEOUT);
		ctx.setDefaultNavigationTimeout(STEP_TIMEOUT);
		// Nothing leaves 127.0.0.1.
		await ctx.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
		// Server errors and page script errors fail the step they happen in.
		const trouble = [];
		ctx.on('response', (r) => {
			if (r.status() >= 500 || (r.status() >= 400 && r.status() !== 422))
				trouble.push(`${r.request().method()} ${r.url()}: ${r.status()}`);
		});
		ctx.on('weberror', (e) => trouble.push(`script error: ${e.error().message}`));

		const steps = scenario(size);
		let broken = null;
		for (let i = 0; i < steps.length; i++) {
			const desc = stepDesc(done);
			if (broken) {
				line(false, desc, `not run: test ${broken} failed`);
				done++;
				continue;
			}
			trouble.length = 0;
			try {
				const note = await steps[i](ctx);
				check(trouble.length === 0, trouble.join('; '));
				line(true, desc);
				if (note)
					diag(note);
			} catch (e) {
				const why = e instanceof Failure ? e.message : e.message.split('\n')[0];
				line(false, desc, oneLine(why));
				if (!(e instanceof Failure))
					diag(e.message);
				broken = tap.number;
			}
			done++;
		}
		await ctx.close();
	}
} catch (e) {
	diag(e.stack || e.message);
	while (done < PLAN) {
		line(false, stepDesc(done), oneLine('not run: ' + e.message.split('\n')[0]));
		done++;
	}
} finally {
	if (browser)
		await browser.close().catch(() => {});
	clearTimeout(deadline);
}
process.exitCode = tap.failed ? 1 : 0;
