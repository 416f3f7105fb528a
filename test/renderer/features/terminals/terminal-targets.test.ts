import { describe, expect, it } from 'vitest';
import type { Session } from '../../../../common/contract/sessions';
import { terminalChoices } from '../../../../renderer/src/features/terminals/terminal-targets';
import { localHost, sshHost } from '../../host-fixtures';

const session = (name: string, fields: Partial<Session>): Session =>
  ({ id: `id-${name}`, name, host: 'gpu-7', mine: true, status: 'running', ...fields }) as Session;

describe('terminal choices', () => {
  it('offers this computer, connected hosts, then running sessions of mine', () => {
    const connected = sshHost({ phase: 'connected', since: '2026-01-01T00:00:00.000Z' });
    const choices = terminalChoices(
      [localHost(), connected],
      [
        session('train', {}),
        session('theirs', { mine: false }),
        session('stopped', { status: 'exited' }),
      ],
    );
    expect(choices.map((c) => c.label)).toEqual(['This computer', 'gpu-7', 'train']);
    expect(choices.map((c) => c.target)).toEqual([
      { kind: 'host', hostId: 'local' },
      { kind: 'host', hostId: 'h-gpu-7' },
      { kind: 'session', session: 'train', hostId: 'h-gpu-7' },
    ]);
  });

  it('offers no host that is not connected', () => {
    expect(terminalChoices([sshHost({ phase: 'idle' })], []).map((c) => c.label)).toEqual([]);
  });
});
