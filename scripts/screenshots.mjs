// Takes the README's screenshots from a running server:
//   node scripts/screenshots.mjs http://127.0.0.1:8080 docs/screenshots
// Signs in as the demo secretary and captures pages at desktop and phone
// sizes with Debian's chromium driven by playwright-core.
import { createRequire } from 'node:module';
const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const base = process.argv[2] || 'http://127.0.0.1:8080';
const out = process.argv[3] || 'docs/screenshots';
const pages = (process.argv[4] || '/,/households,/households/1,/residents,/units').split(',');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});
for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }],
                                ['phone', { width: 390, height: 844 }]]) {
  const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  await page.goto(base + '/login');
  await page.fill('input[name=username]', 'secretary');
  await page.fill('input[name=password]', 'pushan-secretary');
  await page.click('button[type=submit]');
  await page.waitForURL(base + '/');
  for (const p of pages) {
    await page.goto(base + p);
    const file = `${out}/${name}${p.replace(/[/?=&]+/g, '-').replace(/-$/, '') || '-home'}.png`;
    await page.screenshot({ path: file, fullPage: name === 'phone' ? false : true });
    console.log(file);
  }
  await ctx.close();
}
await browser.close();
