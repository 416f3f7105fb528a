import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

/**
 * Builds the three Electron parts into out/: main (ESM, Node), preload (CommonJS, because a
 * sandboxed preload cannot load ES modules) and the renderer. Browser mode serves the same
 * out/renderer, so it uses relative asset paths.
 */
const root = dirname(fileURLToPath(import.meta.url));

/**
 * Under `npm run dev` only: Vite's hot reload injects an inline script, <style> tags and a
 * WebSocket, which the production CSP in index.html forbids. Builds keep the strict policy.
 */
const devServerCsp: Plugin = {
  name: 'labdeck-dev-server-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html
      .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
      .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
      .replace("connect-src 'self'", "connect-src 'self' ws://localhost:*"),
};

export default defineConfig(({ command }) => ({
  main: {
    // `serve` is `npm run dev`; `npm start` and packaging build with `build` (see build-flags.d.ts).
    define: { __LABDECK_DEV_BUILD__: JSON.stringify(command === 'serve') },
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(root, 'main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react(), devServerCsp],
    build: {
      minify: true,
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
}));
