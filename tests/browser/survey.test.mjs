// End-to-end test of the collector in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core; no browser is downloaded).
//
// For each of JavaScript on and JavaScript off: start a collector on a fresh
// database, open the default survey on a 360 px wide phone viewport, give
// consent, answer every page with a generic DOM-driven filler (choosing
// kratom "Using now" so the kratom pages are shown), submit, read the receipt
// code, withdraw with it, and check that the response is gone. On every page
// it checks: no horizontal scrolling at 360 px, an accessible name for every
// control, and targets of at least 44x44 CSS px for choices and buttons.
//
// Environment: CANDOR_SRC (source root), CANDOR_BIN (directory with the
// collector). Screenshots go to $CANDOR_BIN/../browser/ (the build tree).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const SRC = process.env.CANDOR_SRC || path.resolve(here, '../..');
const BIN = process.env.CANDOR_BIN || path.join(SRC, 'build/bin');
const COLLECTOR = path.join(BIN, 'collector');
const FORM_FILE = path.join(SRC, 'forms/fibromyalgia-therapies.json');
const SHOTS = path.join(path.dirname(BIN), 'browser');
const CHROMIUM = process.env.CANDOR_CHROMIUM || '/usr/bin/chromium';

const WIDTH = 360;
const MIN_TARGET = 44;
const STEP_MS = 5000;       // one action or assertion
const NAV_MS = 15000;       // one page load (ASan builds are slower)
const MAX_STEPS = 80;       // page submissions before giving up

const form = JSON.parse(readFileSync(FORM_FILE, 'utf8'));

// Numeric ranges by variable: the DOM does not carry them (inputs are
// type="text" inputmode="numeric"), so the filler takes them from the form.
const numericRange = new Map();
for (const pg of form.pages)
	for (const it of pg.items)
		if (it.var && (it.kind === 'integer' || it.kind === 'decimal'))
			numericRange.set(it.var, { min: it.min, max: it.max });

// The one answer the filler does not choose generically.
const PREFERRED = { kratom_use: 'Using now' };

function sqlite3Available() {
	return spawnSync('sqlite3', ['-version'], { stdio: 'ignore' }).status === 0;
}

function sql(db, query) {
	const r = spawnSync('sqlite3', ['-readonly', db, query], { encoding: 'utf8' });
	assert.equal(r.status, 0, `sqlite3 failed: ${r.stderr}`);
	return r.stdout.trim();
}

// Start the collector; resolve with { child, url, stderr() } once it printed
// its address.
async function startCollector(db) {
	const child = spawn(COLLECTOR, [
		'--form', FORM_FILE, '--db', db, '--port', '0', '--bind', '127.0.0.1',
		'--min-fill-seconds', '0', '--rate-per-minute', '0',
	], { stdio: ['ignore', 'pipe', 'pipe'] });
	let err = '';
	child.stderr.setEncoding('utf8');
	child.stderr.on('data', (d) => { err += d; });
	const lines = createInterface({ input: child.stdout });
	const url = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(
			`collector printed no address within ${NAV_MS} ms; stderr:\n${err}`)), NAV_MS);
		child.once('error', (e) => { clearTimeout(timer); reject(e); });
		child.once('exit', (code, sig) => {
			clearTimeout(timer);
			reject(new Error(`collector exited (${code ?? sig}) before listening; stderr:\n${err}`));
		});
		lines.once('line', (line) => {
			clearTimeout(timer);
			const m = /^listening on (http:\/\/[^ ]+\/)$/.exec(line);
			if (m) resolve(m[1]);
			else reject(new Error(`unexpected first line: ${JSON.stringify(line)}`));
		});
	});
	return { child, url, stderr: () => err };
}

// SIGTERM and wait; resolves with the exit code (or the signal name).
function stopCollector(child) {
	if (child.exitCode !== null || child.signalCode !== null)
		return Promise.resolve(child.exitCode ?? child.signalCode);
	return new Promise((resolve) => {
		const hard = setTimeout(() => child.kill('SIGKILL'), 15000);
		child.once('exit', (code, sig) => { clearTimeout(hard); resolve(code ?? sig); });
		child.kill('SIGTERM');
	});
}

// ---------------------------------------------------------------- checks

// Findings are collected per page and asserted at the end of the run, so one
// run reports every problem rather than the first.
class Findings {
	constructor() { this.list = []; this.smallest = []; this.widths = []; }
	add(where, what) { this.list.push(`${where}: ${what}`); }
}

