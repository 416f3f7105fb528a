import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { commandLine } from '../../../common/shell/shell-quote';
import {
  CLI_BUNDLE,
  createTestUser,
  describeWithParts,
  ensureBuilt,
  runLabdeck,
  startSshd,
  type Sshd,
  type TestUser,
} from '../../harness';

/** What the CLI must not claim when nobody was asked anything. */
const CLAIMED_ANSWER = /did not trust|declined|was cancelled|You cancelled/i;
/** How long an interactive run may take: a login, the probe and the agent start. */
const INTERACTIVE_TIMEOUT_MS = 60_000;

/**
 * Runs the built CLI in a real pseudo-terminal (util-linux `script`), typing each answer once
 * the CLI's output shows its question.
 */
function inTerminal(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  answers: readonly { readonly after: string; readonly type: string }[],
): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    'script',
    ['-qec', commandLine([process.execPath, CLI_BUNDLE, ...args]), '/dev/null'],
    { env, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  let next = 0;
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    const answer = answers[next];
    if (answer && output.includes(answer.after)) {
      next += 1;
      child.stdin.write(`${answer.type}\r`);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no end in a terminal:\n${output}`));
    }, INTERACTIVE_TIMEOUT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describeWithParts(
  ['root', 'sshd', 'ssh-keygen', 'script'],
  'the built CLI asking questions: on a terminal, or saying why it cannot',
  () => {
    let sshd: Sshd;
    let user: TestUser;
    let home: string;
    let env: NodeJS.ProcessEnv;
    const knownHosts = (): Promise<string> =>
      readFile(join(home, 'known_hosts'), 'utf8').catch(() => '');

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      user = await createTestUser('cli-prompts');
      home = await mkdtemp(join(tmpdir(), 'labdeck-cli-prompts-'));
      // No SSH_AUTH_SOCK and no keys in this HOME: a host without --identity logs in by password.
      env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home, LABDECK_NO_APP: '1' };
      const target = `${user.username}@${sshd.host}:${sshd.port}`;
      for (const args of [
        ['gpu-lab', '--ssh', target, '--identity', user.privateKeyPath],
        ['pw-lab', '--ssh', target],
      ]) {
        const added = await runLabdeck(['host', 'add', ...args], env);
        expect(added.code, added.stderr).toBe(0);
      }
    });

    afterAll(async () => {
      await sshd?.stop();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('through a pipe, an unknown host key fails naming the host and the command to run', async () => {
      for (const args of [
        ['host', 'connect', 'gpu-lab'],
        ['gpus', 'gpu-lab'],
      ]) {
        const result = await runLabdeck(args, env);
        expect(result.code, args.join(' ')).toBe(1);
        expect(result.stderr).toContain(
          `error: gpu-lab presents a host key LabDeck does not know yet (${sshd.host} port ${sshd.port}, ssh-ed25519 ${sshd.hostKeyFingerprintSha256})`,
        );
        expect(result.stderr).toContain('this command has no terminal to ask on');
        expect(result.stderr).toContain(
          'hint: Run `labdeck host connect gpu-lab` in a terminal and answer there',
        );
        expect(result.stderr).toContain('Nothing was trusted.');
        expect(result.stderr).not.toMatch(CLAIMED_ANSWER);
        expect(result.stderr).not.toMatch(/host connect NAME/);
      }
      expect(await knownHosts()).toBe('');
    });

    it('in a terminal, asks for the host key and connects once "yes" is typed', async () => {
      const result = await inTerminal(['host', 'connect', 'gpu-lab'], env, [
        { after: 'Type "yes" to trust this key and continue: ', type: 'yes' },
      ]);
      expect(result.output).toContain(`key fingerprint is ${sshd.hostKeyFingerprintSha256}`);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(/gpu-lab\s+ssh\s+\S+\s+connected/);
      expect(await knownHosts()).toContain(sshd.hostPublicKey.split(' ').slice(0, 2).join(' '));
      // Trusted now, so a script connects without asking.
      expect((await runLabdeck(['host', 'connect', 'gpu-lab'], env)).code).toBe(0);
    });

    it('through a pipe, a password login says a password was needed, not that it was cancelled', async () => {
      const result = await runLabdeck(['host', 'connect', 'pw-lab'], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `error: pw-lab asks for the password of ${user.username}@${sshd.host}, but this command has no terminal to ask on`,
      );
      expect(result.stderr).toContain('Run `labdeck host connect pw-lab` in a terminal');
      expect(result.stderr).not.toMatch(CLAIMED_ANSWER);
    });

    it('in a terminal, asks for the password without echoing it and logs in', async () => {
      const result = await inTerminal(['host', 'connect', 'pw-lab'], env, [
        { after: `Password for ${user.username}@${sshd.host}: `, type: user.password },
      ]);
      expect(result.code, result.output).toBe(0);
      expect(result.output).not.toContain(user.password);
      expect(result.output).toMatch(/pw-lab\s+ssh\s+\S+\s+connected/);
    });
  },
);
