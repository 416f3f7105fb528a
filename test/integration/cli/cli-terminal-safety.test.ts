import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestUser,
  describeWithParts,
  ensureBuilt,
  runLabdeck,
  startSshd,
  type Sshd,
  type TestUser,
} from '../../harness';

/**
 * A login that fails and writes escape sequences on stderr, as a hostile or broken host could:
 * retitle the window (OSC 0), clear the screen, return the cursor and plant a fake prompt.
 */
const HOSTILE_BASHRC =
  "printf '\\033]0;owned\\007\\033[2J\\rPassword for root: ' >&2\necho 'quota exceeded' >&2\nexit 7\n";

describeWithParts(['root', 'sshd', 'ssh-keygen'], 'the built CLI printing what a host said', () => {
  let sshd: Sshd;
  let user: TestUser;
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    await ensureBuilt();
    sshd = await startSshd();
    user = await createTestUser('hostile-login');
    const bashrc = join(user.home, '.bashrc');
    await writeFile(bashrc, HOSTILE_BASHRC);
    await chown(bashrc, user.uid, user.gid);
    home = await mkdtemp(join(tmpdir(), 'labdeck-cli-hostile-'));
    await writeFile(
      join(home, 'known_hosts'),
      `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`,
    );
    env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home };
    const spec = `${user.username}@${sshd.host}:${sshd.port}`;
    const added = await runLabdeck(
      ['host', 'add', 'lab1', '--ssh', spec, '--identity', user.privateKeyPath],
      env,
    );
    expect(added.code).toBe(0);
  });

  afterAll(async () => {
    await sshd?.stop();
    if (user) await rm(join(user.home, '.bashrc'), { force: true });
    await user?.dispose();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("shows the login's error text but none of its escape sequences", async () => {
    const result = await runLabdeck(['host', 'connect', 'lab1'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('exit 7');
    expect(result.stderr).toContain('quota exceeded');
    for (const control of ['\u001b', '\u0007', '\r']) expect(result.stderr).not.toContain(control);
  });
});
