import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The agent bundle as LabDeck ships it: its bytes and the sha256 it is stored under on hosts. */
export interface AgentBundle {
  readonly bytes: Buffer;
  readonly sha256: string;
  /**
   * The file name on hosts: `<sha256>.cjs`, so a changed bundle never overwrites a running one;
   * `.cjs` so a `package.json` with `"type": "module"` above it cannot change how Node loads it.
   */
  readonly fileName: string;
}

/** The built bundle next to the running program (out/cli, out/main → out/agent). */
export function defaultAgentBundlePath(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'agent', 'labdeck-agent.cjs');
}

/** Reads the bundle once per path and names it by its content. */
export async function loadAgentBundle(path: string): Promise<AgentBundle> {
  const bytes = await readFile(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { bytes, sha256, fileName: `${sha256}.cjs` };
}
