// Browser test: ballots door to door. Staff open an owners' assembly of one
// building (through the API, as the vote's pages would), form a group led
// by a Party member and give the building's first floor to the demo
// volunteer on the assignment page; the volunteer, on a 390 x 844 phone,
// opens 入户送票 from the menu, finds that floor's six doors, records a
// delivery at every door, then the returned sheets of three and nobody home
// at one (a revisit day appears); staff's progress page shows the numbers
// move. The phone page never scrolls sideways and its buttons are big
// enough to tap. Real pages in Debian's chromium driven by playwright-core.
// Prints TAP.
//
// The progress page left open refreshes itself (its script, ?every=5).
//
//   node assembly_doors.mjs BASE_URL                 plan line, then tests 1..N
//   node assembly_doors.mjs --count                  print N and exit
//   node assembly_doors.mjs --first=K --no-plan BASE_URL
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { base, check, diag, equals, eventually, launchBrowser, line, newContext, oneLine, plan, runSteps, textIs } from './tap.mjs';

const DEADLINE = 100_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const DESK = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
const STEPS = [
	{ name: 'assembly doors: staff open an assembly, form a group and give a floor to the demo volunteer', needs: [] },
	{ name: 'assembly doors: the volunteer on a phone records deliveries and returns for the floor', needs: [0] },
	{ name: 'assembly doors: staff\'s progress page, left open, shows the doors delivered, returned and refused move', needs: [1] },
];
plan(STEPS.length);

let browser;
const trouble = [];
const st = { staff: null, phone: null, id: 0, building: 0, volunteer: 0, parts: [] };

// The test database (run.sh sets DUTY_DB to it), for the ids a page would
// show by name.
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

async function signIn(options, user) {
	const context = await newContext(browser, options, trouble);
	const page = await context.newPage();
	await page.goto(base + '/login');
	await page.fill('input[name=username]', user);
	await page.fill('input[name=password]', 'pushan-' + user);
	await page.click('button[type=submit]');
	await page.waitForURL(base + '/');
	return page;
}

// api: a JSON call in the page's session, with its CSRF token.
async function api(page, path, body, token) {
	const r = await page.request.post(base + path, { data: body, headers: { 'X-CSRF-Token': token } });
	check(r.status() < 300, `POST ${path}: ${r.status()} ${oneLine(await r.text())}`);
	return r.json();
}

async function figure(page, name) {
	return Number(await page.locator(`[data-figure="${name}"] dd`).innerText());
}

async function assigns() {
	// the building with the most floors of six doors: a floor of six
	st.building = Number(sql("SELECT b.id FROM buildings b WHERE (SELECT COUNT(*) FROM households h WHERE h.building_id = b.id AND h.door LIKE '1__') = 6 ORDER BY b.id DESC LIMIT 1;"));
	const compound = sql(`SELECT compound_id FROM buildings WHERE id = ${st.building};`);
	st.volunteer = Number(sql("SELECT v.id FROM volunteers v JOIN users u ON u.resident_id = v.resident_id WHERE u.username = 'volunteer';"));
	const leader = sql("SELECT m.id FROM members m JOIN users u ON u.resident_id = m.resident_id WHERE u.username = 'member';");
	check(st.building && st.volunteer && leader, 'the demo lacks a building, the volunteer or the member');

	const page = st.staff = await signIn(DESK, 'staff');
	const login = await page.request.post(base + '/api/v1/login', { data: { username: 'staff', password: 'pushan-staff' } });
	const token = (await login.json()).csrf_token;
	const now = Math.floor(Date.now() / 1000);
	const a = await api(page, '/api/v1/assemblies', { compound_id: Number(compound), title: '续聘物业服务企业（入户测试）', buildings: [st.building] }, token);
	st.id = a.id;
	await api(page, `/api/v1/assemblies/${st.id}/roll`, {}, token);
	await api(page, `/api/v1/assemblies/${st.id}/matters`, { code: 'M1', item: 4, title: '续聘物业服务企业' }, token);
	await api(page, `/api/v1/assemblies/${st.id}/publish`, { published_at: now - 20 * 86400, closes_at: now + 10 * 86400 }, token);
	await api(page, `/api/v1/assemblies/${st.id}/open`, {}, token);

	await page.goto(`${base}/assemblies/${st.id}/doors`);
	await textIs(page.locator('main h1'), '入户分配', 'the assignment page');
	await page.fill('input[name=name]', '第一组');
	await page.selectOption('select[name=leader_member_id]', leader);
	await page.click('button:has-text("新建小组")');
	await page.locator('.doors-groups li', { hasText: '第一组' }).waitFor();
	await page.selectOption('select[name=building_id]', String(st.building));
	await page.fill('input[name=floor]', '1');
	await page.selectOption('select[name=volunteer_id]', String(st.volunteer));
	await page.click('button:has-text("分配")');
	await textIs(page.locator('p.notice .doors-assigned-n'), '6', 'the doors assigned');
	save('desk-assembly-doors-assign.png', await page.screenshot({ fullPage: true }));
	st.parts = sql(`SELECT part_id FROM assembly_doors WHERE assembly_id = ${st.id} ORDER BY part_id;`).split('\n').map(Number);
	check(st.parts.length === 6, `${st.parts.length} doors assigned, not 6`);

	await page.goto(`${base}/assemblies/${st.id}/progress`);
	check(await figure(page, 'delivered') === 0 && await figure(page, 'returned') === 0, 'progress does not start at 0');
}

