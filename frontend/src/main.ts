import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { ready as languageReady } from './lib/i18n/index.svelte';

/**
 * Switches on the stylesheet that the build marks non-blocking (see
 * vite.config.ts) and resolves once it applies; index.html's splash shows meanwhile.
 */
function styled(): Promise<void> {
  const links = [...document.querySelectorAll<HTMLLinkElement>('link[data-app-css]')];
  return Promise.all(
    links.map(
      (link) =>
        new Promise<void>((resolve) => {
          link.media = 'all';
          if (link.sheet) resolve();
          else {
            link.addEventListener('load', () => resolve(), { once: true });
            link.addEventListener('error', () => resolve(), { once: true });
          }
        }),
    ),
  ).then(() => undefined);
}

// The splash stays until the styles apply and the remembered language's words are there.
Promise.all([styled(), languageReady]).then(() => {
  mount(App, { target: document.getElementById('app')! });
  // The app draws its own screens now: drop index.html's splash.
  document.getElementById('boot-splash')?.remove();
});

// The service worker keeps the app shell for offline use (production builds only,
// so that the dev server's modules are never cached).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // No offline shell this time; the app works as usual.
    });
  });
}
