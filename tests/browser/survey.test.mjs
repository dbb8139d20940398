// End-to-end test of the collector in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core; no browser is downloaded).
//
// For JavaScript on and off, in English and in Spanish: start a collector on
// a fresh database, open the default survey on a phone viewport, give consent,
// answer every page with a generic DOM-driven filler along the typical path
// (kratom used now, exercise and duloxetine in the past), reach the check of
// answers, then press browser Back on every page down to the first and
// Forward again to the check, checking every answer on every page each time
// and that no page asks to resend a form; submit, read the receipt code, save
// it as a text file, withdraw with it after the confirmation, and check that
// the response is gone. On every page, at 320, 360 and 1280 px: axe-core finds
// no violation and no best-practice finding, no horizontal scrolling, an
// accessible name for every control, targets of at least 44x44 CSS px.
//
// Environment: CANDOR_SRC (source root), CANDOR_BIN (directory with the
// collector). Screenshots go to $CANDOR_BIN/../browser/ (the build tree).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const SRC = process.env.CANDOR_SRC || path.resolve(here, '../..');
const BIN = process.env.CANDOR_BIN || path.join(SRC, 'build/bin');
const COLLECTOR = path.join(BIN, 'collector');
const FORM_FILE = path.join(SRC, 'forms/fibromyalgia-therapies.json');
const SHOTS = path.join(path.dirname(BIN), 'browser');
const CHROMIUM = process.env.CANDOR_CHROMIUM || '/usr/bin/chromium';

const WIDTH = 360;
const WIDTHS = [320, 360, 1280];
const MIN_TARGET = 44;
const STEP_MS = 5000;       // one action or assertion
const NAV_MS = 15000;       // one page load (ASan builds are slower)
const MAX_STEPS = 80;       // page submissions before giving up

const form = JSON.parse(readFileSync(FORM_FILE, 'utf8'));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// Numeric ranges by variable: the DOM does not carry them (inputs are
// type="text" inputmode="numeric"), so the filler takes them from the form.
const numericRange = new Map();
for (const pg of form.pages)
	for (const it of pg.items)
		if (it.var && (it.kind === 'integer' || it.kind === 'decimal'))
			numericRange.set(it.var, { min: it.min, max: it.max });

// The answers of the typical path, by variable and choice value; the filler
// chooses everything else generically (the first ordinary choice).
const THERAPIES = form.pages.find((p) => p.id === 'therapies').items[0].choices;
const value = (name) => THERAPIES.find((c) => c.label.en.startsWith(name)).value;
const PREFERRED = {
	therapies_ever: [value('An exercise'), value('Duloxetine'), value('Kratom')].map(String),
	exercise_use: ['1'], duloxetine_use: ['1'], kratom_use: ['2'],
	country: ['2'],
};

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

// axe-core on the page as it is. With JavaScript off nothing can be run in
// the page, so the same HTML is loaded into a mirror page that runs no page
// script (app.js is answered empty) and axe runs there.
async function axeFindings(page, mirror, width) {
	let target = page;
	if (mirror) {
		const html = await page.content();
		await mirror.setViewportSize({ width, height: 740 });
		await mirror.route('**/*', (route) => {
			const r = route.request();
			if (r.resourceType() === 'document')
				return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
			if (new URL(r.url()).pathname === '/static/app.js')
				return route.fulfill({ status: 200, contentType: 'text/javascript', body: '' });
			return route.continue();
		});
		await mirror.goto(page.url());
		await mirror.unrouteAll({ behavior: 'ignoreErrors' });
		target = mirror;
	}
	await target.evaluate(AXE);
	return target.evaluate(async () => {
		const r = await window.axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
			resultTypes: ['violations'],
		});
		return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
	});
}

// Every check at every width; the viewport goes back to 360 px after.
async function checkPage(page, cdp, where, findings, mirror) {
	for (const w of WIDTHS) {
		await page.setViewportSize({ width: w, height: 740 });
		await checkAt(page, cdp, `${where} @${w}`, findings, w);
		for (const v of await axeFindings(page, mirror, w))
			findings.add(`${where} @${w}`, `axe: ${v}`);
	}
	await page.setViewportSize({ width: WIDTH, height: 740 });
}

