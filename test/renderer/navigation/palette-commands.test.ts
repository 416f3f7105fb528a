import { describe, expect, it } from 'vitest';
import { filterCommands, paletteCommands } from '../../../renderer/src/navigation/palette-commands';
import { localHost, sshHost } from '../host-fixtures';

const labels = (commands: readonly { label: string }[]): string[] => commands.map((c) => c.label);

describe('paletteCommands', () => {
  it('offers each host what its card offers in its state, then adding, importing and pages', () => {
    const commands = paletteCommands([localHost(), sshHost({ phase: 'idle' })]);
    expect(labels(commands)).toEqual([
      'Add host',
      'Import from ~/.ssh/config',
      'Check This computer',
      'Connect gpu-7',
      'Check gpu-7',
      'Edit gpu-7',
      'Go to Hosts',
      'Go to Sessions',
      'Go to Folders',
      'Go to Dotfiles',
      'Go to Terminals',
      'Keyboard shortcuts',
    ]);
    expect(commands.find((c) => c.label === 'Connect gpu-7')).toEqual({
      id: 'connect-h-gpu-7',
      label: 'Connect gpu-7',
      detail: 'ana@gpu-7.lab.example:2222',
      action: { kind: 'connect', hostId: 'h-gpu-7' },
    });
  });

  it('offers Disconnect for a connected host, and both while it waits to reconnect', () => {
    const connected = paletteCommands([
      sshHost({ phase: 'connected', since: '2025-03-04T10:00:00Z' }),
    ]);
    expect(labels(connected).filter((l) => l.endsWith('gpu-7'))).toEqual([
      'Disconnect gpu-7',
      'Check gpu-7',
      'Edit gpu-7',
    ]);
    const waiting = paletteCommands([
      sshHost({
        phase: 'reconnecting',
        attempt: 2,
        at: '2025-03-04T10:00:05Z',
        lastError: { code: 'ssh-timeout', message: 'No answer.' },
      }),
    ]);
    expect(labels(waiting)).toContain('Connect gpu-7');
    expect(labels(waiting)).toContain('Disconnect gpu-7');
  });
});

describe('filterCommands', () => {
  const commands = paletteCommands([localHost(), sshHost()]);

  it('keeps the commands holding every word typed, in any case, label or address', () => {
    expect(labels(filterCommands(commands, 'con GPU'))).toEqual(['Connect gpu-7']);
    expect(labels(filterCommands(commands, 'gpu-7.lab'))).toEqual([
      'Connect gpu-7',
      'Check gpu-7',
      'Edit gpu-7',
    ]);
    expect(labels(filterCommands(commands, 'go ses'))).toEqual(['Go to Sessions']);
  });

  it('keeps everything for an empty query and nothing for a miss', () => {
    expect(filterCommands(commands, '  ')).toBe(commands);
    expect(filterCommands(commands, 'nvidia')).toEqual([]);
  });
});
