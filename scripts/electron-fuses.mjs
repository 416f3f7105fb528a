// The Electron fuses a packaged LabDeck is shipped with: switches compiled into the Electron
// binary that no environment variable or command-line flag can turn back on.
// https://www.electronjs.org/docs/latest/tutorial/fuses
//
// Apply after packaging and before code signing: as electron-builder's `afterPack` hook
// (`afterPack: scripts/electron-fuses.mjs`), or by hand on a packaged app's binary:
//   node scripts/electron-fuses.mjs path/to/LabDeck
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/**
 * Every fuse, set: `strictlyRequireAllFuses` makes packaging fail on an Electron with a fuse this
 * list does not decide, instead of shipping its default.
 */
export const LABDECK_FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // Kept ON: "This computer" runs the host agent as `LabDeck labdeck-agent.cjs` with
  // ELECTRON_RUN_AS_NODE=1 (main/agent/local-agent.ts), as SSH hosts run it under their Node.
  [FuseV1Options.RunAsNode]: true,
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS=--require=… and --inspect would let anything that can start LabDeck run code in it.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Only the signed app.asar is loaded, checked against its embedded hash.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The window is served from app://, never file://: file: gets no extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.WasmTrapHandlers]: true,
};

/** Flips {@link LABDECK_FUSES} in the Electron binary (or macOS .app) at `electronPath`. */
export async function applyLabdeckFuses(electronPath, { resetAdHocDarwinSignature = false } = {}) {
  return flipFuses(electronPath, { ...LABDECK_FUSES, resetAdHocDarwinSignature });
}

/** electron-builder's afterPack hook: finds the packaged binary and flips the fuses in it. */
export default async function afterPack(context) {
  const name = context.packager.appInfo.productFilename;
  const platform = context.electronPlatformName;
  const binary =
    platform === 'darwin'
      ? join(context.appOutDir, `${name}.app`)
      : join(
          context.appOutDir,
          platform === 'win32' ? `${name}.exe` : (context.packager.executableName ?? name),
        );
  // Arch 3 is arm64 in electron-builder's Arch enum: Apple Silicon needs its ad-hoc signature redone.
  await applyLabdeckFuses(binary, {
    resetAdHocDarwinSignature: platform === 'darwin' && context.arch === 3,
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = process.argv[2];
  if (!target) {
    console.error(
      `usage: node scripts/${basename(process.argv[1])} PATH_TO_PACKAGED_ELECTRON_BINARY`,
    );
    process.exit(2);
  }
  try {
    await applyLabdeckFuses(target);
    console.log(`Fuses set in ${target}.`);
  } catch (error) {
    console.error(`Could not set the fuses in ${target}: ${error.message}`);
    console.error(
      'Give the packaged Electron binary (or the .app on macOS), after packaging and before signing.',
    );
    process.exit(1);
  }
}
