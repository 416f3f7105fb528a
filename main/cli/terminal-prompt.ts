import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
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
 * The CLI's way of asking: questions on stderr, answers from the terminal, secrets not echoed.
 * Without a terminal (a script's pipe) nothing can be asked: the question is cancelled and the
 * command fails with a message saying what was needed.
 */
export function terminalPrompt(
  io: TerminalIo = { input: process.stdin, output: process.stderr },
): PromptBroker {
  return async (request: PromptRequest): Promise<PromptAnswer> => {
    if (io.input.isTTY !== true && io.input === process.stdin) {
      io.output.write(
        `labdeck: ${request.host} needs an answer (${request.kind}), but there is no terminal to ask on. ` +
          'Run the command once in a terminal (e.g. `labdeck host connect NAME`), or connect from the window.\n',
      );
      return { kind: 'cancelled' };
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
      case 'password': {
        const label =
          request.kind === 'passphrase'
            ? `Passphrase for ${request.keyPath}`
            : `Password for ${request.user}@${request.host}`;
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
