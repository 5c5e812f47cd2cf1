// PWA: after a first visit the app shell opens with the network cut, and says it is offline.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, launch, newPage, shot, signIn } from './helpers.mjs';

let b;
before(async () => (b = await launch()));
after(async () => b?.close());

describe('offline', () => {
  it('the app shell loads with the network cut after a first visit', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      await signIn(page, DEMO.learner);
      // Wait until the service worker has stored the shell and controls the page.
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await page.reload();
      await page.waitForFunction(() => !!navigator.serviceWorker.controller);
      const cached = await page.evaluate(async () => {
        const keys = await (await caches.open('densach-shell-v1')).keys();
        return keys.map((r) => new URL(r.url).pathname);
      });
      assert.ok(cached.includes('/index.html'), 'index.html stored: ' + cached.join(', '));
      assert.ok(cached.some((p) => p.startsWith('/assets/') && p.endsWith('.js')), 'the script stored');

      await context.setOffline(true);
      await page.reload();
      const banner = page.getByTestId('offline');
      await banner.waitFor();
      assert.match(await banner.textContent(), /Không có kết nối mạng/);
      await page.getByText('Đèn Sách').first().waitFor();
      await shot(page, 'offline-360');

      // Back online, the app recovers by itself.
      await context.setOffline(false);
      await page.getByRole('button', { name: 'Thử lại' }).click().catch(() => {});
      await page.waitForURL((u) => u.pathname === '/hoc-vien');
      await page.locator('main h1').waitFor();
    } finally {
      await context.close();
    }
  });

  it('publishes a web app manifest with icons', async () => {
    const { context, page } = await newPage(b.browser);
    try {
      const res = await page.request.get('/manifest.webmanifest');
      assert.equal(res.status(), 200);
      const manifest = await res.json();
      assert.equal(manifest.start_url, '/');
      assert.equal(manifest.display, 'standalone');
      assert.ok(manifest.icons.some((i) => i.sizes === '512x512' && i.type === 'image/png'));
      const sw = await page.request.get('/sw.js');
      assert.equal(sw.status(), 200);
      assert.match(sw.headers()['content-type'] ?? '', /javascript/);
    } finally {
      await context.close();
    }
  });
});