async function checkPage(page, cdp, where, findings) {
	// 1. No horizontal scrolling at 360 px.
	const sw = await page.evaluate(() => ({
		scroll: document.documentElement.scrollWidth,
		client: document.documentElement.clientWidth,
	}));
	if (sw.scroll > WIDTH)
		findings.add(where, `horizontal scrolling: scrollWidth ${sw.scroll} > ${WIDTH}`);

	// 2a. Every control has a label (DOM: <label for>, wrapping label,
	// aria-label or aria-labelledby with text).
	const unlabelled = await page.evaluate(() => {
		const bad = [];
		for (const el of document.querySelectorAll('input, select, textarea')) {
			if (el.type === 'hidden')
				continue;
			const fromLabels = Array.from(el.labels || [])
				.map((l) => l.textContent.trim()).join(' ');
			const fromAria = (el.getAttribute('aria-label') || '').trim();
			const fromIds = (el.getAttribute('aria-labelledby') || '').split(/\s+/)
				.map((id) => document.getElementById(id)?.textContent.trim() || '')
				.join(' ').trim();
			if (!fromLabels && !fromAria && !fromIds)
				bad.push(`${el.tagName.toLowerCase()}[name=${el.name}]#${el.id}`);
		}
		return bad;
	});
	for (const b of unlabelled)
		findings.add(where, `control without a label: ${b}`);

	// 2b. The same through Chromium's accessibility tree: every exposed
	// form control and button has a non-empty accessible name.
	const { nodes } = await cdp.send('Accessibility.getFullAXTree');
	const roles = new Set(['textbox', 'radio', 'checkbox', 'combobox', 'listbox',
		'spinbutton', 'button', 'searchbox', 'slider']);
	for (const n of nodes) {
		if (n.ignored || !roles.has(n.role?.value))
			continue;
		if (!String(n.name?.value ?? '').trim())
			findings.add(where, `${n.role.value} without an accessible name (AX node ${n.nodeId})`);
	}

	// 3. Target size. A radio or checkbox is activated by a click on the
	// control or on its label; the larger of the two must be 44x44. Buttons
	// must be 44x44 themselves.
	const small = await page.evaluate((min) => {
		const bad = [];
		let smallest = null;
		const box = (el) => {
			const r = el.getBoundingClientRect();
			return { w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10 };
		};
		const visible = (el) => {
			const r = el.getBoundingClientRect();
			const cs = getComputedStyle(el);
			return r.width > 1 && r.height > 1 && cs.visibility !== 'hidden' &&
				!el.closest('[aria-hidden="true"]');
		};
		for (const el of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
			if (!visible(el))
				continue;
			const c = box(el);
			const labels = Array.from(el.labels || []).map(box);
			const best = [c, ...labels].reduce((a, b) => (Math.min(b.w, b.h) > Math.min(a.w, a.h) ? b : a));
			if (!smallest || Math.min(best.w, best.h) < Math.min(smallest.w, smallest.h))
				smallest = { w: best.w, h: best.h, what: `#${el.id}` };
			const ok = (c.w >= min && c.h >= min) || labels.some((l) => l.w >= min && l.h >= min);
			if (!ok) {
				const text = Array.from(el.labels || []).map((l) => l.textContent.trim()).join('|');
				bad.push(`${el.type} #${el.id} "${text}": control ${c.w}x${c.h}, label ` +
					(labels.map((l) => `${l.w}x${l.h}`).join(',') || 'none'));
			}
		}
		for (const el of document.querySelectorAll('button, input[type=submit]')) {
			if (!visible(el))
				continue;
			const b = box(el);
			if (!smallest || Math.min(b.w, b.h) < Math.min(smallest.w, smallest.h))
				smallest = { w: b.w, h: b.h, what: `button "${el.textContent.trim()}"` };
			if (b.w < min || b.h < min)
				bad.push(`button "${el.textContent.trim()}": ${b.w}x${b.h}`);
		}
		return { bad, smallest };
	}, MIN_TARGET);
	for (const s of small.bad)
		findings.add(where, `target smaller than ${MIN_TARGET}x${MIN_TARGET}: ${s}`);
	findings.smallest.push(`${where}: ${small.smallest ? `${small.smallest.what} ${small.smallest.w}x${small.smallest.h}` : '-'}`);
	findings.widths.push(`${where}: ${sw.scroll}`);
}

// ---------------------------------------------------------------- filler

// Accessible name of a fieldset: its legend's text, as Chromium computes it
// (whitespace collapsed).
function norm(s) { return s.replace(/\s+/g, ' ').trim(); }

