// Đèn Sách service worker: keeps the app shell (index.html and the assets it
// names) so that the app opens without a connection and can say so.
// API calls always go to the network and are never cached here.
'use strict';

const SHELL = 'densach-shell-v1';
// Small files kept with the shell. The big PNG icons stay out: the browser
// fetches them only when it installs the app, and they are not needed offline.
const STATIC = ['/manifest.webmanifest', '/icons/icon.svg'];

/** The same-origin asset paths that an index.html names (script, stylesheet, preload, icon). */
function assetsOf(html) {
  const urls = new Set();
  for (const m of html.matchAll(/\s(?:src|href)="(\/[^"#?]+)"/g)) {
    if (!m[1].startsWith('/api/') && !/\.png$/.test(m[1])) urls.add(m[1]);
  }
  return [...urls];
}

/**
 * Stores url if the browser already holds it (its HTTP cache, from the page's
 * own first load): never downloads anything again. What is not there yet is
 * stored later, when the page fetches it through this worker.
 */
async function keepIfCached(cache, url) {
  try {
    const res = await fetch(url, { cache: 'only-if-cached', mode: 'same-origin', credentials: 'same-origin' });
    if (res.ok) await cache.put(url, res);
  } catch {
    // not in the HTTP cache: the runtime handler below stores it when fetched
  }
}

/** Stores a fresh index.html and what it names that the browser already has; drops assets of older builds. */
async function storeShell(response) {
  const cache = await caches.open(SHELL);
  const html = await response.clone().text();
  const wanted = new Set([...assetsOf(html), ...STATIC]);
  const before = await cache.match('/index.html');
  const newBuild = !before || (await before.text()) !== html;
  await cache.put('/index.html', response);
  for (const url of wanted) {
    if (!(await cache.match(url))) await keepIfCached(cache, url);
  }
  // A new build: drop the old one's assets (including the pages' chunks that
  // index.html does not name; the new ones are stored as they are opened).
  if (!newBuild) return;
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (path.startsWith('/assets/') && !wanted.has(path)) await cache.delete(req);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      // index.html from the HTTP cache when the page was "/", else a couple of
      // kilobytes from the network; the assets from the HTTP cache (see keepIfCached).
      let res = await fetch('/', { cache: 'only-if-cached', mode: 'same-origin', credentials: 'same-origin' }).catch(() => null);
      if (!res || !res.ok) res = await fetch('/', { cache: 'no-cache', credentials: 'same-origin' });
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
        const res = await fetch(req);
        if (res.ok && STATIC.includes(url.pathname)) {
          const cache = await caches.open(SHELL);
          event.waitUntil(cache.put(url.pathname, res.clone()));
        }
        return res;
      } catch (err) {
        const cached = await caches.match(req);
        if (cached) return cached;
        throw err;
      }
    })(),
  );
});