async function records() {
	const page = st.phone = await signIn(PHONE, 'volunteer');
	await page.goto(base + '/assemblies/doors');
	await page.locator(`a[href="/assemblies/${st.id}/doors/mine"]`).tap();
	await textIs(page.locator('main h1'), '我的入户', 'the heading');
	const floor = page.locator('section.doors-floor');
	check(await floor.count() === 1, `${await floor.count()} floors shown, not the one assigned`);
	check((await floor.locator('h2').innerText()).endsWith('1层'), 'the floor heading');
	check(await page.locator('li.doors-door').count() === 6, 'not six doors');
	const first = page.locator(`#door-${st.parts[0]} button[value=delivered]`);
	const box = await first.boundingBox();
	check(box && box.height >= 44 && box.width >= 44, `已送达 is ${box && box.width}x${box && box.height}px`);
	await fits(page, 'the doors');
	save('phone-assembly-doors-before.png', await page.screenshot({ fullPage: true }));
	for (const p of st.parts) {
		await page.locator(`#door-${p} button[value=delivered]`).tap();
		await page.locator(`#door-${p}[data-outcome=delivered]`).waitFor();
	}
	for (const p of st.parts.slice(0, 3)) {
		await page.locator(`#door-${p} button[value=returned]`).tap();
		await page.locator(`#door-${p}[data-outcome=returned]`).waitFor();
	}
	const away = st.parts[5];
	await page.locator(`#door-${away} button[value=nobody_home]`).tap();
	await page.locator(`#door-${away}[data-outcome=nobody_home] .doors-revisit`).waitFor();
	await textIs(page.locator('.doors-left'), '3', 'doors to go');
	check(await page.locator(`#door-${st.parts[0]} .doors-state`).innerText().then((t) => t.startsWith('已收回')), 'a returned door does not say so');
	await fits(page, 'the doors after the visits');
	save('phone-assembly-doors.png', await page.screenshot({ fullPage: true }));
}

async function progresses() {
	const page = st.staff;
	// the page as staff left it open: its script fetches the figures
	// again (every 5 s here) and the last visit shows without a reload
	await page.goto(`${base}/assemblies/${st.id}/progress?every=5`);
	check(await figure(page, 'refused') === 0, 'a door refused before any did');
	await page.evaluate(() => { window.notReloaded = true; });
	await st.phone.locator(`#door-${st.parts[4]} button[value=refused]`).tap();
	await st.phone.locator(`#door-${st.parts[4]}[data-outcome=refused]`).waitFor();
	await eventually('the refused door on the open progress page', () => figure(page, 'refused'), equals(1), 12_000);
	check(await page.evaluate(() => window.notReloaded === true), 'the page was reloaded, not refreshed');
	check(await figure(page, 'delivered') === 6, `delivered shows ${await figure(page, 'delivered')}, not 6`);
	check(await figure(page, 'returned') === 3, `returned shows ${await figure(page, 'returned')}, not 3`);
	check(await figure(page, 'nobody_home') === 1, 'nobody home is not 1');
	const mine = page.locator(`li[data-volunteer="${st.volunteer}"] .doors-left`);
	await textIs(mine, '2', 'the volunteer\'s doors outstanding');
	check(await page.locator('.doors-quorum').count() === 2, 'not two quorum bars');
	save('desk-assembly-progress.png', await page.screenshot({ fullPage: true }));
	const phone = await signIn(PHONE, 'staff');
	await phone.goto(`${base}/assemblies/${st.id}/progress`);
	await fits(phone, 'the progress page');
	save('phone-assembly-progress.png', await phone.screenshot({ fullPage: true }));
}

let done = 0;
const deadline = setTimeout(() => {
	diag(`assembly doors scenario took longer than ${DEADLINE / 1000} s`);
	process.exit(1);
}, DEADLINE);
try {
	browser = await launchBrowser(createRequire, import.meta.url);
	done = await runSteps(STEPS, [assigns, records, progresses], trouble);
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
