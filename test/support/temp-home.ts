import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh LABDECK_HOME for one test, removed afterwards. */
export async function tempHome(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'labdeck-home-'));
  afterEach(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
