// What the browser scenarios share: their command line (--count,
// --first=K, --no-plan), TAP output, and polling assertions.

export const STEP_TIMEOUT = 10_000; // every auto-wait: locators, navigations

// How every scenario starts Debian's chromium: chromium.launch(LAUNCH).
export const LAUNCH = {
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	timeout: 30_000,
};

const args = process.argv.slice(2);
export const opt = (name) => args.find((a) => a === name || a.startsWith(name + '='));
export const base = (args.find((a) => !a.startsWith('--')) || '').replace(/\/+$/, '');
export const first = opt('--first') ? Number(opt('--first').split('=')[1]) : 1;

// The running TAP state: the last test number printed and the failures.
export const tap = { number: first - 1, failed: 0 };

// plan prints "1..N" (unless --no-plan) or, with --count, N and exits.
export function plan(n) {
	if (opt('--count')) {
		console.log(n);
		process.exit(0);
	}
	if (!opt('--no-plan'))
		console.log(`1..${n}`);
}

export function line(ok, desc, comment) {
	tap.number++;
	if (!ok)
		tap.failed++;
	console.log(`${ok ? 'ok' : 'not ok'} ${tap.number} - ${desc}${comment ? ' # ' + comment : ''}`);
}

export function diag(text) {
	for (const l of String(text).split('\n'))
		console.log('#   ' + l);
}

export const oneLine = (s) => String(s).replace(/\s+/g, ' ').trim().slice(0, 300);

export class Failure extends Error {}

export function check(cond, message) {
	if (!cond)
		throw new Failure(message);
}

// Polls like expect(): the pages are server-rendered, but a click starts a
// navigation the next read may race with.
export async function eventually(what, read, test, timeout = STEP_TIMEOUT) {
	const end = Date.now() + timeout;
	let last;
	for (;;) {
		try {
			last = await read();
			if (test(last))
				return last;
		} catch (e) {
			last = 'error: ' + e.message.split('\n')[0];
		}
		if (Date.now() > end)
			throw new Failure(`${what}: got ${JSON.stringify(last)}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

export const equals = (want) => (got) => got === want;

export async function textIs(locator, want, what) {
	return eventually(what, async () => oneLine(await locator.innerText({ timeout: 1000 })), equals(want));
}

// ------------------------------------------------ running a scenario

// launchBrowser: Debian's chromium, headless, reaching nothing but loopback.
export async function launchBrowser(createRequire, url) {
	const { chromium } = createRequire(url)('playwright-core');
	return chromium.launch(LAUNCH);
}

// newContext: a browser context that reaches nothing but 127.0.0.1 and
// records unexpected answers (4xx, 5xx) and script errors in trouble.
export async function newContext(browser, options, trouble) {
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

// runSteps runs steps[i] for each STEPS[i] ({name, needs}) in order, one
// TAP line each; a step whose needs did not pass is reported as not run.
// Returns how many lines it printed.
export async function runSteps(STEPS, steps, trouble) {
	const passed = [];
	let done = 0;
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
	return done;
}
