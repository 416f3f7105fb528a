import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostShell } from '../../../agent-bundle/terminals/host-shell';
import type { TerminalProcess } from '../../../agent-bundle/terminals/terminal-process';
import { until } from '../../harness';

/** Collects a terminal process's output as text. */
function read(shell: TerminalProcess): () => string {
  let text = '';
  shell.output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

describe('a login shell on the host, in a pty that script allocates', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labdeck-host-shell-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs what is typed at the size asked for, follows a resize and passes the exit code', async () => {
    const shell = await startHostShell({ cols: 91, rows: 27, env: { PATH: process.env.PATH } });
    const text = read(shell);
    shell.input.write('stty size; echo "sum-$((20+22))"\r');
    await until('the output', async () => text().includes('sum-42') || undefined, 10_000);
    expect(text()).toContain('27 91');
    await shell.resize(100, 30);
    shell.input.write('stty size\r');
    await until('the new size', async () => text().includes('30 100') || undefined, 10_000);
    shell.input.write('exit 4\r');
    expect(await shell.exited).toBe(4);
  });

  it('shows what script itself said when it cannot start, instead of ending silently', async () => {
    const failing = join(dir, 'script');
    await writeFile(
      failing,
      '#!/bin/sh\necho "script: failed to create pseudo-terminal: No space left" >&2\nexit 1\n',
    );
    await chmod(failing, 0o755);
    const shell = await startHostShell({
      cols: 80,
      rows: 24,
      env: { PATH: process.env.PATH },
      scriptPath: failing,
    });
    const text = read(shell);
    const ended = new Promise((resolve) => shell.output.once('end', resolve));
    expect(await shell.exited).toBe(1);
    await ended;
    expect(text()).toContain('script: failed to create pseudo-terminal: No space left');
  });
});
