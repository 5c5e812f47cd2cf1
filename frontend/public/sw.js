// Đèn Sách service worker: keeps the app shell (index.html and the assets it
// names) so that the app opens without a connection and can say so.
// API calls always go to the network and are never cached here.
'use strict';

const SHELL = 'densach-shell-v1';
const STATIC = ['/manifest.webmanifest', '/icons/icon.svg', '/icons/icon-192.png', '/icons/icon-512.png'];

/** The same-origin asset paths that an index.html names (script, stylesheet, preload, icon). */
function assetsOf(html) {
  const urls = new Set();
  for (const m of html.matchAll(/\s(?:src|href)="(\/[^"#?]+)"/g)) {
    if (!m[1].startsWith('/api/')) urls.add(m[1]);
  }
  return [...urls];
}

/** Stores a fresh index.html and every asset it names; drops assets of older builds. */
async function storeShell(response) {
  const cache = await caches.open(SHELL);
  const html = await response.clone().text();
  const wanted = new Set([...assetsOf(html), ...STATIC]);
  await cache.put('/index.html', response);
  for (const url of wanted) {
    if (!(await cache.match(url))) {
      try {
        await cache.add(url);
      } catch {
        // one missing asset must not lose the others
      }
    }
  }
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (path.startsWith('/assets/') && !wanted.has(path)) await cache.delete(req);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const res = await fetch('/', { cache: 'reload', credentials: 'same-origin' });
      if (res.ok) await storeShell(res);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== SHELL) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/healthz' || url.pathname === '/readyz') return;

  if (req.mode === 'navigate') {
    // The network first (a new build shows at once); the stored shell when offline.
    event.respondWith(
      (async () => {
        try {
          const res = await fetch(req);
          if (res.ok && (res.headers.get('Content-Type') || '').includes('text/html')) {
            event.waitUntil(storeShell(res.clone()));
          }
          return res;
        } catch {
          const cached = await caches.match('/index.html');
          if (cached) return cached;
          throw new Error('offline and no stored shell');
        }
      })(),
    );
    return;
  }

  // Hashed assets never change: the stored copy first, else the network (and keep it).
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      (async () => {
        const cached = await caches.match(req);
        if (cached) return cached;
        const res = await fetch(req);
        if (res.ok) {
          const cache = await caches.open(SHELL);
          event.waitUntil(cache.put(req, res.clone()));
        }
        return res;
      })(),
    );
    return;
  }

  // Other files (manifest, icons): the network first, the stored copy when offline.
  event.respondWith(
    (async () => {
      try {
        return await fetch(req);
      } catch (err) {
        const cached = await caches.match(req);
        if (cached) return cached;
        throw err;
      }
    })(),
  );
});
