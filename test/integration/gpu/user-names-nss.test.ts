import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gpuInventory } from '../../../agent-bundle/gpu/gpu-inventory';
import { GPU_QUERY_FIELDS } from '../../../agent-bundle/gpu/nvidia-smi-query';
import { readProcessOwners } from '../../../agent-bundle/gpu/process-owner';
import {
  createNssOnlyUser,
  describeWithParts,
  getentPasswd,
  type NssOnlyUser,
} from '../../harness';
import {
  installFakeNvidiaSmi,
  readNvidiaSmiCapture,
  selectCaptureColumns,
} from '../../harness/fake-nvidia-smi';

/** High uids no Debian package or harness user takes. */
const NSS_UID = 61_300 + (process.pid % 500);
const NAMELESS_UID = NSS_UID + 500;

/** A `sleep` running as `uid`: a process for the GPU list to find an owner for. */
function sleepAs(uid: number): ChildProcess {
  return spawn('sleep', ['120'], { uid, gid: uid, stdio: 'ignore' });
}

describeWithParts(['root', 'nss-systemd'], 'GPU process owners named through NSS', () => {
  let user: NssOnlyUser;
  let named: ChildProcess;
  let nameless: ChildProcess;
  let dir: string;

  beforeAll(async () => {
    user = await createNssOnlyUser(`nss${process.pid % 10_000}`, NSS_UID);
    expect(await getentPasswd(NAMELESS_UID)).toBeNull();
    named = sleepAs(NSS_UID);
    nameless = sleepAs(NAMELESS_UID);
    dir = await mkdtemp(join(tmpdir(), 'labdeck-nss-'));
  });
  afterAll(async () => {
    named?.kill();
    nameless?.kill();
    await user?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('names a user that /etc/passwd does not have, and leaves a nameless uid nameless', async () => {
    expect(await readFile('/etc/passwd', 'utf8')).not.toContain(user.username);
    const owners = await readProcessOwners([named.pid!, nameless.pid!]);
    expect(owners.get(named.pid!)).toMatchObject({ uid: NSS_UID, user: user.username });
    expect(owners.get(nameless.pid!)).toMatchObject({ uid: NAMELESS_UID, user: null });
  });

  it('shows both in the GPU inventory: the NSS name, and the uid where there is no name', async () => {
    const gpus = selectCaptureColumns(
      await readNvidiaSmiCapture('query-gpu-csv-allfields-h100-mig.txt'),
      GPU_QUERY_FIELDS,
    );
    const uuid = gpus.split(', ')[1]!;
    const nvidiaSmi = await installFakeNvidiaSmi(dir, {
      gpus,
      list: await readNvidiaSmiCapture('L-mig-h100.txt'),
      apps: `${uuid}, ${named.pid}, 2048, python train.py\n${uuid}, ${nameless.pid}, 512, ./bench\n`,
    });
    const inventory = await gpuInventory({ nvidiaSmi, dockerSocket: join(dir, 'no-docker.sock') });
    expect(inventory.gpus[0]?.processes).toEqual([
      expect.objectContaining({ pid: named.pid, user: user.username, uid: NSS_UID }),
      expect.objectContaining({ pid: nameless.pid, user: null, uid: NAMELESS_UID }),
    ]);
  });
});
