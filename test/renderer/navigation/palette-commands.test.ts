import { describe, expect, it } from 'vitest';
import type { Session } from '../../../common/contract/sessions';
import { filterCommands, paletteCommands } from '../../../renderer/src/navigation/palette-commands';
import { localHost, sshHost } from '../host-fixtures';

const labels = (commands: readonly { label: string }[]): string[] => commands.map((c) => c.label);

/** A running session of yours on gpu-7 with a Jupyter and an ssh service. */
const session = (fields: Partial<Session> = {}): Session => ({
  id: '0123456789ab',
  name: 'train',
  host: 'gpu-7',
  owner: 'ana',
  mine: true,
  image: 'pytorch/pytorch:2.3.0',
  status: 'running',
  statusText: 'Up 3 minutes',
  gpuShares: {},
  enforcement: null,
  ports: [
    { name: 'jupyter', protocol: 'http', containerPort: 8888, localUrl: null },
    { name: 'jupyter', protocol: 'http', containerPort: 8889, localUrl: null },
    { name: 'ssh', protocol: 'tcp', containerPort: 2222, localUrl: null },
    { name: 'tb', protocol: 'http', containerPort: 6006, localUrl: null },
  ],
  createdAt: '2025-03-04T10:00:00Z',
  containerId: 'c0ffee',
  mounts: [],
  ...fields,
});

describe('paletteCommands', () => {
  it('offers each host what its card offers in its state, then adding, importing and pages', () => {
    const commands = paletteCommands([localHost(), sshHost({ phase: 'idle' })], []);
    expect(labels(commands)).toEqual([
      'Add host',
      'Import from ~/.ssh/config',
      'New session',
      'New terminal…',
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
    const connected = paletteCommands(
      [sshHost({ phase: 'connected', since: '2025-03-04T10:00:00Z' })],
      [],
    );
    expect(labels(connected).filter((l) => l.endsWith('gpu-7'))).toEqual([
      'Disconnect gpu-7',
      'Check gpu-7',
      'Edit gpu-7',
    ]);
    const waiting = paletteCommands(
      [
        sshHost({
          phase: 'reconnecting',
          attempt: 2,
          at: '2025-03-04T10:00:05Z',
          lastError: { code: 'ssh-timeout', message: 'No answer.' },
        }),
      ],
      [],
    );
    expect(labels(waiting)).toContain('Connect gpu-7');
    expect(labels(waiting)).toContain('Disconnect gpu-7');
  });

  it('offers Open for each http service and Stop of your running sessions, after the hosts', () => {
    const train = session();
    const commands = paletteCommands([sshHost()], [train]);
    expect(labels(commands).slice(7, 10)).toEqual([
      'Open train’s jupyter',
      'Open train’s tb',
      'Stop train',
    ]);
    expect(commands.find((c) => c.label === 'Open train’s tb')).toEqual({
      id: 'open-gpu-7-0123456789ab-tb',
      label: 'Open train’s tb',
      detail: 'gpu-7',
      action: { kind: 'open-service', session: train, service: 'tb' },
    });
    expect(commands.find((c) => c.label === 'Stop train')?.action).toEqual({
      kind: 'stop-session',
      session: train,
    });
    expect(new Set(commands.map((c) => c.id)).size).toBe(commands.length);
  });

  it("offers nothing for others' sessions or stopped ones, and only Stop while restarting", () => {
    const of = (s: Session) => labels(paletteCommands([], [s])).filter((l) => l.includes('train'));
    expect(of(session({ mine: false, owner: 'grace' }))).toEqual([]);
    expect(of(session({ status: 'exited', statusText: 'Exited (0) 1 minute ago' }))).toEqual([]);
    expect(of(session({ status: 'restarting' }))).toEqual(['Stop train']);
  });
});

describe('filterCommands', () => {
  const commands = paletteCommands([localHost(), sshHost()], [session()]);

  it('keeps the commands holding every word typed, in any case, label or address', () => {
    expect(labels(filterCommands(commands, 'con GPU'))).toEqual(['Connect gpu-7']);
    expect(labels(filterCommands(commands, 'gpu-7.lab'))).toEqual([
      'Connect gpu-7',
      'Check gpu-7',
      'Edit gpu-7',
    ]);
    expect(labels(filterCommands(commands, 'go ses'))).toEqual(['Go to Sessions']);
    expect(labels(filterCommands(commands, 'new session'))).toEqual(['New session']);
    expect(labels(filterCommands(commands, 'new term'))).toEqual(['New terminal…']);
  });

  it("matches a typed ' to the label's ’, and the host a session runs on", () => {
    expect(labels(filterCommands(commands, "train's jup"))).toEqual(['Open train’s jupyter']);
    expect(labels(filterCommands(commands, 'train’s tb'))).toEqual(['Open train’s tb']);
    expect(labels(filterCommands(commands, 'stop gpu-7'))).toEqual(['Stop train']);
  });

  it('keeps everything for an empty query and nothing for a miss', () => {
    expect(filterCommands(commands, '  ')).toBe(commands);
    expect(filterCommands(commands, 'nvidia')).toEqual([]);
  });
});
