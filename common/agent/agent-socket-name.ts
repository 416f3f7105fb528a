/** Hex digits of the bundle's sha256 that name a build's socket: collisions need 2^24 builds. */
export const BUILD_ID_HEX_CHARS = 12;

/**
 * The socket of one build, `agent-<sha12>.sock`. Each build has its own daemon side by side (as
 * VS Code Remote keeps `~/.vscode-server/bin/<commit>`), so an upgrade or a second laptop on
 * another version never stops the daemon, and the terminals, of the first. Shared by the agent,
 * which listens there, and main's probe, which looks for a running daemon there.
 */
export function buildSocketName(bundleSha256: string): string {
  return `agent-${bundleSha256.slice(0, BUILD_ID_HEX_CHARS)}.sock`;
}
