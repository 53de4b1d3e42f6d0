// Browser test: an owner votes online with the QR code of a ballot sheet.
// The committee sets up an assembly of one building through the product's
// API (the property register as CSV brings the owner's real-name record),
// staff print the owner's sheet on a desktop (the name masked, a QR code
// and the code beneath it), the owner opens the sheet's address on a
// phone (390x844), confirms who they are and votes on both matters with
// big tappable choices, and the result counts the ballot. Prints TAP.
//
//   node assembly_online.mjs BASE_URL                 plan line, then tests 1..N
//   node assembly_online.mjs --count                  print N and exit
//   node assembly_online.mjs --first=K --no-plan BASE_URL
import { createRequire } from 'node:module';
import { base, check, diag, first, launchBrowser, newContext, oneLine, plan, runSteps, tap } from './tap.mjs';

const DEADLINE = 80_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN' };
const SHOTS = process.env.SHOT_DIR || '';

const OWNER = '陈静怡';
const LAST4 = '246X';

const STEPS = [
	{ name: 'assembly online: the committee opens an assembly whose roll comes from the property register with a real-name record', needs: [] },
	{ name: 'assembly online: staff print a part\'s A4 ballot sheet with the owner\'s name masked, the matters, a QR code and its code', needs: [0] },
	{ name: 'assembly online: the owner opens the sheet\'s address on a phone, confirms name and ID digits and votes on both matters', needs: [1] },
	{ name: 'assembly online: the result counts the owner\'s online ballot; the spent code is refused', needs: [2] },
];
plan(STEPS.length);

let browser;
const trouble = [];
let assembly = 0, partId = 0, code = '';

async function signedIn(options, user, body) {
	const ctx = await newContext(browser, options, trouble);
	try {
		const page = await ctx.newPage();
		await page.goto(base + '/login');
		await page.fill('input[name=username]', user);
		await page.fill('input[name=password]', 'pushan-' + user);
		await page.click('button[type=submit]');
		await page.waitForURL(base + '/');
		return await body(page);
	} finally {
		await ctx.close();
	}
}

// api: a JSON call from the signed-in page (its session and CSRF token).
async function api(page, method, path, data) {
	const csrf = await page.evaluate(() => {
		const m = document.querySelector('input[name=_csrf]');
		return m ? m.value : '';
	});
	const r = await page.request.fetch(base + path, {
		method,
		headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
		data: data === undefined ? undefined : JSON.stringify(data),
	});
	const body = await r.json().catch(() => ({}));
	check(r.ok(), `${method} ${path}: ${r.status()} ${JSON.stringify(body).slice(0, 200)}`);
	return body;
}

async function setUp() {
	await signedIn(DESKTOP, 'admin', async (page) => {
		// a page with a form carries the CSRF token the API wants
		await page.goto(base + '/meetings/new');
		const compounds = await api(page, 'GET', '/api/v1/compounds');
		const compound = compounds.items.find((c) => c.name === '普善新村');
		check(compound, 'no compound 普善新村 in the demo');
		const now = Math.floor(Date.now() / 1000);
		const created = await api(page, 'POST', '/api/v1/assemblies',
			{ compound_id: compound.id, title: '普善新村7号楼加装电梯', buildings: [] });
		assembly = created.id || created.assembly?.id;
		check(assembly, 'no assembly id');
		await api(page, 'POST', `/api/v1/assemblies/${assembly}/roll/import`, {
			csv: 'building,door,owner,area_m2,id_name,id_last4\n' +
				`7号楼,101,${OWNER},80.25,${OWNER},${LAST4}\n` +
				'7号楼,102,周建国,75.10,周建国,1357\n' +
				'7号楼,201,开发商,90.00,,\n',
		});
		await api(page, 'POST', `/api/v1/assemblies/${assembly}/matters`,
			{ code: 'M1', item: 7, title: '7号楼加装电梯', body: '由业主共同出资加装电梯。' });
		await api(page, 'POST', `/api/v1/assemblies/${assembly}/matters`,
			{ code: 'M2', item: 5, title: '使用维修资金补贴', body: '' });
		await api(page, 'POST', `/api/v1/assemblies/${assembly}/publish`,
			{ published_at: now - 20 * 86400, closes_at: now + 3600 });
		const opened = await api(page, 'POST', `/api/v1/assemblies/${assembly}/open`, {});
		check(opened.assembly.state === 'open', `the assembly is ${opened.assembly.state}`);
		const parts = await api(page, 'GET', `/api/v1/assemblies/${assembly}/parts`);
		const part = parts.parts.find((p) => p.owner_name === OWNER);
		check(part && part.has_id_check, 'the owner\'s part has no real-name record');
		partId = part.id;
	});
}

