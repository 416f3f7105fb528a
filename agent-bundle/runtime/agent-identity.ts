import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AGENT_PROTOCOL_VERSION, type AgentIdentity } from '../../common/agent/agent-protocol';

/**
 * Who this agent process is. `bundleSha256` hashes the bundle file itself, the same hash LabDeck
 * names the uploaded file by, so `connect` can tell a daemon of another build apart even when
 * both report the same version (e.g. two development builds).
 */
export async function agentIdentity(
  bundlePath: string,
  agentVersion: string,
): Promise<AgentIdentity> {
  const bundle = await readFile(bundlePath);
  return {
    protocol: AGENT_PROTOCOL_VERSION,
    agentVersion,
    bundleSha256: createHash('sha256').update(bundle).digest('hex'),
    pid: process.pid,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
  };
}
