/**
 * Set by electron.vite.config.ts at build time: true only when `npm run dev` built this bundle
 * (electron-vite's `serve` command). Developer tools, reload and the dev server follow it.
 */
declare const __LABDECK_DEV_BUILD__: boolean;
