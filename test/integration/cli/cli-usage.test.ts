import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, ensureBuilt, runLabdeck } from '../../harness';

/** What Node's own argument parser says; the user must never see it. */
const NODE_PARSER_TEXT =
  /Unknown option '|argument missing|To specify a positional argument|ERR_PARSE_ARGS|Unexpected argument '/;
/** A line of a JavaScript stack trace. */
const STACK_LINE = /^\s+at .+[(:]\d+/m;

/** One command line of the README's `labdeck` CLI block: its command words and flags. */
interface ReadmeCommand {
  readonly line: string;
  readonly words: readonly string[];
  readonly flags: readonly string[];
}

/** The command lines the README's "The `labdeck` CLI" section lists, `labdeck --help` excepted. */
async function readmeCommands(): Promise<ReadmeCommand[]> {
  const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The `labdeck` CLI'));
  const block = /```text\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .filter((line) => line.startsWith('labdeck ') && !line.startsWith('labdeck --help'))
    .map((line) => {
      const usage = line
        .split(/\s{2,}/)[0]!
        .split(' ')
        .slice(1);
      const words: string[] = [];
      for (const word of usage) {
        if (!/^[a-z][a-z-]*$/.test(word)) break;
        words.push(word);
      }
      return { line, words, flags: [...new Set(line.match(/--[a-z][a-z-]*/g) ?? [])] };
    });
}

describe('the built labdeck CLI guiding a user through a pipe', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  const labdeck = (...args: string[]) => runLabdeck(args, env);

  beforeAll(async () => {
    await ensureBuilt();
    home = await mkdtemp(join(tmpdir(), 'labdeck-cli-usage-'));
    env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home, LABDECK_NO_APP: '1' };
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('`--help` has a line for every command the README lists, with its flags', async () => {
    const commands = await readmeCommands();
    expect(commands.map((c) => c.words.join(' '))).toEqual(
      expect.arrayContaining(['host check', 'host trust-key', 'gpus', 'host ls', 'version']),
    );
    const help = await labdeck('--help');
    expect(help.code).toBe(0);
    const lines = help.stdout.split('\n');
    for (const command of commands) {
      const found = lines.find(
        (line) =>
          line.startsWith(`  ${command.words.join(' ')} `) &&
          command.flags.every((flag) => line.includes(flag)),
      );
      expect(found, `no --help line for the README's "${command.line}"`).toBeDefined();
    }
    expect(help.stdout).toMatch(/^ {2}gpus HOST \[--json\] \[--watch\] +GPUs of a host/m);
    // No lumped "connect NAME | check NAME" lines (alternatives inside a flag, `user|domain`, are fine).
    expect(help.stdout).not.toMatch(/ \| /);
  });

  it('`help COMMAND` and `COMMAND --help` give the options and examples of each README command', async () => {
    for (const { words, flags } of await readmeCommands()) {
      for (const args of [
        ['help', ...words],
        [...words, '--help'],
      ]) {
        const result = await labdeck(...args);
        expect(result.code, args.join(' ')).toBe(0);
        expect(result.stdout).toContain(`Usage: labdeck ${words.join(' ')}`);
        expect(result.stdout).toMatch(new RegExp(`Examples:\\n {2}labdeck ${words.join(' ')}`));
        for (const flag of flags) expect(result.stdout).toMatch(new RegExp(`^ {2}${flag}\\b`, 'm'));
      }
    }
    const add = await labdeck('help', 'host', 'add');
    expect(add.stdout).toContain('An IPv6 address goes in brackets: ada@[fe80::1]:2222.');
    expect(add.stdout).toContain('labdeck host add gpu-lab --ssh ada@gpu1 --jump ada@gateway');
  });

  it.each([
    [['gpu', 'lab1'], 'unknown command "gpu". Did you mean "gpus"?'],
    [['hots', 'ls'], 'unknown command "hots". Did you mean "host"?'],
    [['host', 'list'], 'unknown host command "list". Did you mean "host ls"?'],
    [['host', 'conect', 'gpu-lab'], 'unknown host command "conect". Did you mean "host connect"?'],
    [['host', 'ls', '--jsn'], 'host ls has no option --jsn. Did you mean --json?'],
    [['gpus', 'lab1', '--jsn'], 'gpus has no option --jsn. Did you mean --json?'],
    [['gpus', 'lab1', '--wacth'], 'gpus has no option --wacth. Did you mean --watch?'],
    [['host', 'check', 'lab1', '-json'], 'host check has no option -json. Did you mean --json?'],
    [['help', 'gpu'], 'unknown command "gpu". Did you mean "gpus"?'],
    [['host', 'add', 'x', '--ssh'], '--ssh needs a value: --ssh USER@HOST[:PORT]'],
    [
      ['host', 'add', 'x', 'ada@gpu1'],
      'host add needs --ssh USER@HOST[:PORT]. Did you mean "--ssh ada@gpu1"?',
    ],
    [['host', 'check'], "host check needs NAME (a host's name, as `labdeck host ls` lists it"],
    [['host', 'rm', 'a', 'b'], 'host rm takes NAME only; "b" is one word too many'],
    [['host', 'ls', '--json=yes'], '--json takes no value (got "--json=yes")'],
    [['version', 'now'], 'version takes no arguments (got "now")'],
  ])('`labdeck %j` is a usage error: exit 2, %s', async (args, message) => {
    const result = await labdeck(...args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`labdeck: ${message}`);
    expect(result.stderr).toMatch(/Run `labdeck (--help|help [a-z ]+)`/);
    expect(result.stderr).not.toMatch(NODE_PARSER_TEXT);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it.each([
    ['user@host:4819l', 'the port "4819l" is not a number from 1 to 65535'],
    [':0', 'there is no host name before ":0"'],
    [':22:33', 'there is no host name before ":22:33"; "22:33" is more than one port'],
    ['user@-v', 'the host name "-v" must not start with "-" (ssh would read it as an option)'],
    ['@gpu1', 'the user name before "@" is empty'],
    ['ada@gpu1:0', 'the port "0" is not a number from 1 to 65535'],
    ['ada@gpu1:65536', 'the port "65536" is not a number from 1 to 65535'],
    ['ada@::1', '"::1" looks like an IPv6 address: put it in brackets, [::1]'],
    ['a da@gpu1', 'the user name "a da" is not a valid Unix user name'],
  ])(
    '`host add gpu-lab --ssh %s` names the wrong part, exit 2, adds nothing',
    async (spec, why) => {
      const result = await labdeck('host', 'add', 'gpu-lab', '--ssh', spec);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`labdeck: --ssh "${spec}": ${why}`);
      expect(result.stderr).toContain('Usage:\n  labdeck host add NAME --ssh USER@HOST[:PORT]');
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.stderr).not.toMatch(/unexpected error|AppFailure|invalid-input/);
      const listed = await labdeck('host', 'ls', '--json');
      expect((JSON.parse(listed.stdout) as { name: string }[]).map((h) => h.name)).toEqual([
        'This computer',
      ]);
    },
  );

  it('names the hop of a --jump list that is wrong', async () => {
    const result = await labdeck(
      'host',
      'add',
      'gpu-lab',
      '--ssh',
      'ada@gpu1',
      '--jump',
      'ada@gw1,ada@gw2:x',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'labdeck: --jump hop 2 "ada@gw2:x": the port "x" is not a number',
    );
  });

  it('still adds a well-formed host, IPv6 in brackets and jump hosts included', async () => {
    const added = await labdeck(
      'host',
      'add',
      'v6lab',
      '--ssh',
      'ada@[::1]:2222',
      '--jump',
      'bob@gw.lab.example:2200,gw2',
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const listed = JSON.parse((await labdeck('host', 'ls', '--json')).stdout) as {
      name: string;
      address: string;
    }[];
    expect(listed.find((h) => h.name === 'v6lab')?.address).toContain('::1');
    expect((await labdeck('host', 'rm', 'v6lab')).code).toBe(0);
  });
});
