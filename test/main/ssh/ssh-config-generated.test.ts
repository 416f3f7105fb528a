import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHops } from '../../../main/ssh/jump-spec';
import { parseSshConfig } from '../../../main/ssh/ssh-config';
import {
  SSH_HOME,
  SSH_LOCAL_USER,
  expectChainAgrees,
  expectSshAgrees,
  sshG,
} from '../../support/ssh-g';

/**
 * Generated ssh_config files, each compared host by host with what `ssh -G` resolves: Host
 * patterns with negation, Match host/user/originalhost/localuser/all/canonical/final, Include,
 * ProxyJump chains and first-value-wins ordering, in random mixes from fixed seeds.
 */

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

/** mulberry32: a small seeded generator, so a failing seed can be rerun and read. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ALIASES = ['bastion', 'gw', 'gpu1', 'gpu2', 'Login', 'lab-direct', 'node-a'];
const HOST_NAMES = [
  '%h.lab.example',
  '%h.LAB.Example',
  '10.0.0.7',
  'gw.internal',
  'Lab-Direct.example',
  '127.0.0.1',
];
const HOST_PATTERNS = [
  '*.lab.example',
  '10.0.0.*',
  'gw.internal',
  'gpu?',
  'lab-direct*',
  '127.0.0.1',
];
const USERS = ['alice', 'bob', 'carol', SSH_LOCAL_USER];
const USER_PATTERNS = ['alice', 'bob', 'ali*', SSH_LOCAL_USER, '*'];

/** Builds one config: `main` lines and the files it Includes (relative to its folder). */
function generate(seed: number): { main: string[]; included: Record<string, string[]> } {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const chance = (p: number): boolean => next() < p;
  const not = (p = 0.25): string => (chance(p) ? '!' : '');
  const list = (items: readonly string[], size: number): string =>
    Array.from({ length: size }, (_, i) => (i > 0 ? not() : '') + pick(items)).join(',');

  const aliases = [...ALIASES].sort(() => next() - 0.5).slice(0, 3 + Math.floor(next() * 4));
  const setting = (): string => {
    const roll = next();
    if (roll < 0.2) return `  HostName ${pick(HOST_NAMES)}`;
    if (roll < 0.4) return `  User ${pick(USERS)}`;
    if (roll < 0.65) return `  Port ${2200 + Math.floor(next() * 100)}`;
    if (roll < 0.85) return `  IdentityFile ~/.ssh/key_${Math.floor(next() * 5)}`;
    if (roll < 0.93) return '  ProxyJump none';
    return '  CanonicalizeHostname yes';
  };
  const criterion = (): string => {
    const roll = next();
    if (roll < 0.3)
      return `${not()}host ${list(HOST_PATTERNS.concat(aliases), 1 + Math.floor(next() * 3))}`;
    if (roll < 0.5) return `${not()}user ${list(USER_PATTERNS, 1 + Math.floor(next() * 2))}`;
    if (roll < 0.7)
      return `${not()}originalhost ${list(aliases.concat(['gpu*', 'GPU*', '*-a', 'LOGIN']), 1 + Math.floor(next() * 2))}`;
    if (roll < 0.8) return `${not(0.1)}localuser ${pick(USER_PATTERNS)}`;
    if (roll < 0.9) return `${not()}final`;
    return `${not()}canonical`;
  };
  const header = (): string => {
    const roll = next();
    if (roll < 0.3) return `Host ${pick(aliases)}`;
    if (roll < 0.4) return `Host ${pick(aliases)} ${pick(aliases)}`;
    if (roll < 0.5) return `Host * !${pick(aliases)}`;
    if (roll < 0.6) return `Host ${pick(['gpu*', '?pu1', '*.lab.example', '*', 'gw.internal'])}`;
    if (roll < 0.65) return 'Match all';
    if (roll < 0.7) return `Match ${pick(['canonical', 'final', '!final'])} all`;
    const criteria = Array.from({ length: 1 + Math.floor(next() * 2) }, criterion);
    return `Match ${criteria.join(' ')}`;
  };

  const blocks: string[][] = [];
  // Every alias gets a block of its own; a real jump only goes to an alias listed before it,
  // so chains never loop.
  for (const [i, alias] of aliases.entries()) {
    const body = Array.from({ length: Math.floor(next() * 3) }, setting);
    if (i > 0 && chance(0.5)) {
      const earlier = aliases.slice(0, i);
      const hop = (): string =>
        (chance(0.3) ? `${pick(USERS)}@` : '') + pick(earlier) + (chance(0.3) ? ':2222' : '');
      body.splice(
        Math.floor(next() * (body.length + 1)),
        0,
        `  ProxyJump ${chance(0.3) ? `${hop()},${hop()}` : hop()}`,
      );
    }
    blocks.push([`Host ${alias}`, ...body]);
  }
  for (let i = 0; i < 4 + Math.floor(next() * 6); i += 1)
    blocks.push([header(), ...Array.from({ length: 1 + Math.floor(next() * 3) }, setting)]);
  blocks.sort(() => next() - 0.5);

  // Some blocks move to Included files, at top level or inside the block before the Include.
  const included: Record<string, string[]> = {};
  const main: string[] = [];
  for (const block of blocks) {
    if (chance(0.2)) {
      const file = `inc/${Object.keys(included).length}.conf`;
      included[file] = block;
      main.push(`${chance(0.5) ? '  ' : ''}Include $DIR/inc/${file.slice(4)}`);
    } else main.push(...block);
  }
  return { main, included };
}

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('importing generated configs agrees with ssh -G for every host', () => {
  it.each(SEEDS)('config #%i', async (seed) => {
    const { main, included } = generate(seed);
    const dir = await mkdtemp(join(tmpdir(), `labdeck-generated-${seed}-`));
    made.push(dir);
    await mkdir(join(dir, 'inc'));
    const text = (lines: string[]) => lines.join('\n').replaceAll('$DIR', dir) + '\n';
    for (const [file, lines] of Object.entries(included))
      await writeFile(join(dir, file), text(lines));
    const config = join(dir, 'config');
    await writeFile(config, text(main));
    const shown = [text(main), ...Object.entries(included).map(([f, l]) => `--- ${f}\n${text(l)}`)];

    try {
      const { hosts, problems } = await parseSshConfig(config, {
        home: SSH_HOME,
        localUser: SSH_LOCAL_USER,
      });
      expect(problems).toEqual([]);
      const concrete = [...new Set(main.concat(...Object.values(included)).flatMap(hostArgs))];
      expect(hosts.map((h) => h.name).sort()).toEqual(concrete.sort());
      await Promise.all(
        hosts.map(async (host) => {
          await expectSshAgrees(config, host.name, host);
          await expectChainAgrees(config, host.name, host.jump);
          const theirs = (await sshG(config, host.name)).get('proxyjump')?.[0];
          expect(host.proxyJump && parseHops(host.proxyJump), `${host.name} ProxyJump`).toEqual(
            theirs && parseHops(theirs),
          );
        }),
      );
    } catch (error) {
      (error as Error).message += `\n--- config (seed ${seed}) ---\n${shown.join('\n')}`;
      throw error;
    }
  });
});

/** The concrete names a `Host` line lists. */
function hostArgs(line: string): string[] {
  const match = /^\s*Host\s+(.*)$/.exec(line);
  return match ? (match[1] as string).split(/\s+/).filter((a) => !/[*?!]/.test(a)) : [];
}
