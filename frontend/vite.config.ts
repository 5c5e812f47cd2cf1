/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';

/**
 * Keeps the app's stylesheet from blocking the first paint, so that index.html's
 * inline splash shows at once on a slow connection: the link loads as
 * media="print" (fetched at once, blocks nothing) and main.ts switches it on and
 * waits for it before mounting the app.
 */
function nonBlockingCss(): Plugin {
  return {
    name: 'densach-non-blocking-css',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace(/<link rel="stylesheet"([^>]*)>/g, '<link rel="stylesheet"$1 media="print" data-app-css>'),
    },
  };
}

// The build lands in build/app, which the Go binary embeds (see embed.go);
// build/README.md sits beside it and is never touched (outDir is a subfolder).
export default defineConfig({
  base: '/',
  plugins: [svelte(), nonBlockingCss()],
  build: {
    outDir: 'build/app',
    emptyOutDir: true,
    target: 'es2020',
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
      '/healthz': 'http://127.0.0.1:8080',
      '/readyz': 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60000,
  },
});