async function checkAt(page, cdp, where, findings, width) {
	// 1. No horizontal scrolling.
	const sw = await page.evaluate(() => ({
		scroll: document.documentElement.scrollWidth,
		client: document.documentElement.clientWidth,
	}));
	if (sw.scroll > width)
		findings.add(where, `horizontal scrolling: scrollWidth ${sw.scroll} > ${width}`);

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

// Answer every visible, still unanswered question on the current page,
// again while answers open follow-ups on the page (JavaScript on). Returns
// the variables answered, for the log.
async function fillPage(page, jsEnabled) {
	const answered = [];
	for (let pass = 0; pass < 5; pass++) {
		const more = await fillVisible(page, jsEnabled);
		if (more.length === 0) break;
		answered.push(...more);
	}
	return answered;
}

async function fillVisible(page, jsEnabled) {
	const answered = [];
	// What is on the page, from the DOM: choice groups by name with the
	// legend of their fieldset, and text inputs.
	const groups = await page.evaluate(() => {
		const byName = new Map();
		for (const el of document.querySelectorAll(
			'form input[type=radio], form input[type=checkbox]')) {
			if (el.closest('[aria-hidden="true"]') || el.closest('[hidden]') || el.disabled)
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
				id: el.id, value: el.value,
				missing: /prefer not|prefiero no/i.test(Array.from(el.labels || []).map((l) => l.textContent).join(' ')),
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
		const wants = PREFERRED[g.name]
			? PREFERRED[g.name].map((v) => g.options.find((o) => o.value === v))
			: [g.options.find((o) => !o.exclusive && !o.missing) || g.options[0]];
		assert.ok(wants.every(Boolean), `${g.name}: no option ${PREFERRED[g.name]}`);
		const want = wants[0];
		const role = g.type === 'radio' ? 'radio' : 'checkbox';
		const ctl = scope
			? scope.getByRole(role, { name: norm(want.label), exact: true })
			: page.locator(`[id="${want.id}"]`);
		assert.equal(await ctl.count(), 1,
			`${g.name}: option "${norm(want.label)}" not found exactly once`);
		// Click the label, as a person would (it is the large target).
		await page.locator(`label[for="${want.id}"]`).click();
		assert.ok(await ctl.isChecked(), `${g.name}: clicking the label did not select "${norm(want.label)}"`);
		for (const more of wants.slice(1))
			await page.locator(`label[for="${more.id}"]`).click();

		// With JavaScript, "none of these" unticks the others and the reverse.
		const excl = g.options.find((o) => o.exclusive);
		if (jsEnabled && g.type === 'checkbox' && excl && excl !== want && wants.length === 1) {
			const exclCtl = page.locator(`[id="${excl.id}"]`);
			await page.locator(`label[for="${excl.id}"]`).click();
			assert.ok(await exclCtl.isChecked());
			assert.ok(!(await ctl.isChecked()), `${g.name}: exclusive option did not untick the others`);
			await page.locator(`label[for="${want.id}"]`).click();
			assert.ok(!(await exclCtl.isChecked()), `${g.name}: a choice did not untick the exclusive option`);
			assert.ok(await ctl.isChecked());
		}
		answered.push(`${g.name}=${wants.map((o) => norm(o.label)).join('|')}`);
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

const WORDS = {
	en: { start: 'Start the survey', next: 'Next', submit: 'Submit my answers', summary: 'Check your answers before you send them',
		thanks: 'Thank you', sent: 'Your answers have been sent', page: /^Page \d+ of (at least )?\d+ \((about \d+ minutes|about 1 minute) left\)$/,
		withdrawLink: /\/withdraw\?lang=en$/, receiptBox: 'Receipt code', withdrawBtn: 'Withdraw my answers', yes: 'Yes, delete my answers',
		deleted: 'Your answers have been deleted.', notFound: /No answers were found for this code/, error: 'Error:' },
	es: { start: 'Comenzar la encuesta', next: 'Siguiente', submit: 'Enviar mis respuestas', summary: 'Revise sus respuestas antes de enviarlas',
		thanks: 'Gracias', sent: 'Sus respuestas se han enviado', page: /^Página \d+ de (al menos )?\d+ \((quedan unos \d+ minutos|queda 1 minuto aproximadamente)\)$/,
		withdrawLink: /\/withdraw\?lang=es$/, receiptBox: 'Código de recibo', withdrawBtn: 'Retirar mis respuestas', yes: 'Sí, borrar mis respuestas',
		deleted: 'Sus respuestas se han borrado.', notFound: /No se encontraron respuestas con este código/, error: 'Error:' },
};

// What the form controls of the page hold: name -> sorted values.
async function pageAnswers(page) {
	return page.evaluate(() => {
		const out = {};
		for (const el of document.querySelectorAll('form input, form textarea')) {
			if (el.type === 'hidden' || el.name === 'website') continue;
			if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) continue;
			if ((el.type === 'text' || el.tagName === 'TEXTAREA') && el.value === '') continue;
			(out[el.name] ||= []).push(el.value);
		}
		for (const k of Object.keys(out)) out[k].sort();
		return out;
	});
}

// Live conditions on the therapies page: with JavaScript, ticking kratom in
// "Which of these have you ever used?" shows "now or only in the past?" at
// once, on the same page, and unticking hides it again, its inputs disabled
// (the condition comes from the server, in data-show-if). Without it the
// follow-up stays hidden until the page is sent, as before.
async function checkLive(page, jsEnabled) {
	const kratom = String(value('Kratom'));
	const box = page.locator(`input[name=therapies_ever][value="${kratom}"]`);
	const label = page.locator(`label[for="${await box.getAttribute('id')}"]`);
	const follow = page.locator('#q-kratom_use');
	const url = page.url();
	if (await box.isChecked())
		return; /* the page back with its follow-ups, JavaScript off */
	assert.equal(await follow.count(), 1, 'kratom_use is not on the therapies page');
	const cond = JSON.parse(await page.locator('[data-show-if]:has(#q-kratom_use)').getAttribute('data-show-if'));
	assert.deepEqual(cond, { var: 'therapies_ever', has: Number(kratom) }, 'data-show-if is not the form\'s show_if');
	assert.equal(await follow.isVisible(), false, 'kratom_use shown before kratom was ticked');
	await label.click();
	assert.ok(await box.isChecked());
	if (jsEnabled) {
		await assert.doesNotReject(follow.waitFor({ state: 'visible', timeout: STEP_MS }),
			'ticking kratom did not show "now or only in the past?"');
		assert.equal(page.url(), url, 'the follow-up needed a page load');
		await label.click();
		await assert.doesNotReject(follow.waitFor({ state: 'hidden', timeout: STEP_MS }),
			'unticking kratom did not hide its follow-up');
		assert.ok(await page.locator('#q-kratom_use input').first().isDisabled(), 'a hidden follow-up still sends');
	} else {
		assert.equal(await follow.isVisible(), false, 'without JavaScript the follow-up appeared before Next');
		await label.click();
	}
	assert.ok(!(await box.isChecked()));
}

// An error link brings the question (its legend or label) into view.
async function checkErrorLink(page, findings, where) {
	const link = page.locator('.error-summary a').first();
	if (await link.count() === 0) return;
	const href = await link.getAttribute('href');
	await link.click();
	const seen = await page.evaluate((id) => {
		const q = document.getElementById(id);
		const head = q && (q.querySelector(':scope > legend') || q.querySelector('label'));
		const r = (head || q).getBoundingClientRect();
		return { top: r.top, bottom: r.bottom, h: window.innerHeight };
	}, href.slice(1));
	if (seen.top < 0 || seen.bottom > seen.h)
		findings.add(where, `error link ${href}: the question's legend is not in view (${JSON.stringify(seen)})`);
}

async function runSurvey({ jsEnabled, lang }) {
	const mode = `${jsEnabled ? 'js' : 'nojs'}-${lang}`;
	const W = WORDS[lang];
	const dir = mkdtempSync(path.join(tmpdir(), `candor-browser-${mode}-`));
	const db = path.join(dir, 'c.db');
	// As root the collector runs as nobody and wants its directory.
	if (process.getuid && process.getuid() === 0) {
		const id = (o) => Number(spawnSync('id', [o, 'nobody'], { encoding: 'utf8' }).stdout.trim());
		chownSync(dir, id('-u'), id('-g'));
	}
	mkdirSync(SHOTS, { recursive: true });
	const findings = new Findings();
	const log = (...a) => console.log(`[${mode}]`, ...a);
	let collector = null;
	let browser = null;
	const t0 = Date.now();
	try {
		collector = await startCollector(db);
		browser = await chromium.launch({
			executablePath: CHROMIUM, headless: true, timeout: NAV_MS,
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
				'--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
		});
		const context = await browser.newContext({
			viewport: { width: WIDTH, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
			javaScriptEnabled: jsEnabled, bypassCSP: jsEnabled, locale: lang === 'es' ? 'es-ES' : 'en-US',
			acceptDownloads: true,
		});
		context.setDefaultTimeout(STEP_MS);
		context.setDefaultNavigationTimeout(NAV_MS);
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		let mirror = null;
		let mirrorCtx = null;
		if (!jsEnabled) {
			mirrorCtx = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true,
				viewport: { width: WIDTH, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
			mirror = await mirrorCtx.newPage();
		}
		const pageErrors = [];
		const dialogs = [];
		page.on('pageerror', (e) => pageErrors.push(String(e)));
		page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
		page.on('response', (r) => {
			if (r.status() >= 400 && r.request().resourceType() !== 'document' &&
			    new URL(r.url()).pathname !== '/favicon.ico')
				pageErrors.push(`${r.status()} ${r.url()}`);
		});
		const check = (where) => checkPage(page, cdp, where, findings, mirror);

		// The survey list, then the consent page in the language asked for.
		await page.goto(collector.url);
		await check('home');
		await page.goto(new URL(`/s/${form.id}?lang=${lang}`, collector.url).href);
		await page.getByRole('heading', { level: 1, name: form.consent.title[lang] }).waitFor();
		const other = lang === 'en' ? 'Español' : 'English';
		assert.equal(await page.getByRole('link', { name: other, exact: true }).count(), 1, `no "${other}" link`);
		await check('consent');
		await page.screenshot({ path: path.join(SHOTS, `${mode}-consent.png`), fullPage: true });
		await page.goto(new URL(`/s/${form.id}/about?lang=${lang}`, collector.url).href);
		await check('about');
		await page.goBack();

		// Consent without the boxes: errors, the title says so, links work.
		await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: W.start }).click()]);
		assert.ok((await page.title()).startsWith(W.error), `title without "Error:": ${await page.title()}`);
		if (jsEnabled)
			await assert.doesNotReject(page.waitForFunction(
				() => document.activeElement?.classList.contains('error-summary'), null, { timeout: STEP_MS }),
			'the error summary did not take focus');
		await check('consent-errors');
		await checkErrorLink(page, findings, 'consent-errors');
		await page.getByRole('checkbox', { name: form.consent.agree[lang] }).check();
		await page.getByRole('checkbox', { name: form.consent.age_confirm[lang] }).check();
		await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: W.start }).click()]);

		// Every page: fill, check, Next until the check of answers. The
		// history entries are recorded to walk them back and forward.
		const steps = [];
		let final = {};
		let sawErrors = false;
		for (let n = 0; ; n++) {
			assert.ok(n < MAX_STEPS, `no check-your-answers page after ${MAX_STEPS} steps`);
			const h1 = norm(await page.getByRole('heading', { level: 1 }).first().textContent());
			if (h1 === W.summary) break;
			const progress = norm(await page.locator('.progress').textContent());
			assert.match(progress, W.page, `progress line on "${h1}"`);
			const erred = sawErrors && n === 1; /* the page with errors, on purpose */
			if (!erred)
				assert.equal(await page.locator('.error-summary').count(), 0, `"${h1}" came back with errors: ` +
					(await page.locator('.error-summary').count() ? norm(await page.locator('.error-summary').textContent()) : ''));
			assert.equal(await page.getByRole('button', { name: W.submit, exact: true }).count(), 0,
				`"${h1}" says Submit but questions follow`);
			if (!sawErrors && n === 0) {
				// Next with nothing answered: errors, then the link test.
				await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: W.next, exact: true }).click()]);
				if (await page.locator('.error-summary').count() > 0) {
					assert.ok((await page.title()).startsWith(W.error));
					await check(`errors "${h1}"`);
					await checkErrorLink(page, findings, `errors "${h1}"`);
					// Reload keeps the errors and asks nothing.
					await page.reload();
					assert.ok(await page.locator('.error-summary').count() > 0, 'reload lost the errors');
					sawErrors = true;
					continue;
				}
			}
			if (await page.locator('input[name=therapies_ever]').count() > 0)
				await checkLive(page, jsEnabled);
			const answered = await fillPage(page, jsEnabled);
			await check(`${progress} "${h1}"`);
			Object.assign(final, await pageAnswers(page));
			steps.push({ url: page.url(), h1 });
			log(`${progress} "${h1}"`, answered.join(', ') || '(nothing new)');
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: W.next, exact: true }).click()]);
		}
		await check('summary');
		await page.screenshot({ path: path.join(SHOTS, `${mode}-summary.png`), fullPage: true });
		const summaryUrl = page.url();
		const pagesShown = new Set(steps.map((s) => s.h1)).size;
		assert.equal(await page.locator('.summary-page').count(), pagesShown, 'one summary section per page shown');
		// Reload of the summary: no resubmission.
		await page.reload();
		assert.equal(norm(await page.getByRole('heading', { level: 1 }).textContent()), W.summary);

		// Back on every page to the first, then Forward to the summary:
		// every page shows every answer given.
		const same = async (where) => {
			const got = await pageAnswers(page);
			for (const [k, v] of Object.entries(got))
				assert.deepEqual(v, final[k], `${where}: ${k} shows ${v}, answered ${final[k]}`);
			const names = await page.evaluate(() => Array.from(new Set(Array.from(
				document.querySelectorAll('form input:not([type=hidden]), form textarea'))
				.filter((e) => !e.closest('[hidden]')).map((e) => e.name))));
			for (const k of names)
				if (k !== 'website' && final[k])
					assert.deepEqual(got[k], final[k], `${where}: ${k} lost its answer`);
		};
		for (let i = steps.length - 1; i >= 0; i--) {
			await page.goBack();
			assert.equal(page.url(), steps[i].url, `Back ${steps.length - i}: wrong page`);
			await same(`Back to "${steps[i].h1}"`);
		}
		for (let i = 1; i < steps.length; i++) {
			await page.goForward();
			assert.equal(page.url(), steps[i].url, `Forward: wrong page`);
			await same(`Forward to "${steps[i].h1}"`);
		}
		await page.goForward();
		assert.equal(page.url(), summaryUrl);
		assert.deepEqual(dialogs, [], 'a page asked to resend a form');

		// Submit; the thank-you page with the receipt.
		await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: W.submit, exact: true }).click()]);
		assert.equal(norm(await page.getByRole('heading', { level: 1 }).textContent()), W.thanks);
		assert.match(page.url(), new RegExp(`/s/${form.id}/thanks\\?t=`));
		const code = norm(await page.locator('#receipt-code').textContent());
		assert.match(code, /^REC(-[0-9A-HJKMNP-TV-Z]{4}){5}$/, `receipt code looks wrong: ${code}`);
		await check('thanks');
		await page.screenshot({ path: path.join(SHOTS, `${mode}-thanks.png`), fullPage: true });
		const [download] = await Promise.all([page.waitForEvent('download'),
			page.locator('form[action="/code-file"] button[type=submit]').click()]);
		assert.equal(download.suggestedFilename(), 'receipt-code.txt');
		assert.doesNotMatch(download.url(), /REC|code=/, 'the code went into a URL');
		const saved = readFileSync(await download.path(), 'utf8');
		assert.ok(saved.includes(code) && saved.includes('/withdraw?lang='), `saved file: ${saved}`);
		assert.match(page.url(), new RegExp(`/s/${form.id}/thanks\\?t=`), 'the download left the page');
		if (jsEnabled)
			assert.equal(await page.locator('button[data-copy]').isVisible(), true, 'no copy button with JavaScript');
		else
			assert.equal(await page.locator('button[data-copy]').isVisible(), false, 'a copy button that needs JavaScript');
		const thanksUrl = page.url();

		// Back after submit: the answers are in; Forward: shown once.
		await page.goBack();
		assert.equal(norm(await page.getByRole('heading', { level: 1 }).textContent()), W.sent);
		assert.equal(await page.locator('input[name=state]').count(), 0);
		await check('after-submit back');
		await page.goForward();
		assert.equal(page.url(), thanksUrl);
		assert.equal(await page.locator('#receipt-code').count(), 0, 'the receipt was shown twice');

		if (sqlite3Available()) {
			assert.equal(sql(db, 'SELECT count(*) FROM response'), '1');
			const answers = JSON.parse(sql(db, 'SELECT answers FROM response'));
			assert.equal(answers.kratom_use, 2, `kratom_use stored as ${answers.kratom_use}`);
			assert.equal(answers.exercise_use, 1);
			assert.ok('kratom_ud1' in answers, 'the kratom pattern answers were not stored');
			assert.ok(!('cbt_duration' in answers), 'a hidden page\'s answer was stored');
		}

		// Withdraw: the full address, the code, a confirmation.
		await page.goto(new URL(`/withdraw?lang=${lang}`, collector.url).href);
		await check('withdraw');
		await page.getByRole('textbox', { name: W.receiptBox }).fill(code.toLowerCase());
		await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: W.withdrawBtn }).click()]);
		await check('withdraw-confirm');
		// What will be deleted: the survey and the day the answers were sent.
		assert.match(norm(await page.locator('#withdraw-what').textContent()), /\d{4}-\d{2}/);
		if (sqlite3Available())
			assert.equal(sql(db, 'SELECT count(*) FROM response'), '1', 'deleted before the confirmation');
		await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: W.yes }).click()]);
		assert.equal(norm(await page.locator('#withdrawn').textContent()), W.deleted);
		await check('withdrawn');
		if (sqlite3Available())
			assert.equal(sql(db, 'SELECT count(*) FROM response'), '0', 'the response is still in the database');
		await page.goto(new URL(`/withdraw?lang=${lang}`, collector.url).href);
		await page.getByRole('textbox', { name: W.receiptBox }).fill(code);
		// The check step already finds that nothing has this code.
		await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: W.withdrawBtn }).click()]);
		assert.match(norm(await page.locator('.error-summary').textContent()), W.notFound);
		await check('withdraw-again');

		assert.deepEqual(pageErrors, [], 'script errors or failed resources in the page');
		await context.close();
		if (mirrorCtx) await mirrorCtx.close();
		log(`${steps.length} steps, ${pagesShown} pages, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
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

for (const jsEnabled of [true, false])
	for (const lang of ['en', 'es'])
		test(`survey, Back and Forward, withdraw; axe at ${WIDTHS.join(', ')} px; ${lang}; JavaScript ${jsEnabled ? 'on' : 'off'}`,
			{ timeout: 400000 }, async () => {
				const problems = await runSurvey({ jsEnabled, lang });
				assert.deepEqual(problems, [], `accessibility problems:\n  ${problems.join('\n  ')}`);
			});
