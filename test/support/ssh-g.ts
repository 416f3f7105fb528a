import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { ImportedHost, JumpHop } from '../../main/ssh/ssh-config';
import { parseHops, type ParsedHop } from '../../main/ssh/jump-spec';

const run = promisify(execFile);

/** ssh -G expands `~` with the real account's home and defaults User to its name. */
export const { homedir: SSH_HOME, username: SSH_LOCAL_USER } = userInfo();

/** What `ssh -G` resolves for an alias, without connecting: keyword → values. */
export async function sshG(
  config: string,
  alias: string,
  extra: readonly string[] = [],
): Promise<Map<string, string[]>> {
  const { stdout } = await run('ssh', ['-G', '-F', config, ...extra, alias]);
  const values = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) {
      const key = line.slice(0, space);
      values.set(key, [...(values.get(key) ?? []), line.slice(space + 1)]);
    }
  }
  return values;
}

let defaults: Promise<string[]> | undefined;
/** The identity files ssh tries when the config names none (its version's list). */
export function defaultIdentityFiles(): Promise<string[]> {
  defaults ??= sshG('/dev/null', 'nothing-configured').then((g) => g.get('identityfile') ?? []);
  return defaults;
}

/** `-l USER -p PORT`, as ssh passes a jump spec's user and port to the ssh reaching that hop. */
export function hopArgs(hop: ParsedHop): string[] {
  return [
    ...(hop.user ? ['-l', hop.user] : []),
    ...(hop.port !== undefined ? ['-p', `${hop.port}`] : []),
  ];
}

/**
 * Asserts an imported endpoint equals what ssh -G prints for it: user, host name, port and
 * identity files (ours absent exactly when ssh falls back to its defaults).
 */
export async function expectSshAgrees(
  config: string,
  alias: string,
  ours: ImportedHost | JumpHop,
  extra: readonly string[] = [],
  label = alias,
): Promise<Map<string, string[]>> {
  const g = await sshG(config, alias, extra);
  expect(
    { hostname: ours.hostname, user: ours.user ?? SSH_LOCAL_USER, port: ours.port },
    label,
  ).toEqual({
    hostname: g.get('hostname')?.[0],
    user: g.get('user')?.[0],
    port: Number(g.get('port')?.[0]),
  });
  const theirs = (g.get('identityfile') ?? []).map((f) => f.replace(/^~/, SSH_HOME));
  const fallback = (await defaultIdentityFiles()).map((f) => f.replace(/^~/, SSH_HOME));
  expect(ours.identityFile ?? fallback, `${label} identity files`).toEqual(theirs);
  return g;
}

/**
 * Asserts a whole jump chain agrees with ssh: the ProxyJump ssh -G prints for `alias`, each of
 * its hops resolved as `ssh -l U -p P hop` would, and the first hop's own chain before it.
 */
export async function expectChainAgrees(
  config: string,
  alias: string,
  chain: readonly JumpHop[],
  extra: readonly string[] = [],
  label = alias,
): Promise<void> {
  const g = await sshG(config, alias, extra);
  const spec = g.get('proxyjump')?.[0];
  const hops = spec ? parseHops(spec) : [];
  expect(chain.length, `${label}: hops through ${spec ?? 'none'}`).toBeGreaterThanOrEqual(
    hops.length,
  );
  const direct = chain.slice(chain.length - hops.length);
  for (const [i, hop] of hops.entries()) {
    const ours = direct[i] as JumpHop;
    expect(ours.alias, `${label}: hop ${i + 1}`).toBe(hop.host);
    await expectSshAgrees(config, hop.host, ours, hopArgs(hop), `${label} via ${hop.host}`);
  }
  const before = chain.slice(0, chain.length - hops.length);
  const [head] = hops;
  if (!head) expect(before, `${label}: no more hops`).toEqual([]);
  else await expectChainAgrees(config, head.host, before, hopArgs(head), `${label} → ${head.host}`);
}
