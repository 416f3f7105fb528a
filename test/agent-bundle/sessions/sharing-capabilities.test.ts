import { execFile } from 'node:child_process';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
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

describe('sharingCapabilities refuses what another user could plant', () => {
  it('ignores a plain file as the control pipe, and a pipe directory others may write', async () => {
    const home = await tempHome();
    const plain = join(home, 'plain');
    await mkdir(plain);
    await writeFile(join(plain, 'control'), '');
    const open = join(home, 'open');
    await mkdir(open);
    await run('mkfifo', [join(open, 'control')]);
    await chmod(open, 0o777);
    for (const dir of [plain, open])
      expect((await sharingCapabilities({ mpsPipeDirectory: dir })).mpsPipeDirectory).toBeNull();
  });

  it('ignores a pipe directory that is a link, and a library someone else may change', async () => {
    const home = await tempHome();
    const real = join(home, 'real');
    await mkdir(real);
    await run('mkfifo', [join(real, 'control')]);
    const link = join(home, 'link');
    await symlink(real, link);
    expect((await sharingCapabilities({ mpsPipeDirectory: link })).mpsPipeDirectory).toBeNull();
    const hami = join(home, 'libvgpu.so');
    await writeFile(hami, 'ELF');
    await chmod(hami, 0o666);
    expect((await sharingCapabilities({ hamiLibrary: hami })).hamiLibrary).toBeNull();
    await chmod(hami, 0o644);
    const hamiLink = join(home, 'libvgpu-link.so');
    await symlink(hami, hamiLink);
    expect((await sharingCapabilities({ hamiLibrary: hamiLink })).hamiLibrary).toBe(hamiLink);
  });
});
