// Makes sure the Electron binary is on disk before electron-vite starts it. Electron 45 no longer
// downloads it at install time (npm 11 blocks install scripts anyway): loading the `electron`
// package from Node downloads it on first use, and electron-vite only reads the result
// (node_modules/electron/path.txt), failing with "Electron uninstall" when it is missing.
import { createRequire } from 'node:module';

try {
  // The package is CommonJS; requiring it (not importing) is what runs its first-use download.
  createRequire(import.meta.url)('electron');
} catch (error) {
  console.error(
    `LabDeck could not get the Electron binary, which is downloaded on the first start:\n  ${error.message}\n` +
      'Check the internet connection and run `npm start` again. Browser mode (`npm run serve`) needs no Electron.',
  );
  process.exit(1);
}
