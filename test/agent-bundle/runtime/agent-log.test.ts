import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileLog } from '../../../agent-bundle/runtime/agent-log';
import { tempHome } from '../../support/temp-home';

const SMALL_LOG_BYTES = 400;

describe('fileLog', () => {
  it('appends timestamped lines to a file only the user may read', async () => {
    const path = join(await tempHome(), 'agent.log');
    const log = fileLog(path);
    log.info('daemon listening');
    log.warn('client stopped reading');
    await log.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\dT.* info \[\d+\] daemon listening$/),
      expect.stringMatching(/ warn \[\d+\] client stopped reading$/),
    ]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('keeps a client from forging lines with control characters', async () => {
    const path = join(await tempHome(), 'agent.log');
    const log = fileLog(path);
    log.info('client evil\n2026-01-01T00:00:00.000Z info [1] forged connected');
    await log.close();
    expect((await readFile(path, 'utf8')).trimEnd().split('\n')).toHaveLength(1);
  });

  it('rotates to .1 past the cap, so at most two bounded files exist', async () => {
    const path = join(await tempHome(), 'agent.log');
    const log = fileLog(path, SMALL_LOG_BYTES);
    for (let i = 0; i < 20; i += 1) log.info(`line ${i} ${'x'.repeat(40)}`);
    await log.close();
    expect((await stat(path)).size).toBeLessThanOrEqual(SMALL_LOG_BYTES);
    expect((await stat(`${path}.1`)).size).toBeLessThanOrEqual(SMALL_LOG_BYTES);
    expect(await readFile(path, 'utf8')).toContain('line 19');
  });
});