async function printSheet() {
	await signedIn(DESKTOP, 'staff', async (page) => {
		await page.goto(`${base}/assemblies/${assembly}/sheets`);
		await page.locator('select[name=part]').selectOption(String(partId));
		await page.locator('form button.primary').click();
		await page.waitForLoadState();
		const sheet = page.locator('article.ballot-sheet');
		check((await sheet.count()) === 1, `${await sheet.count()} sheets for one part`);
		const owner = oneLine(await sheet.locator('.ballot-owner').innerText());
		check(owner === '陈**', `the owner shows as ${owner}`);
		const text = await sheet.innerText();
		check(!text.includes(OWNER), 'the full name is on the sheet');
		for (const want of ['7号楼加装电梯', '使用维修资金补贴', '同意', '反对', '弃权'])
			check(text.includes(want), `the sheet lacks ${want}`);
		check(await sheet.locator('svg.qr').isVisible(), 'no QR code');
		code = (await sheet.locator('.ballot-code').innerText()).replace(/\s+/g, '');
		check(/^[0-9A-Z]{20}$/.test(code), `the code reads ${code}`);
		await page.emulateMedia({ media: 'print' });
		check(!(await page.locator('nav.main').isVisible()), 'the navigation prints');
		const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
		const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
		check(pages === 1, `the sheet prints on ${pages} pages`);
		if (SHOTS)
			await page.screenshot({ path: SHOTS + '/assembly-sheet.png', fullPage: true });
	});
}

async function voteOnPhone() {
	const ctx = await newContext(browser, PHONE, trouble);
	try {
		const page = await ctx.newPage();
		await page.goto(`${base}/assembly/vote?code=${code}`);
		check((await page.locator('h1').innerText()).includes('7号楼加装电梯'), 'not the assembly\'s vote');
		const width = await page.evaluate(() => document.documentElement.scrollWidth);
		check(width <= 390, `the page is ${width} px wide on a 390 px phone`);
		const size = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.vote legend')).fontSize));
		check(size >= 20, `the matters are set at ${size} px`);
		const box = await page.locator('label.choice').first().boundingBox();
		check(box && box.height >= 44 && box.width >= 44, `a choice is ${box && box.width}x${box && box.height} px`);
		await page.fill('input[name=name]', OWNER);
		await page.fill('input[name=last4]', LAST4.toLowerCase());
		await page.locator('fieldset.matter').nth(0).locator('label.choice', { hasText: '同意' }).tap();
		await page.locator('fieldset.matter').nth(1).locator('label.choice', { hasText: '反对' }).tap();
		if (SHOTS)
			await page.screenshot({ path: SHOTS + '/assembly-vote-phone.png', fullPage: true });
		await page.locator('form.vote button.primary').tap();
		await page.waitForLoadState();
		check((await page.locator('.notice').innerText()).includes('已计入'), 'no word that the vote counted');
		const cast = oneLine(await page.locator('ul.vote-cast').innerText());
		check(cast.includes('同意') && cast.includes('反对'), `the receipt says ${cast}`);
	} finally {
		await ctx.close();
	}
}

async function resultCounts() {
	await signedIn(DESKTOP, 'admin', async (page) => {
		await page.goto(base + '/meetings/new');
		const result = await api(page, 'GET', `/api/v1/assemblies/${assembly}`);
		const m1 = result.matters.find((m) => m.code === 'M1');
		const m2 = result.matters.find((m) => m.code === 'M2');
		check(m1.participating_owners === 1 && m1.agree_owners === 1, `M1: ${JSON.stringify(m1).slice(0, 160)}`);
		check(m2.participating_owners === 1 && m2.oppose_owners === 1, `M2: ${JSON.stringify(m2).slice(0, 160)}`);
		const ballots = await api(page, 'GET', `/api/v1/assemblies/${assembly}/ballots`);
		const mine = ballots.ballots.filter((b) => b.part_id === partId);
		check(mine.length === 2 && mine.every((b) => b.channel === 'online'), `ballots: ${JSON.stringify(mine).slice(0, 200)}`);
	});
	// the same code again, from the phone: refused in words
	const ctx = await newContext(browser, PHONE, []);
	try {
		const page = await ctx.newPage();
		const r = await page.goto(`${base}/assembly/vote?code=${code}`);
		check(r.status() === 409, `a spent code answers ${r.status()}`);
		check((await page.locator('[role=alert]').innerText()).includes('已使用过'), 'no word that the code is spent');
	} finally {
		await ctx.close();
	}
}

const timer = setTimeout(() => {
	diag(`assembly_online scenario took longer than ${DEADLINE / 1000} s`);
	process.exit(1);
}, DEADLINE);
try {
	browser = await launchBrowser(createRequire, import.meta.url);
	await runSteps(STEPS, [setUp, printSheet, voteOnPhone, resultCounts], trouble);
} catch (e) {
	for (let i = tap.number - first + 1; i < STEPS.length; i++)
		console.log(`not ok ${first + i} - ${STEPS[i].name} # not run: ${oneLine(e.message)}`);
} finally {
	clearTimeout(timer);
	if (browser)
		await browser.close();
}
process.exit(tap.failed ? 1 : 0);
