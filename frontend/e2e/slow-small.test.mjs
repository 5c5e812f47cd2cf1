// Slow connections and small screens (issue 8): on slow 3G the splash paints
// before the scripts arrive and the sign-in form needs no refresh call; the
// first visit with the service worker downloads the app once (under 70 KB);
// at 320 and 360 px the page fits, focused fields clear the sticky header,
// the import preview comes into view and focus survives creating a person.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_URL, DEMO, RESULTS, apiGet, apiToken, launch, newPage, shot, signIn, uniquePhone } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

const WIDTHS = [320, 360];
const FIRST_VISIT_BUDGET = 70 * 1024;

/** Slow 3G as the issue measures it: 400 kbps both ways, 400 ms latency. */
async function slow3G(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 400,
    downloadThroughput: (400 * 1024) / 8,
    uploadThroughput: (400 * 1024) / 8,
  });
  return cdp;
}

/**
 * A pass-through proxy to the server that counts every byte it hands the
 * browser (status line, headers and the body as sent, compressed or not),
 * including what the service worker fetches; the HTTP cache's hits never reach it.
 */
async function countingProxy() {
  const upstream = new URL(BASE_URL);
  const stats = { bytes: 0, byPath: new Map() };
  const server = http.createServer((req, res) => {
    const up = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (ur) => {
        let n = 0;
        for (let i = 0; i < ur.rawHeaders.length; i += 2) n += ur.rawHeaders[i].length + ur.rawHeaders[i + 1].length + 4;
        n += 17; // "HTTP/1.1 200 OK\r\n" and the blank line, near enough
        ur.on('data', (c) => (n += c.length));
        ur.on('end', () => {
          stats.bytes += n;
          const path = req.url.split('?')[0];
          const seen = stats.byPath.get(path) ?? { count: 0, bytes: 0 };
          stats.byPath.set(path, { count: seen.count + 1, bytes: seen.bytes + n });
        });
        res.writeHead(ur.statusCode, ur.rawHeaders);
        ur.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = 'http://127.0.0.1:' + server.address().port;
  return { url, stats, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('slow connections', () => {
  for (const width of WIDTHS) {
    it(`slow 3G at ${width} px: the splash before the scripts, then the sign-in form without a refresh call`, async () => {
      const { context, page, errors } = await newPage(b.browser, { width });
      try {
        const cdp = await slow3G(page);
        const scripts = new Map(); // requestId -> finished?
        cdp.on('Network.requestWillBeSent', (e) => {
          if (/\/assets\/.*\.js$/.test(e.request.url)) scripts.set(e.requestId, false);
        });
        cdp.on('Network.loadingFinished', (e) => {
          if (scripts.has(e.requestId)) scripts.set(e.requestId, true);
        });
        const refreshes = [];
        page.on('request', (r) => {
          if (r.url().includes('/api/v1/auth/refresh')) refreshes.push(r.url());
        });

        await page.goto('/', { waitUntil: 'commit' });
        await page.locator('#boot-splash').waitFor({ state: 'visible' });
        const scriptsDone = [...scripts.values()].some(Boolean);
        assert.equal(scriptsDone, false, 'the splash shows while the script is still loading');
        assert.match(await page.locator('#boot-splash').innerText(), /Đèn Sách/);
        await shot(page, `slow3g-splash-${width}`);

        await page.locator('#login').waitFor({ state: 'visible', timeout: 30_000 });
        assert.ok([...scripts.values()].every(Boolean), 'the form comes with the script');
        assert.equal(await page.locator('#boot-splash').count(), 0, 'the splash is gone');
        assert.deepEqual(refreshes, [], 'no refresh call without a session');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }

  it('a session still comes back after a reload (the hint is set at sign-in, cleared at sign-out)', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.learner);
      assert.equal(await page.evaluate(() => localStorage.getItem('densach.session')), '1');
      await page.reload();
      await page.waitForURL((u) => u.pathname === DEMO.learner.home);
      await page.locator('main h1').waitFor();
      const cookies = await context.cookies();
      assert.equal(cookies.find((c) => c.name === 'densach_refresh')?.httpOnly, true, 'the refresh token stays HttpOnly');
    } finally {
      await context.close();
    }
  });

  it('the first visit with the service worker downloads the app once, under 70 KB', async () => {
    const proxy = await countingProxy();
    const { context, page } = await newPage(b.browser);
    try {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      let pageBytes = 0;
      cdp.on('Network.loadingFinished', (e) => (pageBytes += e.encodedDataLength));

      await page.goto(proxy.url + '/');
      await page.locator('#login').waitFor();
      // The worker installs after the load event and stores the shell.
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await page.waitForFunction(async () => {
        const keys = await (await caches.open('densach-shell-v1')).keys();
        const paths = keys.map((r) => new URL(r.url).pathname);
        return paths.includes('/index.html') && paths.some((p) => p.endsWith('.js')) && paths.some((p) => p.endsWith('.css'));
      });
      const cached = await page.evaluate(async () => (await (await caches.open('densach-shell-v1')).keys()).map((r) => new URL(r.url).pathname));
      assert.ok(!cached.some((p) => p.endsWith('.png')), 'no big icons in the shell: ' + cached.join(', '));

      const list = [...proxy.stats.byPath].map(([p, s]) => `${p} ×${s.count} ${s.bytes} B`).join('; ');
      console.log(`first visit: ${proxy.stats.bytes} B through the proxy (page alone ${pageBytes} B): ${list}`);
      for (const [p, s] of proxy.stats.byPath) {
        if (p.startsWith('/assets/')) assert.equal(s.count, 1, `${p} downloaded once, not ${s.count} times`);
      }
      assert.ok(proxy.stats.bytes < FIRST_VISIT_BUDGET, `first visit ${proxy.stats.bytes} B, budget ${FIRST_VISIT_BUDGET} B: ${list}`);
    } finally {
      await context.close();
      await proxy.close();
    }
  });
});

/** Whether an element lies below the sticky top bar and inside the window. */
async function clearOfHeader(page, locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const bar = document.querySelector('.topbar')?.getBoundingClientRect().bottom ?? 0;
    return { ok: r.top >= bar && r.top < window.innerHeight, top: r.top, bar };
  });
}

/** A name unique to this run, with Vietnamese diacritics. */
function uniqueName(base) {
  const tag = Date.now().toString(36).slice(-5).replace(/\d/g, (d) => 'abcdefghij'[d]);
  return `${base} Hẹp${tag[0].toUpperCase()}${tag.slice(1)} Đức`;
}

describe('small screens', () => {
  for (const width of WIDTHS) {
    it(`${width} px: a person with two roles gets a page no wider than the screen`, async () => {
      const { context, page, errors } = await newPage(b.browser, { width });
      try {
        await signIn(page, DEMO.managerTeacher);
        const select = page.locator('#role-switch');
        await select.waitFor();
        const sizes = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        assert.ok(sizes.scroll <= sizes.client, `page ${sizes.scroll} px wide on a ${sizes.client} px screen`);
        const box = await select.boundingBox();
        assert.ok(box && box.x + box.width <= width, `the role switcher ends at ${box && box.x + box.width} px`);
        await shot(page, `two-roles-${width}`);
        // The switcher still works.
        await select.selectOption('teacher');
        await page.waitForURL((u) => u.pathname === '/giao-vien');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    it(`${width} px: the field with an error clears the sticky header, and focus lands on the new person`, async () => {
      // A short phone screen, so that the form scrolls.
      const { context, page } = await newPage(b.browser, { width, height: 568 });
      try {
        await signIn(page, DEMO.admin);
        await page.goto('/nguoi/moi');
        const name = uniqueName('Lò Văn');
        await page.locator('#full_name').fill(name);
        await page.locator('#birth').fill('15/03/1985');
        await page.locator('#commune_id').selectOption({ label: 'Phường Tân Phong' });
        await page.locator('#phone').fill('0123456789'); // not a Vietnamese mobile prefix
        // The page scrolled so that the field sits just under the sticky header
        // (partly visible: the browser's focus scrolling alone leaves it there),
        // then the form sent from its button with the keyboard.
        await page.locator('#phone').evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - 24));
        await page.getByRole('button', { name: 'Thêm người' }).last().evaluate((el) => el.focus({ preventScroll: true }));
        await page.keyboard.press('Enter');
        await page.locator('[data-field="phone"] .error').waitFor();
        await page.waitForFunction(() => document.activeElement?.id === 'phone');
        const pos = await clearOfHeader(page, page.locator('#phone'));
        assert.ok(pos.ok, `the focused field at ${pos.top} px, the header ends at ${pos.bar} px`);
        await shot(page, `person-error-focus-${width}`);

        await page.locator('#phone').fill(uniquePhone());
        await page.getByRole('button', { name: 'Thêm người' }).last().click();
        await page.waitForURL((u) => /^\/nguoi\/\d+$/.test(u.pathname));
        await page.waitForFunction(() => document.activeElement === document.querySelector('main h1'));
        assert.equal((await page.locator('main h1').textContent()).trim(), name);
      } finally {
        await context.close();
      }
    });

    it(`${width} px: the import preview comes into view with the focus on its heading`, async () => {
      const token = await apiToken(DEMO.admin);
      const ward = (await apiGet(token, '/units')).items.find((u) => u.name === 'Tân Phong');
      assert.ok(ward, 'the demo ward Tân Phong exists');
      const csv = [
        'ho_ten;ngay_sinh;gioi_tinh;dan_toc;ma_xa;thon;cccd;so_dien_thoai;email;chuc_vu_hoi',
        `${uniqueName('Giàng A')};02/09/1970;Nam;Mông;${ward.code};Bản Gia Khâu;;${uniquePhone()};;`,
        `Vàng Thị Sai Số;1980;Nữ;Dao;${ward.code};Tổ 3;;0123456789;;`,
      ].join('\r\n');
      const file = join(RESULTS, `import-small-${width}.csv`);
      writeFileSync(file, '\ufeff' + csv + '\r\n');

      const { context, page } = await newPage(b.browser, { width });
      try {
        await signIn(page, DEMO.admin);
        await page.goto('/nguoi/nhap');
        await page.locator('#import-file').setInputFiles(file);
        const heading = page.locator('#import-preview');
        await heading.waitFor();
        await page.waitForFunction(() => document.activeElement?.id === 'import-preview');
        const pos = await clearOfHeader(page, heading);
        assert.ok(pos.ok, `the preview heading at ${pos.top} px (header ends at ${pos.bar} px, window ${width} wide)`);
        await shot(page, `import-preview-in-view-${width}`);
        // Nothing is written by the preview: leave without applying.
      } finally {
        await context.close();
      }
    });
  }
});
