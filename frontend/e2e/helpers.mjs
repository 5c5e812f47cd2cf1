// Shared set-up for the end-to-end tests: Debian's headless Chromium driven by
// playwright-core, against the real server at BASE_URL.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:18080').replace(/\/$/, '');
export const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
mkdirSync(RESULTS, { recursive: true });

/** The demo accounts that `densach seed demo` creates. */
export const DEMO = {
  admin: { login: '0901000001', password: 'QuanTri@2026', home: '/quan-tri' },
  officerProvince: { login: '0901000002', password: 'KhuyenHoc@2026', home: '/khuyen-hoc' },
  officerCommune: { login: '0901000003', password: 'KhuyenHoc@2026', home: '/khuyen-hoc' },
  manager: { login: '0901000004', password: 'QuanLy@2026', home: '/quan-ly' },
  teacher: { login: '0901000005', password: 'GiaoVien@2026', home: '/giao-vien' },
  learner: { login: '0901000006', password: 'HocVien@2026', home: '/hoc-vien' },
  managerTeacher: { login: '0901000007', password: 'QuanLy@2026', home: '/quan-ly' },
};

/**
 * Starts Chromium; launch() gives it a fresh, empty user data dir that is
 * removed on close. Each test opens its own context (separate cookies,
 * storage and service workers).
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { browser, close: () => browser.close() };
}

/** A new context and page on a phone-sized screen (360 px wide) by default. */
export async function newPage(browser, { width = 360, height = 800, bypassCSP = false } = {}) {
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width, height }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', bypassCSP });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

/** Signs in through the form and waits for the role's home. */
export async function signIn(page, account, expectPath = account.home) {
  await page.goto('/dang-nhap');
  await page.locator('#login').fill(account.login);
  await page.locator('#password').fill(account.password);
  await page.getByRole('button', { name: /Đăng nhập|Sign in/ }).click();
  await page.waitForURL((u) => u.pathname === expectPath);
  await page.locator('main h1').waitFor();
}

/** Writes a screenshot into frontend/test-results/. */
export async function shot(page, name) {
  await page.screenshot({ path: join(RESULTS, name + '.png'), fullPage: true });
}

/** Signs in through the API (for test data look-ups) and returns an access token. */
export async function apiToken(account) {
  const res = await fetch(BASE_URL + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: account.login, password: account.password }),
  });
  if (!res.ok) throw new Error(`login ${account.login}: ${res.status} ${await res.text()}`);
  return (await res.json()).access_token;
}

export async function apiGet(token, path) {
  const res = await fetch(BASE_URL + '/api/v1' + path, { headers: { Authorization: 'Bearer ' + token } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

let serial = 0;
/**
 * A mobile number unique to this run: 09, six digits from the clock in
 * seconds, two from a counter, so reruns against the same database never collide.
 */
export function uniquePhone() {
  const secs = Math.floor(Date.now() / 1000) % 1_000_000;
  const n = secs * 100 + (serial++ % 100);
  return '09' + String(n).padStart(8, '0');
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.2 A/AA violations on the page (the context must bypass the CSP to inject it). */
export async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    // @ts-ignore axe is injected above
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

/** Visible controls smaller than 44 × 44 px (a checkbox counts by its label). */
export async function smallTargets(page) {
  return page.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
      const target = el.matches('input[type=checkbox], input[type=radio]') ? el.closest('label') ?? el : el;
      if (el.matches('input[type=file]')) continue; // hidden; its label is the button
      const r = target.getBoundingClientRect();
      const style = getComputedStyle(target);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || el.closest('[hidden]')) continue;
      if (el.classList.contains('skip')) continue; // off-screen until focused
      if (r.height < 44 || r.width < 44) small.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || el.id).trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return small;
  });
}
