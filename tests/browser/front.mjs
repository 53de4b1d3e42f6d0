// Browser test: the front door on a phone. A resident starts at "/",
// reports with a photo, copies the code and follows it from the front
// page; a social worker starts at "/", signs in from the small link, sees
// the day's work and accepts the new case in two taps. Real taps in
// Debian's chromium driven by playwright-core. Prints TAP.
//
//   node front.mjs BASE_URL            plan line, then tests 1..N
//   node front.mjs --count             print N and exit
//   node front.mjs --first=K --no-plan BASE_URL
//
// SHOT_DIR, when set, receives phone-front.png, phone-receipt.png and
// phone-work.png.
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { base, check, diag, eventually, Failure, launchBrowser, line, newContext, oneLine, plan, runSteps, textIs } from './tap.mjs';

const DEADLINE = 80_000; // the whole run, browser start included

const PHONE = {
	viewport: { width: 390, height: 844 }, deviceScaleFactor: 2,
	isMobile: true, hasTouch: true, locale: 'zh-CN',
};
const REPORT = { category: 'repair', name: '设施报修', text: '五号楼单元门的闭门器坏了，门关不上（前门测试）' };
const STAFF = { username: 'staff', password: 'pushan-staff' };
const CODE_RE = /^[0-9A-HJKMNP-TV-Z]{10}$/;

const STEPS = [
	{ name: 'front: a resident on a phone starts at /: 我要反映 is the big first action, 查进度 has its box, staff sign in from a small link', needs: [] },
	{ name: 'front: the resident reports with a photo; the receipt shows the code large on the screen with its QR code, and 复制编号 copies it', needs: [0] },
	{ name: 'front: back at /, the code typed into 查进度 opens the tracking page, which shows what was reported above the timeline', needs: [1] },
	{ name: 'front: a social worker starts at /, signs in from the small link and lands on 今日工作 with cases waiting to be accepted', needs: [1] },
	{ name: 'front: two taps accept a case (the first in the waiting list, then 受理): it says 已受理 and 待受理 is one less', needs: [3] },
];
const PLAN = STEPS.length;

plan(PLAN);

// A 2x2 grey PNG, enough for the form's checks.
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
function tinyPng() {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(2, 0);
	ihdr.writeUInt32BE(2, 4);
	ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit grey
	const sig = Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
	return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from([0, 90, 160, 0, 200, 40]))),
			      chunk('IEND', Buffer.alloc(0))]);
}

const tmpDirs = [];

function save(name, png) {
	if (!process.env.SHOT_DIR)
		return;
	mkdirSync(process.env.SHOT_DIR, { recursive: true });
	writeFileSync(join(process.env.SHOT_DIR, name), png);
}

// No horizontal scrolling on a 390 px screen.
async function fits(page, what) {
	const d = await page.evaluate(() => ({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth }));
	check(d.scroll <= d.inner + 1, `${what}: the page is ${d.scroll}px wide in a ${d.inner}px screen`);
}

