import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The commands a hint offers to copy: its backtick spans, as the window shows them. */
export function hintCommands(text: string | undefined): string[] {
  return [...(text ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
}

/** What real OpenSSH makes of a pasted `ssh …` line. */
export interface SshResolved {
  readonly user: string;
  readonly hostname: string;
  readonly port: number;
  /** `ssh -G`'s `proxyjump` line, or undefined when there is none. */
  readonly proxyjump: string | undefined;
}

/**
 * Runs a pasted command line through bash with `ssh` standing for `ssh -F /dev/null -G`: the
 * real OpenSSH client parses the line as typed (quoting, `-p`, `-J`, `user@host`) and prints the
 * configuration it would connect with, without connecting. Rejects when ssh refuses the line.
 */
export async function resolveSsh(command: string): Promise<SshResolved> {
  if (!/^ssh\s/.test(command)) throw new Error(`not an ssh command: ${command}`);
  const script = `ssh() { command ssh -F /dev/null -G "$@"; }\n${command}`;
  const { stdout } = await run('bash', ['-c', script]);
  const config = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) config.set(line.slice(0, space), line.slice(space + 1));
  }
  return {
    user: config.get('user') ?? '',
    hostname: config.get('hostname') ?? '',
    port: Number(config.get('port')),
    proxyjump: config.get('proxyjump'),
  };
}

/**
 * The argv a shell hands `program` for a pasted command line, with `program` replaced by a
 * function that prints its arguments: proves the line parses as meant, without running it.
 */
export async function argvFor(command: string, program: string): Promise<string[]> {
  const script = `${program}() { printf '%s\\0' "$@"; }\n${command}`;
  const { stdout } = await run('bash', ['-c', script]);
  return stdout.split('\0').slice(0, -1);
}
