import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../../main/cli/cli-args';
import { helpFor } from '../../../main/cli/cli-help';
import { UsageError } from '../../../main/cli/cli-io';
import { findCommand } from '../../../main/cli/commands/command-table';

const terminal = findCommand('terminal')!;

describe('a command with verb-less forms beside its verbs (`terminal SESSION`, `terminal ls`)', () => {
  it('gives a first word that is no verb, or an option first, to the verb-less forms', () => {
    const session = parseCommandArgs(terminal, ['train', '--host', 'lab']);
    expect(session.verb).toBeUndefined();
    expect(session.positionals).toEqual(['train']);
    expect(session.values.get('host')).toBe('lab');
    const host = parseCommandArgs(terminal, ['--host', 'lab']);
    expect(host.verb).toBeUndefined();
    expect(host.positionals).toEqual([]);
  });

  it('still picks a verb and checks its own words', () => {
    const ls = parseCommandArgs(terminal, ['ls', '--json']);
    expect(ls.verb).toBe('ls');
    expect(ls.flags.has('json')).toBe(true);
    expect(() => parseCommandArgs(terminal, ['attach'])).toThrow('terminal attach needs ID');
    expect(() => parseCommandArgs(terminal, ['ls', '--host', 'lab'])).toThrow(
      'terminal ls has no option --host',
    );
  });

  it("refuses an option of a verb's in the verb-less forms, and extra words", () => {
    expect(() => parseCommandArgs(terminal, ['train', '--json'])).toThrow(UsageError);
    expect(() => parseCommandArgs(terminal, ['train', 'extra'])).toThrow(/one word too many/);
  });

  it('helps with the verb-less forms, their examples and the verbs', () => {
    const help = helpFor(['terminal'])!;
    expect(help).toMatch(
      /^Usage: labdeck terminal SESSION \[--host HOST\]\n {7}labdeck terminal --host HOST\n/,
    );
    expect(help).toMatch(/Examples:\n {2}labdeck terminal train\n/);
    expect(help).toMatch(/^ {2}--host HOST /m);
    expect(help).toMatch(/^ {2}terminal attach ID \[--host HOST\] +Attach to a running terminal/m);
    expect(help).toMatch(/^ {2}terminal ls \[--json\] +List the live/m);
    // `labdeck terminal train --help` asks about the form that word is for.
    expect(helpFor(['terminal', 'train'])).toBe(help);
    expect(helpFor(['terminal', 'ls'])).toMatch(/^Usage: labdeck terminal ls \[--json\]\n/);
  });
});
