import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sharingCapabilities } from '../../../agent-bundle/sessions/sharing-capabilities';
import { tempHome } from '../../support/temp-home';

const run = promisify(execFile);

describe('sharingCapabilities', () => {
  it('finds MPS by its control pipe and HAMi-core by its library', async () => {
    const home = await tempHome();
    const mps = join(home, 'nvidia-mps');
    await mkdir(mps);
    await run('mkfifo', [join(mps, 'control')]);
    const hami = join(home, 'libvgpu.so');
    await writeFile(hami, 'ELF');
    expect(await sharingCapabilities({ mpsPipeDirectory: mps, hamiLibrary: hami })).toEqual({
      mpsPipeDirectory: mps,
      hamiLibrary: hami,
    });
  });

  it('says null for an MPS directory without a control pipe and for a missing library', async () => {
    const home = await tempHome();
    const mps = join(home, 'nvidia-mps');
    await mkdir(mps);
    await mkdir(join(home, 'vgpu'));
    const places = { mpsPipeDirectory: mps, hamiLibrary: join(home, 'vgpu') };
    expect(await sharingCapabilities(places)).toEqual({
      mpsPipeDirectory: null,
      hamiLibrary: null,
    });
  });
});
