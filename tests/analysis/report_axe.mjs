// The report in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core from tests/browser/node_modules): axe-core finds no
// violation and no best-practice finding at 360 and 1280 px, and the page
// does not scroll sideways at 360 px (wide tables scroll in their own
// box). Screenshots of both widths are kept in CANDOR_ARTIFACTS (default:
// the build directory's artifacts/report-axe).
// Usage: node report_axe.mjs REPORT_DIR
import { readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const req = createRequire(path.join(here, '../browser/package.json'));
const { chromium } = req('playwright-core');
const AXE = readFileSync(req.resolve('axe-core/axe.min.js'), 'utf8');
const dir = process.argv[2];
const out = process.env.CANDOR_ARTIFACTS || path.join(process.cwd(), 'artifacts', 'report-axe');
const CHROMIUM = process.env.CANDOR_CHROMIUM || '/usr/bin/chromium';

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
const page = await browser.newPage();
const findings = [];
for (const width of [360, 1280]) {
	await page.setViewportSize({ width, height: 900 });
	await page.goto('file://' + path.resolve(dir, 'report.html'));
	const sw = await page.evaluate(() => document.documentElement.scrollWidth);
	if (sw > width)
		findings.push(`@${width}: horizontal scrolling (scrollWidth ${sw})`);
	await page.evaluate(AXE);
	const v = await page.evaluate(async () => {
		const r = await window.axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
			resultTypes: ['violations'],
		});
		return r.violations.map((x) => `${x.id} (${x.impact}, ${x.nodes.length} nodes): ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
	});
	for (const x of v)
		findings.push(`@${width}: axe: ${x}`);
	await page.screenshot({ path: path.join(out, `report-${width}.png`), fullPage: true });
}
await browser.close();
for (const f of findings)
	console.log(f);
console.log(`${findings.length} findings; screenshots in ${out}`);
process.exit(findings.length ? 1 : 0);