// Answer every visible, still unanswered question on the current page.
// Returns the variables answered, for the log.
async function fillPage(page, jsEnabled) {
	const answered = [];
	// What is on the page, from the DOM: choice groups by name with the
	// legend of their fieldset, and text inputs.
	const groups = await page.evaluate(() => {
		const byName = new Map();
		for (const el of document.querySelectorAll(
			'form input[type=radio], form input[type=checkbox]')) {
			if (el.closest('[aria-hidden="true"]'))
				continue;
			let g = byName.get(el.name);
			if (!g) {
				const fs = el.closest('fieldset');
				const legend = fs?.querySelector(':scope > legend');
				g = {
					name: el.name, type: el.type,
					legend: legend ? legend.textContent : null,
					checked: false, options: [],
				};
				byName.set(el.name, g);
			}
			g.checked ||= el.checked;
			g.options.push({
				id: el.id,
				label: Array.from(el.labels || []).map((l) => l.textContent).join(' '),
				exclusive: el.getAttribute('data-exclusive') === '1',
			});
		}
		const texts = [];
		for (const el of document.querySelectorAll('form input[type=text], form textarea, form select')) {
			if (el.closest('[aria-hidden="true"]') || el.offsetParent === null)
				continue;
			texts.push({
				name: el.name, id: el.id, tag: el.tagName.toLowerCase(),
				value: el.value, min: el.getAttribute('min'), max: el.getAttribute('max'),
				label: Array.from(el.labels || []).map((l) => l.textContent).join(' '),
			});
		}
		return { choices: Array.from(byName.values()), texts };
	});

	for (const g of groups.choices) {
		if (g.checked || g.name === 'consent' || g.name === 'adult')
			continue;
		// The group by its accessible name; fall back to the name attribute
		// only when the legend is missing or not unique on the page.
		let scope = null;
		if (g.legend) {
			scope = page.getByRole('group', { name: norm(g.legend), exact: true });
			if (await scope.count() !== 1)
				scope = null;
		}
		let want;
		if (PREFERRED[g.name]) {
			want = g.options.find((o) => norm(o.label) === PREFERRED[g.name]);
			assert.ok(want, `${g.name}: no option "${PREFERRED[g.name]}"`);
		} else {
			want = g.options.find((o) => !o.exclusive) || g.options[0];
		}
		const role = g.type === 'radio' ? 'radio' : 'checkbox';
		const ctl = scope
			? scope.getByRole(role, { name: norm(want.label), exact: true })
			: page.locator(`[id="${want.id}"]`);
		assert.equal(await ctl.count(), 1,
			`${g.name}: option "${norm(want.label)}" not found exactly once`);
		// Click the label, as a person would (it is the large target).
		await page.locator(`label[for="${want.id}"]`).click();
		assert.ok(await ctl.isChecked(), `${g.name}: clicking the label did not select "${norm(want.label)}"`);

		// With JavaScript, "none of these" unticks the others and the reverse.
		const excl = g.options.find((o) => o.exclusive);
		if (jsEnabled && g.type === 'checkbox' && excl && excl !== want) {
			const exclCtl = page.locator(`[id="${excl.id}"]`);
			await page.locator(`label[for="${excl.id}"]`).click();
			assert.ok(await exclCtl.isChecked());
			assert.ok(!(await ctl.isChecked()), `${g.name}: exclusive option did not untick the others`);
			await page.locator(`label[for="${want.id}"]`).click();
			assert.ok(!(await exclCtl.isChecked()), `${g.name}: a choice did not untick the exclusive option`);
			assert.ok(await ctl.isChecked());
		}
		answered.push(`${g.name}=${norm(want.label)}`);
	}

	for (const t of groups.texts) {
		if (t.value !== '')
			continue;
		const ctl = t.label ? page.getByLabel(norm(t.label), { exact: true }) : page.locator(`[id="${t.id}"]`);
		assert.equal(await ctl.count(), 1, `${t.name}: control not found by its label`);
		if (t.tag === 'select') {
			const v = await ctl.evaluate((s) => Array.from(s.options).find((o) => o.value !== '')?.value);
			await ctl.selectOption(v);
			answered.push(`${t.name}=${v}`);
			continue;
		}
		const range = numericRange.get(t.name);
		let v;
		if (t.min !== null || t.max !== null || range) {
			const lo = Number(t.min ?? range?.min ?? 0);
			const hi = Number(t.max ?? range?.max ?? lo + 10);
			v = String(Math.min(hi, Math.max(lo, Math.round((lo + hi) / 2))));
		} else {
			v = 'test';
		}
		await ctl.fill(v);
		answered.push(`${t.name}=${v}`);
	}
	return answered;
}

// ---------------------------------------------------------------- the flow

