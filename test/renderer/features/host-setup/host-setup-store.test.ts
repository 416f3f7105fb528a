import { describe, expect, it } from 'vitest';
import type { Result } from '../../../../common/contract/result';
import type { HostSetupReport } from '../../../../common/host-setup/setup-report';
import type { SetupStatus } from '../../../../common/host-setup/setup-status';
import { createHostSetupStore } from '../../../../renderer/src/features/host-setup/host-setup-store';
import { createHostsStore } from '../../../../renderer/src/features/hosts/hosts-store';
import { deferred, FakeClient } from '../../fake-client';
import { localHost, sshHost } from '../../host-fixtures';
import { notSetUp, report, setUp } from './setup-fixtures';

const CONNECTED = { phase: 'connected', since: '2025-03-04T10:20:30Z' } as const;

/** Lets the status requests that following the hosts starts (unawaited) finish. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function setup(client: FakeClient) {
  const hosts = createHostsStore({ client, showError: () => undefined });
  hosts.getState().watch();
  const store = createHostSetupStore({ client, hosts });
  const unwatch = store.getState().watch();
  return { hosts, store, unwatch };
}

const statusRequests = (client: FakeClient): unknown[] =>
  client.requests.filter((r) => r.channel === 'hosts:setup-status').map((r) => r.input);

describe('host-setup store', () => {
  it('asks each connected host for its status as the hosts arrive, and no other', async () => {
    const client = new FakeClient()
      .succeed('hosts:list', [localHost(), sshHost({ phase: 'idle' })])
      .answer('hosts:setup-status', async ({ hostId }) => ({
        ok: true,
        value: hostId === 'local' ? setUp() : notSetUp(),
      }));
    const { hosts, store } = setup(client);
    await hosts.getState().load();
    await settle();

    expect(statusRequests(client)).toEqual([{ hostId: 'local' }]);
    expect(store.getState().statuses).toEqual({ local: { phase: 'loaded', status: setUp() } });
  });

  it('asks a host when it connects, again on a new connection, and forgets it once it is gone', async () => {
    const client = new FakeClient()
      .succeed('hosts:list', [sshHost({ phase: 'idle' })])
      .succeed('hosts:setup-status', notSetUp());
    const { hosts, store } = setup(client);
    await hosts.getState().load();
    client.emit('host:updated', sshHost(CONNECTED));
    await settle();
    expect(store.getState().statuses['h-gpu-7']).toEqual({ phase: 'loaded', status: notSetUp() });

    client.emit('host:updated', sshHost(CONNECTED)); // the same connection: not asked again
    await settle();
    expect(statusRequests(client)).toHaveLength(1);

    client.emit('host:updated', sshHost({ phase: 'idle' }));
    expect(store.getState().statuses['h-gpu-7']).toBeUndefined();
    client.emit('host:updated', sshHost({ phase: 'connected', since: '2025-03-04T11:00:00Z' }));
    await settle();
    expect(statusRequests(client)).toHaveLength(2);
    expect(store.getState().statuses['h-gpu-7']?.phase).toBe('loaded');
  });

  it('drops a status that arrives after its host disconnected', async () => {
    const reply = deferred<Result<SetupStatus>>();
    const client = new FakeClient()
      .succeed('hosts:list', [sshHost(CONNECTED)])
      .answer('hosts:setup-status', () => reply.promise);
    const { hosts, store } = setup(client);
    await hosts.getState().load();
    expect(store.getState().statuses['h-gpu-7']).toEqual({ phase: 'loading' });

    client.emit('host:updated', sshHost({ phase: 'idle' }));
    reply.resolve({ ok: true, value: notSetUp() });
    await settle();
    expect(store.getState().statuses).toEqual({});
  });

  it('runs setup without a root, shows it running, then asks the status again', async () => {
    const reply = deferred<Result<HostSetupReport>>();
    let status = notSetUp({ sudo: 'root' });
    const client = new FakeClient()
      .succeed('hosts:list', [localHost()])
      .answer('hosts:setup-status', async () => ({ ok: true, value: status }))
      .answer('hosts:setup', () => reply.promise);
    const { hosts, store } = setup(client);
    await hosts.getState().load();
    await settle();

    const running = store.getState().run('local', { mode: 'setup', volumes: [], lab: 'vision' });
    expect(store.getState().runs.local).toEqual({ phase: 'running', mode: 'setup' });
    // A second click while it runs sends nothing.
    expect(await store.getState().run('local', { mode: 'dry-run', volumes: [] })).toBeNull();

    const done = report('setup', [{ status: 'done', title: 'create /var/lib/labdeck' }]);
    status = setUp({ sudo: 'root' });
    reply.resolve({ ok: true, value: done });
    expect(await running).toEqual({ ok: true, value: done });

    expect(client.requests.filter((r) => r.channel === 'hosts:setup')).toEqual([
      {
        channel: 'hosts:setup',
        input: { mode: 'setup', volumes: [], lab: 'vision', hostId: 'local' },
      },
    ]);
    expect(store.getState().runs.local).toEqual({ phase: 'done', report: done });
    expect(store.getState().statuses.local).toEqual({ phase: 'loaded', status });
  });

  it('does not ask the status again after a preview, and keeps a failure for the dialog', async () => {
    const error = {
      code: 'setup-sudo-denied',
      message: 'ana may not use sudo',
      hint: 'Ask an admin',
    };
    const client = new FakeClient()
      .succeed('hosts:list', [localHost()])
      .succeed('hosts:setup-status', notSetUp())
      .succeed('hosts:setup', report('dry-run', [{ status: 'planned', title: 'a' }]));
    const { hosts, store } = setup(client);
    await hosts.getState().load();
    await settle();

    await store.getState().run('local', { mode: 'dry-run', volumes: [] });
    expect(statusRequests(client)).toHaveLength(1);

    client.fail('hosts:setup', error);
    expect(await store.getState().run('local', { mode: 'setup', volumes: [] })).toEqual({
      ok: false,
      error,
    });
    expect(store.getState().runs.local).toEqual({ phase: 'failed', mode: 'setup', error });
    store.getState().clearRun('local');
    expect(store.getState().runs.local).toBeUndefined();
  });

  it('stops following the hosts once unwatched', async () => {
    const client = new FakeClient()
      .succeed('hosts:list', [sshHost({ phase: 'idle' })])
      .succeed('hosts:setup-status', notSetUp());
    const { hosts, unwatch } = setup(client);
    await hosts.getState().load();
    unwatch();
    client.emit('host:updated', sshHost(CONNECTED));
    await settle();
    expect(statusRequests(client)).toEqual([]);
  });
});
