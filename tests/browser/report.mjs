// Browser test: a resident reports noise from a phone, staff handle the
// case through the JSON API, the resident follows it by its tracking code
// and rates the result. Real taps in Debian's chromium driven by
// playwright-core. Prints TAP.
//
//   node report.mjs BASE_URL            plan line, then tests 1..N
//   node report.mjs --count             print N and exit
//   node report.mjs --first=K --no-plan BASE_URL
//                                       tests K..K+N-1, no plan line
//                                       (run.sh wraps them in its plan)
//
// The resident is anonymous, on a phone (390x844, touch), in Chinese, in
// one fresh browser context; staff use a separate request context. Every
// step is one test; a step whose earlier steps failed is reported "not ok"
// as not run, so the plan always matches. SHOT_DIR, when set, receives
// report-phone.png, report-form-phone.png, track-phone.png,
// report-form-desktop.png and track-desktop.png.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { base, check, diag, equals, eventually, Failure, first, LAUNCH, line, oneLine, opt, plan, STEP_TIMEOUT, tap, textIs } from './tap.mjs';

const DEADLINE = 60_000;     // the whole run, browser start included

const PHONE = {
	viewport: { width: 390, height: 844 }, deviceScaleFactor: 2,
	isMobile: true, hasTouch: true, locale: 'zh-CN',
};
const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN' };

// What the resident types and what staff write. The name and phone must
// never show on the public pages.
const REPORT = {
	category: 'noise', categoryName: '噪声扰民',
	description: '每晚八点到十点东门广场舞音响太响，老人和孩子休息不好（浏览器测试）',
	source: 'square_dance', now: 'yes',
	compound: '普善新村', building: '3号楼', door: '402',
	name: '测试居民甲', phone: '13912345678',
};
const STAFF = { username: 'staff', password: 'pushan-staff' };
const TEAM = '党员先锋队';
const NOTE = '已协调舞队调低音量';
const COMMENT = '音量小多了，谢谢社区（浏览器测试）';
const GPS = 'GPS 31.2304N 121.4737E';
const TEXT = {
	reportTitle: '我要反映', dupsTitle: '是不是这件事？', notSame: '不是，提交新的反映',
	filed: '提交成功', submitted: '已提交', resolved: '已办结', closed: '已关闭',
	publicNote: '公开说明', rating: '评价', rateButton: '提交评价', five: '★★★★★ 非常满意',
	thanks: /谢谢/, trackGo: '查看', submit: '提交',
};
const CODE_RE = /^[0-9A-HJKMNP-TV-Z]{10}$/; // Crockford base32, as the server makes them

// ------------------------------------------------------------------ TAP

// Each step names the steps it builds on; when one of them did not pass,
// the step is reported as not run.
const STEPS = [
	{ name: 'report: /report lists the categories as big links; tapping noise opens its form', needs: [] },
	{ name: 'report: the form with a photo is filed; the tracking page shows the code, 已提交 and no personal data', needs: [0] },
	{ name: 'report: staff accept, assign and resolve it through the JSON API; the stored photo has no GPS text', needs: [1] },
	{ name: 'report: the resident sees 已办结 and the note, rates 5 stars: 谢谢, 已关闭 and the rating', needs: [2] },
	{ name: 'report: /track finds the case by its code typed in lowercase with a space', needs: [1] },
	{ name: 'report: the pages fit phone and desktop viewports; screenshots', needs: [1] },
];
const PLAN = STEPS.length;

plan(PLAN);