function scenario(resident, worker) {
	const st = { page: null, code: null, staff: null, waiting: 0 };
	return [
		// 1
		async () => {
			const page = st.page = await resident.newPage();
			const resp = await page.goto(base + '/');
			check(resp && resp.status() === 200, `GET /: ${resp && resp.status()}`);
			const main = page.locator('main a.button.primary.big').first();
			await textIs(main, '我要反映', 'the main action');
			const box = await main.boundingBox();
			check(box && box.height >= 44 && box.width >= 300, `我要反映 is not a big target: ${JSON.stringify(box)}`);
			// It comes before everything else on the page.
			const firstLink = await page.locator('main a, main button, main input').first().innerText().catch(() => '');
			check(firstLink === '我要反映', `the first thing to tap is "${firstLink}"`);
			check(await page.locator('form.track-box input[name="code"]').count() === 1, 'no 查进度 box');
			await textIs(page.locator('main a[href="/login"]'), '工作人员登录', 'the small staff link');
			check(await page.locator('main .hero').count() === 1, 'no hero');
			check(!(await page.locator('body').innerText()).includes('今日工作'), 'the resident sees the work page');
			await fits(page, '/');
			save('phone-front.png', await page.screenshot({ fullPage: true }));
		},
		// 2
		async () => {
			const page = st.page;
			await page.locator('main a.button.primary.big').tap();
			await page.waitForURL(`${base}/report`);
			await page.locator('a.choice', { hasText: REPORT.name }).tap();
			await page.waitForURL(`${base}/report?category=${REPORT.category}`);
			const tmp = mkdtempSync(join(tmpdir(), 'linli-front-'));
			tmpDirs.push(tmp);
			writeFileSync(join(tmp, 'door.png'), tinyPng());
			const form = page.locator('form.report-form');
			await form.locator('textarea[name="description"]').fill(REPORT.text);
			await form.locator('input[name="photo"]').setInputFiles(join(tmp, 'door.png'));
			await form.getByRole('button', { name: '提交', exact: true }).tap();
			const trackRe = new RegExp(`/track/([0-9A-Z]+)\\?new=1$`);
			await page.waitForURL((u) => trackRe.test(u.href) || (u.pathname === '/report' && !u.search));
			if (!trackRe.test(page.url())) {
				const alert = page.locator('main .alert');
				if (await alert.count())
					throw new Failure(`the form was refused: ${oneLine(await alert.innerText())}`);
				await page.getByRole('button', { name: '不是，提交新的反映', exact: true }).tap();
				await page.waitForURL(trackRe);
			}
			st.code = trackRe.exec(page.url())[1];
			check(CODE_RE.test(st.code), `code ${st.code}`);
			const code = page.locator('.receipt .code');
			await textIs(code, st.code, 'the code on the receipt');
			const box = await code.boundingBox();
			check(box && box.x >= 0 && box.x + box.width <= PHONE.viewport.width + 1, `the code runs off the screen: ${JSON.stringify(box)}`);
			const size = await code.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
			check(size >= 24, `the code is ${size}px, not large`);
			check(await page.locator('.receipt svg.qr').count() === 1, 'no QR code on the receipt');
			const copy = page.locator('button[data-copy="track-code"]');
			await copy.waitFor({ state: 'visible' });
			await copy.tap();
			await textIs(copy, '已复制', 'the copy button after tapping');
			const clip = await page.evaluate(() => navigator.clipboard.readText());
			check(clip === st.code, `the clipboard holds "${clip}"`);
			await fits(page, 'the receipt');
			save('phone-receipt.png', await page.screenshot({ fullPage: true }));
		},
		// 3
		async () => {
			const page = st.page;
			await page.goto(base + '/');
			await page.locator('form.track-box input[name="code"]').fill(st.code.toLowerCase());
			await page.locator('form.track-box button[type="submit"]').tap();
			await page.waitForURL(`${base}/track/${st.code}`);
			await textIs(page.locator('.reported .said'), REPORT.text, 'what was reported');
			const said = await page.locator('.reported').boundingBox();
			const timeline = await page.locator('ol.timeline').boundingBox();
			check(said && timeline && said.y < timeline.y, 'what was reported is not above the timeline');
		},
		// 4
		async () => {
			const page = st.staff = await worker.newPage();
			await page.goto(base + '/');
			await page.locator('main a[href="/login"]').tap();
			await page.waitForURL(/\/login/);
			await page.locator('input[name="username"]').fill(STAFF.username);
			await page.locator('input[name="password"]').fill(STAFF.password);
			await page.locator('form.stack button[type="submit"]').tap();
			await page.waitForURL(`${base}/`);
			await textIs(page.locator('main h1').first(), '今日工作', 'the heading after signing in');
			const accept = page.locator('a.stat[href="/cases?awaiting=1"] .num');
			const n = Number(await accept.innerText());
			check(n >= 1, `待受理 shows ${n}`);
			st.waiting = n;
			check(await page.locator('ul.waiting a').count() >= 1, 'no case in the waiting list');
			await fits(page, 'the work page');
			save('phone-work.png', await page.screenshot({ fullPage: true }));
		},
		// 5
		async () => {
			const page = st.staff;
			await page.locator('ul.waiting a').first().tap(); // tap 1
			await page.waitForURL(/\/cases\/\d+$/);
			await page.getByRole('button', { name: '受理', exact: true }).first().tap(); // tap 2
			await eventually('the state after 受理', async () => oneLine(await page.locator('main h1 .state').first().innerText({ timeout: 1000 })),
					 (s) => s === '已受理');
			await page.goto(base + '/');
			const n = Number(await page.locator('a.stat[href="/cases?awaiting=1"] .num').innerText());
			check(n === st.waiting - 1, `待受理 went from ${st.waiting} to ${n}`);
		},
	];
}

// ------------------------------------------------------------------ run

let browser;
let done = 0;
const deadline = setTimeout(() => {
	diag(`the run took longer than ${DEADLINE / 1000} s`);
	while (done < PLAN) {
		line(false, STEPS[done].name, 'not run: timed out');
		done++;
	}
	process.exit(1);
}, DEADLINE);

try {
	if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base))
		throw new Error(`usage: node front.mjs http://127.0.0.1:PORT (got "${base}")`);
	browser = await launchBrowser(createRequire, import.meta.url);
	const trouble = [];
	const resident = await newContext(browser, PHONE, trouble);
	await resident.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
	const worker = await newContext(browser, PHONE, trouble);
	const started = Date.now();
	done = await runSteps(STEPS, scenario(resident, worker), trouble);
	diag(`front scenario took ${((Date.now() - started) / 1000).toFixed(1)} s after the browser started`);
	await resident.close();
	await worker.close();
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
