import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/labdeck-build';
import { tempHome } from '../../support/temp-home';

const run = promisify(execFile);
const SCRIPT = join(REPO_ROOT, 'scripts/electron-fuses.mjs');

/** The fuse settings as Node loads the packaging script, by fuse name. */
async function fuses(): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { FuseV1Options } from '@electron/fuses';
     const { LABDECK_FUSES } = await import(${JSON.stringify(SCRIPT)});
     const named = Object.fromEntries(Object.entries(LABDECK_FUSES).map(([k, v]) => [FuseV1Options[k] ?? k, v]));
     console.log(JSON.stringify(named));`,
    ],
    { cwd: REPO_ROOT },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('the fuses a packaged LabDeck ships with', () => {
  it('decides every fuse and keeps only the one the local agent needs', async () => {
    expect(await fuses()).toEqual({
      version: '1',
      strictlyRequireAllFuses: true,
      RunAsNode: true,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
      WasmTrapHandlers: true,
    });
  });

  it('refuses, with what to pass instead, a file that is not an Electron binary', async () => {
    const file = join(await tempHome(), 'LabDeck');
    await writeFile(file, 'not an Electron binary');
    const failed = await run(process.execPath, [SCRIPT, file]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/Could not set the fuses in .*LabDeck/);
    expect((failed as { stderr: string }).stderr).toMatch(/packaged Electron binary/);
  });
});