function escapeRe(s) {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ------------------------------------------------------------ the photo

// A 4x4 RGB PNG with a tEXt chunk carrying a place, as some phones write.
// Returns the file and the same image without the tEXt chunk (what the
// server should keep).
function crc32(buf) {
	let c = 0xFFFFFFFF;
	for (const b of buf) {
		c ^= b;
		for (let k = 0; k < 8; k++)
			c = (c >>> 1) ^ (0xEDB88320 & -(c & 1));
	}
	return (c ^ 0xFFFFFFFF) >>> 0;
}
function chunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([len, body, crc]);
}
function makePng() {
	const w = 4, h = 4;
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
	const rows = [];
	for (let y = 0; y < h; y++) {
		rows.push(0); // filter: none
		for (let x = 0; x < w; x++)
			rows.push(x * 60, y * 60, 180);
	}
	const sig = Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
	const head = chunk('IHDR', ihdr);
	const text = chunk('tEXt', Buffer.from(`Comment\0${GPS}`, 'latin1'));
	const rest = Buffer.concat([chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
	return { file: Buffer.concat([sig, head, text, rest]), clean: Buffer.concat([sig, head, rest]) };
}

// ------------------------------------------------------------- scenario

// trouble: the unexpected 4xx/5xx answers and script errors of the step.
function scenario(browser, phone, trouble) {
	const st = { page: null, code: null, id: null, trackUrl: null, png: null, pngPath: null, tmp: null }; // tmp: removed at the end
	const stateBadge = () => st.page.locator('main h1 .state');
	const fact = (label) => st.page.locator('dl.facts > div')
		.filter({ has: st.page.locator('dt', { hasText: new RegExp(`^${escapeRe(label)}$`) }) })
		.locator('dd');

	// No horizontal scrolling; returns a full-page screenshot.
	async function fits(page, what, context) {
		const { width, height } = context.viewport;
		const dims = await page.evaluate(() => ({
			inner: window.innerWidth, scroll: document.documentElement.scrollWidth,
		}));
		check(dims.inner === width, `${what}: window.innerWidth ${dims.inner}, want ${width}`);
		check(dims.scroll <= dims.inner + 1, `${what}: the page is ${dims.scroll}px wide in a ${dims.inner}px viewport`);
		const png = await page.screenshot({ fullPage: true });
		const dpr = context.deviceScaleFactor;
		const pw = png.readUInt32BE(16), ph = png.readUInt32BE(20);
		check(pw === width * dpr && ph >= height * dpr, `${what}: screenshot is ${pw}x${ph}`);
		return png;
	}
	function save(name, png, saved) {
		if (!process.env.SHOT_DIR)
			return;
		mkdirSync(process.env.SHOT_DIR, { recursive: true });
		const file = join(process.env.SHOT_DIR, name);
		writeFileSync(file, png);
		saved.push(file);
	}

	return [
		// 1
		async () => {
			const page = st.page = await phone.newPage();
			const resp = await page.goto(base + '/report');
			check(resp && resp.status() === 200, `GET /report: status ${resp && resp.status()}`);
			check(await page.locator('html').getAttribute('lang') === 'zh-CN', 'html lang is not zh-CN');
			await textIs(page.locator('main h1'), TEXT.reportTitle, 'heading of /report');
			const choices = page.locator('a.choice');
			const n = await choices.count();
			check(n >= 5, `${n} category links`);
			for (let i = 0; i < n; i++) {
				const box = await choices.nth(i).boundingBox();
				check(box && box.height >= 44 && box.x >= 0 && box.x + box.width <= PHONE.viewport.width + 1,
				      `category link ${i + 1} is not a big tap target within the screen: ${JSON.stringify(box)}`);
			}
			const noise = choices.filter({ hasText: new RegExp(`^${escapeRe(REPORT.categoryName)}$`) });
			check(await noise.count() === 1, `${await noise.count()} links named ${REPORT.categoryName}`);
			await noise.tap();
			await page.waitForURL(`${base}/report?category=${REPORT.category}`);
			await textIs(page.locator('main h1'), REPORT.categoryName, 'heading of the form');

			const form = page.locator('form.report-form');
			await form.waitFor({ state: 'visible' });
			check(await form.getAttribute('enctype') === 'multipart/form-data',
			      `form enctype ${await form.getAttribute('enctype')}`);
			check(await form.getAttribute('method') === 'post', `form method ${await form.getAttribute('method')}`);
			const field = (sel) => form.locator(sel);
			await field('textarea[name="description"]').waitFor({ state: 'visible' });
			check(await field('textarea[name="description"][required]').count() === 1, 'the description is not required');
			check(await field(`input[type="radio"][name="q_source"][value="${REPORT.source}"]`).count() === 1,
			      `no radio q_source=${REPORT.source}`);
			check(await field('input[type="radio"][name="q_now"]').count() >= 2, 'no q_now radios');
			const compounds = await field('select[name="compound_id"] option').allInnerTexts();
			check(compounds.includes(REPORT.compound), `compounds offered: ${JSON.stringify(compounds)}`);
			// Buildings come grouped by compound (an optgroup per compound).
			const buildings = await field(`select[name="building_id"] optgroup[label="${REPORT.compound}"] option`).allInnerTexts();
			check(buildings.includes(REPORT.building), `${REPORT.building} not among ${REPORT.compound}'s ${buildings.length} buildings`);
			check(await field('input[name="door"]').count() === 1, 'no door input');
			const photo = field('input[type="file"][name="photo"]');
			check(await photo.count() === 1, 'no photo input');
			const accept = ((await photo.getAttribute('accept')) || '').split(',').map((s) => s.trim()).sort();
			check(JSON.stringify(accept) === JSON.stringify(['image/jpeg', 'image/png', 'image/webp']),
			      `photo accept="${accept}"`);
			for (const name of ['reporter_name', 'reporter_phone']) {
				const input = field(`input[name="${name}"]`);
				check(await input.count() === 1, `no ${name} input`);
				check(await input.getAttribute('required') === null, `${name} is required`);
			}
		},
		// 2
		async () => {
			const page = st.page;
			const form = page.locator('form.report-form');
			st.tmp = mkdtempSync(join(tmpdir(), 'linli-report-'));
			tmpDirs.push(st.tmp);
			st.png = makePng();
			st.pngPath = join(st.tmp, 'noise.png');
			writeFileSync(st.pngPath, st.png.file);

			await form.locator('textarea[name="description"]').fill(REPORT.description);
			await form.locator('label.check', { has: page.locator(`input[name="q_source"][value="${REPORT.source}"]`) }).tap();
			await form.locator('label.check', { has: page.locator(`input[name="q_now"][value="${REPORT.now}"]`) }).tap();
			check(await form.locator(`input[name="q_source"][value="${REPORT.source}"]`).isChecked(), 'tapping 广场舞 did not check it');
			await form.locator('select[name="compound_id"]').selectOption({ label: REPORT.compound });
			const buildingValue = await form.locator(`select[name="building_id"] optgroup[label="${REPORT.compound}"] option`, { hasText: REPORT.building }).first().getAttribute('value');
			await form.locator('select[name="building_id"]').selectOption(buildingValue);
			await form.locator('input[name="door"]').fill(REPORT.door);
			await form.locator('input[name="photo"]').setInputFiles(st.pngPath);
			await form.locator('input[name="reporter_name"]').fill(REPORT.name);
			await form.locator('input[name="reporter_phone"]').fill(REPORT.phone);

			const trackRe = new RegExp(`^${escapeRe(base)}/track/([0-9A-Z]+)\\?new=1$`);
			await form.getByRole('button', { name: TEXT.submit, exact: true }).tap();
			await page.waitForURL((u) => trackRe.test(u.href) || u.href === `${base}/report`);
			let note;
			if (!trackRe.test(page.url())) {
				// A similar open report nearby: the server asks first.
				const alert = page.locator('main .alert');
				if (await alert.count())
					throw new Failure(`the form was refused: ${oneLine(await alert.innerText())}`);
				await textIs(page.locator('main h1'), TEXT.dupsTitle, 'heading of the page the form led to');
				await page.getByRole('button', { name: TEXT.notSame, exact: true }).tap();
				await page.waitForURL(trackRe);
				note = 'the duplicates page came first; filed as new';
			}
			st.code = trackRe.exec(page.url())[1];
			check(CODE_RE.test(st.code), `tracking code in the URL: ${st.code}`);
			st.trackUrl = `${base}/track/${st.code}`;

			const card = page.locator('.notice-card');
			await card.waitFor({ state: 'visible' });
			await textIs(card.locator('h1'), TEXT.filed, 'title of the success card');
			await textIs(card.locator('.code'), st.code, 'code on the success card');
			const box = await card.locator('.code').boundingBox();
			check(box && box.x >= 0 && box.x + box.width <= PHONE.viewport.width + 1,
			      `the code does not fit on the screen: ${JSON.stringify(box)}`);
			await textIs(stateBadge(), TEXT.submitted, 'state badge');
			const html = await page.content();
			const text = await page.locator('body').innerText();
			for (const [what, value] of [['name', REPORT.name], ['phone', REPORT.phone]])
				check(!html.includes(value) && !text.includes(value), `the reporter's ${what} ${value} is on the tracking page`);
			return note;
		},
		// 3
		async () => {
			const { request } = createRequire(import.meta.url)('playwright-core');
			const api = await request.newContext({ baseURL: base });
			try {
				const json = async (resp, what, status = 200) => {
					const body = await resp.text();
					check(resp.status() === status, `${what}: status ${resp.status()} ${oneLine(body)}`);
					check(/^application\/json\b/.test(resp.headers()['content-type'] || ''),
					      `${what}: content-type ${resp.headers()['content-type']}`);
					return JSON.parse(body);
				};
				const login = await json(await api.post('/api/v1/login', {
					headers: { 'Content-Type': 'application/json' }, data: JSON.stringify(STAFF),
				}), 'POST /api/v1/login');
				check(typeof login.csrf_token === 'string' && login.csrf_token.length >= 16,
				      `login answer ${JSON.stringify(login)}`);
				const csrf = login.csrf_token;

				const trackResp = await api.get(`/api/v1/track/${st.code}`);
				const trackText = await trackResp.text();
				const track = await json(trackResp, `GET /api/v1/track/${st.code}`);
				check(Number.isInteger(track.id) && track.id > 0, `case id ${JSON.stringify(track.id)}`);
				check(track.state === 'submitted', `state by tracking code: ${track.state}`);
				check(!trackText.includes(REPORT.name) && !trackText.includes(REPORT.phone),
				      'the public tracking API shows the reporter');
				st.id = track.id;

				const c = await json(await api.get(`/api/v1/cases/${st.id}`), `GET /api/v1/cases/${st.id}`);
				check(c.id === st.id && c.tracking_code === st.code, `case ${c.id} code ${c.tracking_code}`);
				check(c.category === REPORT.category, `category ${c.category}`);
				check(c.description === REPORT.description, `description ${JSON.stringify(c.description)}`);
				check(c.reporter_name === REPORT.name, `reporter_name ${JSON.stringify(c.reporter_name)}`);
				const photos = c.photos || [];
				check(photos.length === 1, `photos ${JSON.stringify(photos)}`);
				const p = photos[0];
				check(p.mime === 'image/png' && /^[0-9a-f]{64}$/.test(p.sha256), `photo ${JSON.stringify(p)}`);

				const img = await api.get(`/cases/${st.id}/photos/${p.sha256}.png`);
				check(img.status() === 200, `GET the photo: status ${img.status()}`);
				check((img.headers()['content-type'] || '').startsWith('image/png'),
				      `photo content-type ${img.headers()['content-type']}`);
				const bytes = await img.body();
				check(!bytes.includes(Buffer.from(GPS, 'latin1')) && !bytes.includes(Buffer.from('GPS')),
				      'the stored photo still carries the GPS text');
				check(!bytes.includes(Buffer.from('tEXt')), 'the stored photo still has a tEXt chunk');
				check(bytes.equals(st.png.clean),
				      `the stored photo (${bytes.length} bytes) is not the upload without its tEXt chunk (${st.png.clean.length})`);
				check(createHash('sha256').update(bytes).digest('hex') === p.sha256, 'the photo is not named by its sha256');
				check(p.bytes === bytes.length, `photo bytes ${p.bytes}, served ${bytes.length}`);

				const teams = await json(await api.get(`/api/v1/teams?q=${encodeURIComponent(TEAM)}`), 'GET /api/v1/teams');
				const team = (teams.items || []).find((t) => t.name === TEAM);
				check(team && Number.isInteger(team.id), `no team ${TEAM} in ${JSON.stringify(teams.items)}`);

				const act = async (body, state) => {
					const r = await json(await api.post(`/api/v1/cases/${st.id}/actions`, {
						headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
						data: JSON.stringify(body),
					}), `action ${body.action}`);
					check(r.state === state, `after ${body.action}: state ${r.state}, want ${state}`);
					return r;
				};
				await act({ action: 'accept' }, 'accepted');
				const assigned = await act({ action: 'assign', handler_team_id: team.id }, 'assigned');
				check(assigned.handler_team_id === team.id,
				      `handler_team_id after assign: ${JSON.stringify(assigned.handler_team_id)}`);
				const resolved = await act({ action: 'resolve', note: NOTE, public: true }, 'resolved');
				check(resolved.public_note === NOTE, `public_note ${JSON.stringify(resolved.public_note)}`);
			} finally {
				await api.dispose();
			}
		},
		// 4
		async () => {
			const page = st.page;
			const resp = await page.goto(st.trackUrl);
			check(resp && resp.status() === 200, `GET ${st.trackUrl}: status ${resp && resp.status()}`);
			check(await page.locator('.notice-card').count() === 0, 'the success card shows without ?new=1');
			await textIs(stateBadge(), TEXT.resolved, 'state badge');
			await textIs(fact(TEXT.publicNote), NOTE, 'public note');
			const rate = page.locator(`form[action="/track/${st.code}/rating"]`);
			await rate.waitFor({ state: 'visible' });
			check(await rate.locator('input[type="radio"][name="rating"]').count() === 5, 'not five rating radios');
			// Each choice is its own radio with its own label: tap the words.
			const five = rate.locator('label[for="rate-5"]');
			await five.waitFor({ state: 'visible' });
			await textIs(five, TEXT.five, 'the label beside the fifth radio');
			await five.tap();
			check(await rate.locator('input[name="rating"][value="5"]').isChecked(), 'tapping five stars did not check it');
			await rate.locator('textarea[name="comment"]').fill(COMMENT);
			await rate.getByRole('button', { name: TEXT.rateButton, exact: true }).tap();
			await page.waitForURL(`${st.trackUrl}?done=rating`);
			await eventually('thanks notice', async () => oneLine(await page.locator('main .notice').innerText({ timeout: 1000 })),
					 (s) => TEXT.thanks.test(s));
			await textIs(stateBadge(), TEXT.closed, 'state badge after rating');
			await textIs(fact(TEXT.rating), TEXT.five, 'rating in the facts');
			check(await page.locator(`form[action="/track/${st.code}/rating"]`).count() === 0,
			      'the rating form is still offered after rating');
			await textIs(fact(TEXT.publicNote), NOTE, 'public note after rating');
		},
		// 5
		async () => {
			const page = st.page;
			const resp = await page.goto(base + '/track');
			check(resp && resp.status() === 200, `GET /track: status ${resp && resp.status()}`);
			const typed = `${st.code.slice(0, 5)} ${st.code.slice(5)}`.toLowerCase();
			await page.locator('input[name="code"]').fill(typed);
			await page.getByRole('button', { name: TEXT.trackGo, exact: true }).tap();
			await page.waitForURL(st.trackUrl);
			await textIs(stateBadge(), TEXT.closed, 'state badge');
			check((await page.locator('main').innerText()).includes(st.code), `the page does not show ${st.code}`);
		},
		// 6
		async () => {
			const saved = [];
			const page = st.page;
			for (const [path, shot] of [['/report', 'report-phone.png'],
						    [`/report?category=${REPORT.category}`, 'report-form-phone.png'],
						    [`/track/${st.code}`, 'track-phone.png']]) {
				const resp = await page.goto(base + path);
				check(resp && resp.status() === 200, `GET ${path}: status ${resp && resp.status()}`);
				save(shot, await fits(page, `phone ${path}`, PHONE), saved);
			}
			const desk = await newContext(browser, DESKTOP, trouble);
			try {
				const dpage = await desk.newPage();
				for (const [path, shot] of [[`/report?category=${REPORT.category}`, 'report-form-desktop.png'],
							    [`/track/${st.code}`, 'track-desktop.png']]) {
					const resp = await dpage.goto(base + path);
					check(resp && resp.status() === 200, `desktop GET ${path}: status ${resp && resp.status()}`);
					save(shot, await fits(dpage, `desktop ${path}`, DESKTOP), saved);
				}
			} finally {
				await desk.close();
			}
			return saved.length ? `saved ${saved.join(', ')}` : undefined;
		},
	];
}

// A browser context that reaches nothing but 127.0.0.1 and records
// unexpected answers and script errors in trouble.
async function newContext(browser, options, trouble) {
	const ctx = await browser.newContext(options);
	ctx.setDefaultTimeout(STEP_TIMEOUT);
	ctx.setDefaultNavigationTimeout(STEP_TIMEOUT);
	await ctx.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
	ctx.on('response', (r) => {
		if (r.status() >= 400)
			trouble.push(`${r.request().method()} ${r.url()}: ${r.status()}`);
	});
	ctx.on('weberror', (e) => trouble.push(`script error: ${e.error().message}`));
	return ctx;
}

// ------------------------------------------------------------------ run

let browser;
let done = 0; // tests reported so far
const tmpDirs = [];
const deadline = setTimeout(() => {
	diag(`the run took longer than ${DEADLINE / 1000} s`);
	while (done < PLAN) {
		line(false, STEPS[done].name, 'not run: timed out');
		done++;
	}
	for (const d of tmpDirs)
		rmSync(d, { recursive: true, force: true });
	process.exit(1);
}, DEADLINE);

try {
	if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base))
		throw new Error(`usage: node report.mjs http://127.0.0.1:PORT (got "${base}")`);
	const require = createRequire(import.meta.url);
	const { chromium } = require('playwright-core');
	browser = await chromium.launch(LAUNCH);
	const trouble = [];
	const phone = await newContext(browser, PHONE, trouble);
	const steps = scenario(browser, phone, trouble);
	const passed = [];
	const started = Date.now();
	for (let i = 0; i < steps.length; i++) {
		const missing = STEPS[i].needs.filter((k) => !passed[k]);
		if (missing.length) {
			line(false, STEPS[i].name, `not run: test ${missing.map((k) => first + k).join(', ')} failed`);
			done++;
			continue;
		}
		trouble.length = 0;
		try {
			const note = await steps[i]();
			check(trouble.length === 0, trouble.join('; '));
			passed[i] = true;
			line(true, STEPS[i].name);
			if (note)
				diag(note);
		} catch (e) {
			const why = e instanceof Failure ? e.message : e.message.split('\n')[0];
			line(false, STEPS[i].name, oneLine(why));
			if (!(e instanceof Failure))
				diag(e.message);
			if (trouble.length && !why.startsWith(trouble[0]))
				diag('also: ' + trouble.join('; '));
		}
		done++;
	}
	diag(`report scenario took ${((Date.now() - started) / 1000).toFixed(1)} s after the browser started`);
	await phone.close();
} catch (e) {
	diag(e.stack || e.message);
	while (done < PLAN) {
		line(false, STEPS[done].name, oneLine('not run: ' + e.message.split('\n')[0]));
		done++;
	}
} finally {
	if (browser)
		await browser.close().catch(() => {});
	clearTimeout(deadline);
	for (const d of tmpDirs)
		rmSync(d, { recursive: true, force: true });
}
process.exitCode = tap.failed ? 1 : 0;