async function runSurvey({ jsEnabled }) {
	const mode = jsEnabled ? 'js' : 'nojs';
	const dir = mkdtempSync(path.join(tmpdir(), `candor-browser-${mode}-`));
	const db = path.join(dir, 'c.db');
	mkdirSync(SHOTS, { recursive: true });
	const findings = new Findings();
	const log = (...a) => console.log(`[${mode}]`, ...a);
	let collector = null;
	let browser = null;
	const t0 = Date.now();
	try {
		collector = await startCollector(db);
		log('collector at', collector.url);
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			timeout: NAV_MS,
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
				'--disable-component-update', '--disable-sync', '--no-first-run',
				'--disable-quic'],
		});
		const context = await browser.newContext({
			viewport: { width: WIDTH, height: 740 },
			deviceScaleFactor: 2,
			isMobile: true,
			hasTouch: true,
			javaScriptEnabled: jsEnabled,
			locale: 'en-US',
		});
		context.setDefaultTimeout(STEP_MS);
		context.setDefaultNavigationTimeout(NAV_MS);
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		const pageErrors = [];
		page.on('pageerror', (e) => pageErrors.push(String(e)));
		// Failed sub-resources (the style sheet, the script). Browsers ask
		// for /favicon.ico on their own; the collector has none, by design.
		page.on('response', (r) => {
			if (r.status() >= 400 && r.request().resourceType() !== 'document' &&
			    new URL(r.url()).pathname !== '/favicon.ico')
				pageErrors.push(`${r.status()} ${r.url()}`);
		});

		// The survey list, then the consent page.
		await page.goto(collector.url);
		await checkPage(page, cdp, 'home', findings);
		await Promise.all([page.waitForNavigation(),
			page.getByRole('link', { name: form.title.en, exact: true }).click()]);
		assert.match(page.url(), new RegExp(`/s/${form.id}\\?lang=en$`));
		await assert.doesNotReject(page.getByRole('heading', { level: 1, name: form.consent.title.en }).waitFor());
		await checkPage(page, cdp, 'consent', findings);
		await page.screenshot({ path: path.join(SHOTS, `${mode}-consent.png`), fullPage: true });

		// Consent without the boxes is refused, with errors.
		await Promise.all([page.waitForNavigation(),
			page.getByRole('button', { name: 'Start the survey' }).click()]);
		assert.ok(await page.getByRole('alert').count() >= 1, 'no error summary without consent');
		if (jsEnabled) {
			// The script moves focus to the error summary.
			await assert.doesNotReject(page.waitForFunction(
				() => document.activeElement?.classList.contains('error-summary'),
				null, { timeout: STEP_MS }), 'the error summary did not take focus');
		}
		assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), form.consent.title.en);
		await checkPage(page, cdp, 'consent-errors', findings);

		await page.getByRole('checkbox', { name: form.consent.agree.en }).check();
		await page.getByRole('checkbox', { name: form.consent.age_confirm.en }).check();
		await Promise.all([page.waitForNavigation(),
			page.getByRole('button', { name: 'Start the survey' }).click()]);

		// Every page: fill, check, Next (or Submit) until the thank-you page.
		const titles = [];
		let shotFirst = false;
		for (let step = 0; ; step++) {
			assert.ok(step < MAX_STEPS, `no thank-you page after ${MAX_STEPS} submissions: ${titles.join(' > ')}`);
			const h1 = norm(await page.getByRole('heading', { level: 1 }).first().textContent());
			if (h1 === 'Thank you')
				break;
			const progress = norm(await page.locator('.progress').textContent());
			assert.match(progress, /^Page \d+ of \d+$/, `no progress line on "${h1}"`);
			// A page that came back with errors means the filler missed a
			// required field, or the collector refused a valid answer.
			const errs = await page.locator('.error-summary').count();
			assert.equal(errs, 0, `"${h1}" came back with errors: ` +
				(errs ? norm(await page.locator('.error-summary').textContent()) : ''));
			const where = `${progress} "${h1}"`;
			if (!shotFirst) {
				await page.screenshot({ path: path.join(SHOTS, `${mode}-page1.png`), fullPage: true });
				shotFirst = true;
			}
			const answered = await fillPage(page, jsEnabled);
			await checkPage(page, cdp, where, findings);
			titles.push(h1);
			log(where, answered.join(', ') || '(nothing new)');

			const next = page.getByRole('button', { name: 'Next', exact: true });
			const submit = page.getByRole('button', { name: 'Submit my answers', exact: true });
			const button = (await next.count()) === 1 ? next : submit;
			assert.equal(await button.count(), 1, `no Next or Submit button on "${h1}"`);
			await Promise.all([page.waitForNavigation(), button.click()]);
		}

		// Branching: the kratom pages were shown; the other therapy pages
		// (answered "Never used") were not.
		const kratomPages = form.pages.filter((p) => p.show_if?.var === 'kratom_use').map((p) => p.title.en);
		for (const t of kratomPages)
			assert.ok(titles.includes(t), `kratom page "${t}" was not shown: ${titles.join(' > ')}`);
		const exercise = form.pages.find((p) => p.id === 't_exercise').title.en;
		assert.ok(!titles.includes(exercise), `"${exercise}" was shown though exercise was "Never used"`);

		// Thank-you page with the receipt.
		await checkPage(page, cdp, 'thanks', findings);
		await page.screenshot({ path: path.join(SHOTS, `${mode}-thanks.png`), fullPage: true });
		assert.match(page.url(), new RegExp(`/s/${form.id}/thanks\\?r=`));
		const code = norm(await page.locator('#receipt-code').textContent());
		assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{1,4})+$/, `receipt code looks wrong: ${code}`);
		assert.equal(code.replace(/-/g, '').length, 26, `receipt code is not 26 characters: ${code}`);
		log('receipt', code);

		const haveSqlite = sqlite3Available();
		if (haveSqlite) {
			assert.equal(sql(db, 'SELECT count(*) FROM response'), '1');
			const answers = JSON.parse(sql(db, 'SELECT answers FROM response'));
			assert.equal(answers.kratom_use, 2, `kratom_use stored as ${answers.kratom_use}`);
			assert.ok('kratom_ud1' in answers, 'the kratom pattern answers were not stored');
			assert.ok(!('exercise_duration' in answers), 'a hidden page\'s answer was stored');
		} else {
			log('sqlite3 not found: the database is checked through page text only');
		}

		// Withdraw, through the link on the thank-you page.
		await Promise.all([page.waitForNavigation(),
			page.getByRole('link', { name: '/withdraw' }).click()]);
		assert.match(page.url(), /\/withdraw\?lang=en$/);
		await checkPage(page, cdp, 'withdraw', findings);
		await page.getByRole('textbox', { name: 'Receipt code' }).fill(code.toLowerCase());
		await Promise.all([page.waitForNavigation(),
			page.getByRole('button', { name: 'Withdraw my answers' }).click()]);
		assert.equal(norm(await page.locator('#withdrawn').textContent()), 'Your answers have been deleted.');
		await checkPage(page, cdp, 'withdrawn', findings);
		if (haveSqlite)
			assert.equal(sql(db, 'SELECT count(*) FROM response'), '0', 'the response is still in the database');

		// The same code again matches nothing.
		await page.goto(new URL('/withdraw', collector.url).href);
		await page.getByRole('textbox', { name: 'Receipt code' }).fill(code);
		await Promise.all([page.waitForNavigation(),
			page.getByRole('button', { name: 'Withdraw my answers' }).click()]);
		assert.match(norm(await page.getByRole('alert').textContent()), /No answers were found for this code/);
		assert.equal(await page.locator('#withdrawn').count(), 0);
		const field = page.getByRole('textbox', { name: 'Receipt code' });
		assert.equal(await field.getAttribute('aria-invalid'), 'true');
		await checkPage(page, cdp, 'withdraw-again', findings);

		// The counter agrees.
		const metrics = await (await page.request.get(new URL('/metrics', collector.url).href)).text();
		assert.match(metrics, /^candor_withdrawals_total 1$/m);
		assert.match(metrics, /^candor_submissions_total 1$/m);

		assert.deepEqual(pageErrors, [], 'script errors or failed resources in the page');
		await context.close();
		log(`${titles.length} survey pages, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		if (process.env.CANDOR_BROWSER_VERBOSE) {
			log('smallest target per page:\n  ' + findings.smallest.join('\n  '));
			log('scrollWidth per page:\n  ' + findings.widths.join('\n  '));
		}
		return findings.list;
	} finally {
		if (browser)
			await browser.close().catch(() => {});
		if (collector) {
			const rc = await stopCollector(collector.child);
			if (rc !== 0)
				console.error(`[${mode}] collector stderr:\n${collector.stderr()}`);
			assert.equal(rc, 0, `the collector did not exit 0 on SIGTERM (${rc})`);
		}
		rmSync(dir, { recursive: true, force: true });
	}
}

for (const jsEnabled of [true, false]) {
	test(`survey, withdraw and accessibility at ${WIDTH} px, JavaScript ${jsEnabled ? 'on' : 'off'}`,
		{ timeout: 150000 }, async () => {
			const problems = await runSurvey({ jsEnabled });
			assert.deepEqual(problems, [], `accessibility problems:\n  ${problems.join('\n  ')}`);
		});
}
