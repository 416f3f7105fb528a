import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parsePasswd,
  UNKNOWN_UID_TTL_MS,
  USER_NAME_TTL_MS,
  UserNames,
} from '../../../agent-bundle/gpu/user-names';

describe('parsePasswd', () => {
  it('maps uids to names, first entry winning, skipping comments and NIS lines', () => {
    const users = parsePasswd(
      '# local\nroot:x:0:0:root:/root:/bin/bash\n+@lab::::::\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\ntoor:x:0:0::/root:/bin/sh\nbroken\n',
    );
    expect([...users]).toEqual([
      [0, 'root'],
      [1000, 'alice'],
    ]);
  });
});

describe('UserNames', () => {
  let dir: string;
  let getent: string;
  let calls: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labdeck-user-names-'));
    calls = join(dir, 'calls');
    // A `getent` that logs its argv and then hands over to the system's, so the test sees both
    // what was asked and the real NSS answer.
    getent = join(dir, 'getent');
    await writeFile(getent, `#!/bin/sh\necho "$@" >> '${calls}'\nexec getent "$@"\n`);
    await chmod(getent, 0o755);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const callLines = async (): Promise<string[]> =>
    (await readFile(calls, 'utf8').catch(() => '')).split('\n').filter(Boolean);

  it('asks NSS with `getent passwd UID` and caches the name', async () => {
    let now = 0;
    const names = new UserNames({ getent, now: () => now });
    const uid = process.getuid?.() ?? 0;
    expect(await names.name(uid)).toBe(userInfo().username);
    expect(await names.name(uid)).toBe(userInfo().username);
    expect(await callLines()).toEqual([`passwd ${uid}`]);
    now += USER_NAME_TTL_MS;
    expect(await names.name(uid)).toBe(userInfo().username);
    expect(await callLines()).toEqual([`passwd ${uid}`, `passwd ${uid}`]);
  });

  it('gives null for a uid no source knows, and asks again only after a minute', async () => {
    await rm(calls, { force: true });
    let now = 0;
    const names = new UserNames({ getent, now: () => now });
    // getent exits 2 for it: in no NSS source on this machine.
    const nobody = 3_999_999_000;
    expect(await names.name(nobody)).toBeNull();
    expect(await names.name(nobody)).toBeNull();
    expect(await callLines()).toHaveLength(1);
    now += UNKNOWN_UID_TTL_MS;
    expect(await names.name(nobody)).toBeNull();
    expect(await callLines()).toHaveLength(2);
  });

  it('reads the passwd file where no getent program exists', async () => {
    const passwd = join(dir, 'passwd');
    await writeFile(passwd, 'ana:x:4100:4100::/home/ana:/bin/sh\n');
    const names = new UserNames({ getent: join(dir, 'no-such-getent'), passwdPath: passwd });
    expect(await names.name(4100)).toBe('ana');
    expect(await names.name(4101)).toBeNull();
  });
});
