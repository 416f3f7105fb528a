import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { AppFailure } from '../../common/contract/result';
import type { PromptAnswer, PromptBroker, PromptRequest } from '../../common/ssh/prompts';
import { terminalSafe } from '../../common/text/terminal-safe';

/** What a host-key question must be answered with: a word, never a single keystroke. */
const TRUST_WORD = 'yes';

/** Where the terminal prompt reads and writes; the real TTY by default. */
export interface TerminalIo {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
}

/** Writes through to the terminal except while a secret is typed. */
class MutableOutput extends Writable {
  muted = false;
  constructor(private readonly target: NodeJS.WritableStream) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    if (!this.muted) this.target.write(chunk);
    callback();
  }
}

async function ask(io: TerminalIo, question: string, secret: boolean): Promise<string | undefined> {
  const output = new MutableOutput(io.output);
  const rl = createInterface({ input: io.input, output, terminal: io.input.isTTY === true });
  try {
    io.output.write(question);
    output.muted = secret;
    const closed = new Promise<undefined>((resolve) => rl.once('close', () => resolve(undefined)));
    const answer = await Promise.race([rl.question(''), closed]);
    if (secret) io.output.write('\n');
    return answer;
  } finally {
    rl.close();
  }
}

/**
 * Why a question cannot be asked without a terminal, as the command's failure: what the host
 * asked for, nothing claimed about an answer never given, and the command that asks it.
 * `target` is the LabDeck host the command line names; questions name only an address.
 */
export function noTerminalFailure(request: PromptRequest, target?: string): AppFailure {
  const where = target ?? request.host;
  const run = `Run \`labdeck host connect ${target ?? 'NAME'}\` in a terminal and answer there, or connect from the LabDeck window.`;
  const about = (what: string, hint: string): AppFailure =>
    new AppFailure({
      code: 'prompt-no-terminal',
      message: `${where} ${what}, but this command has no terminal to ask on (its input is not a terminal), so LabDeck stopped connecting.`,
      hint,
    });
  switch (request.kind) {
    case 'host-key-unknown':
      return about(
        `presents a host key LabDeck does not know yet (${request.host} port ${request.port}, ${request.keyType} ${request.fingerprint}) and needs you to trust it`,
        `${run} Nothing was trusted.`,
      );
    case 'passphrase':
      return about(
        `needs the passphrase of the key ${request.keyPath}`,
        `${run} For scripts, load the key into ssh-agent once: \`ssh-add ${request.keyPath}\`.`,
      );
    case 'password':
      return about(
        `asks for the password of ${request.user}@${request.host}`,
        `${run} For scripts, use a key: \`labdeck host add … --identity KEYFILE\`, or ssh-agent.`,
      );
    case 'keyboard-interactive':
      return about(
        `asks ${request.user}@${request.host} keyboard-interactive questions (such as a 2FA code)`,
        run,
      );
    case 'sudo-password':
      return about(
        `needs ${request.user}'s sudo password on ${request.host} to run host setup as root`,
        `Run \`labdeck host setup ${target ?? 'NAME'}\` in a terminal and type it there, or use Set up this host in the window.`,
      );
  }
}

/**
 * The CLI's way of asking: questions on stderr, answers from the terminal, secrets not echoed.
 * Without a terminal (a script's pipe) nothing can be asked: the question fails the connection
 * with {@link noTerminalFailure}, which says what was needed and how to give it.
 */
export function terminalPrompt(
  io: TerminalIo = { input: process.stdin, output: process.stderr },
  target?: string,
): PromptBroker {
  return async (request: PromptRequest): Promise<PromptAnswer> => {
    if (io.input.isTTY !== true && io.input === process.stdin) {
      throw noTerminalFailure(request, target);
    }
    switch (request.kind) {
      case 'host-key-unknown': {
        const answer = await ask(
          io,
          `The authenticity of ${request.host} (port ${request.port}) cannot be established.\n` +
            `${request.keyType} key fingerprint is ${request.fingerprint}.\n` +
            `Type "${TRUST_WORD}" to trust this key and continue: `,
          false,
        );
        return answer === undefined
          ? { kind: 'cancelled' }
          : { kind: 'trust', trust: answer.trim() === TRUST_WORD };
      }
      case 'passphrase':
      case 'password':
      case 'sudo-password': {
        const label =
          request.kind === 'passphrase'
            ? `Passphrase for ${request.keyPath}`
            : request.kind === 'password'
              ? `Password for ${request.user}@${request.host}`
              : `[sudo] password for ${request.user} on ${request.host}`;
        const secret = await ask(
          io,
          `${request.retry ? 'Wrong, try again. ' : ''}${label}: `,
          true,
        );
        // The CLI keeps nothing: remembering secrets is offered by the window, encrypted by the OS keychain.
        return secret === undefined
          ? { kind: 'cancelled' }
          : { kind: 'secret', secret, remember: false };
      }
      case 'keyboard-interactive': {
        // The server writes these: it must not be able to drive the user's terminal.
        if (request.instructions) io.output.write(`${terminalSafe(request.instructions)}\n`);
        const responses: string[] = [];
        for (const prompt of request.prompts) {
          const response = await ask(io, terminalSafe(prompt.prompt), !prompt.echo);
          if (response === undefined) return { kind: 'cancelled' };
          responses.push(response);
        }
        return { kind: 'responses', responses };
      }
    }
  };
}
