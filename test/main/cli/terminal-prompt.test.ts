import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalPrompt } from '../../../main/cli/terminal-prompt';

describe('the CLI terminal prompt', () => {
  it("prints a server's keyboard-interactive text without its escape sequences", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const ask = terminalPrompt({ input, output });
    const answer = ask({
      kind: 'keyboard-interactive',
      host: 'gpu-1',
      user: 'ada',
      name: '',
      instructions: 'Duo two-factor\u001b]0;owned\u0007\u001b[2J\rWelcome',
      prompts: [{ prompt: '\u001b[8mhidden\u001b[0mCode: ', echo: true }],
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    input.write('123456\n');
    expect(await answer).toEqual({ kind: 'responses', responses: ['123456'] });
    expect(shown).toContain('Duo two-factorWelcome\n');
    expect(shown).toContain('hiddenCode: ');
    for (const control of ['\u001b', '\u0007', '\r']) expect(shown).not.toContain(control);
  });
});
