import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sudoersRule } from '../../../common/host-setup/sudoers-rule';
import { describeWithParts } from '../../harness';

const run = promisify(execFile);
/** Debian's visudo, from the sudo package. */
const VISUDO = '/usr/sbin/visudo';

describeWithParts(['sudo'], 'the generated sudo rule, as visudo reads it', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labdeck-sudoers-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes visudo -cf', async () => {
    const file = join(dir, 'labdeck');
    await writeFile(
      file,
      sudoersRule({
        nodePath: '/opt/labdeck/agent/0.1.0/node',
        helperPath: '/opt/labdeck/agent/0.1.0/labdeck-agent.cjs',
      }),
      { mode: 0o440 },
    );
    const { stdout } = await run(VISUDO, ['-cf', file]);
    expect(stdout).toMatch(/parsed OK/);
  });

  it('while visudo refuses a broken rule, so the check above can fail', async () => {
    const file = join(dir, 'broken');
    await writeFile(file, '%labdeck ALL=(root) NOPASSWD /opt/a.cjs\n', { mode: 0o440 });
    await expect(run(VISUDO, ['-cf', file])).rejects.toThrow();
  });
});
