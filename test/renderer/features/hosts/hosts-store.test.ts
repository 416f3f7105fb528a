import { describe, expect, it } from 'vitest';
import type { AppError, Result } from '../../../../common/contract/result';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { createHostsStore, upsertHost } from '../../../../renderer/src/features/hosts/hosts-store';
import { deferred, FakeClient } from '../../fake-client';
import { DAEMON_STOPPED, localHost } from '../../host-fixtures';

const NO_ENGINE: AppError = {
  code: 'host-not-found',
  message: 'There is no host with id "gpu-7".',
  hint: 'Run `labdeck host ls` to see the hosts LabDeck knows.',
};

function setup(client = new FakeClient()) {
  const errors: AppError[] = [];
  const store = createHostsStore({ client, showError: (e) => errors.push(e) });
  return { client, store, errors };
}

describe('hosts store', () => {
  it('is loading until the first list arrives, then shows it', async () => {
    const reply = deferred<Result<HostSummary[]>>();
    const { client, store } = setup(new FakeClient().answer('hosts:list', () => reply.promise));

    const loading = store.getState().load();
    expect(store.getState().status).toBe('loading');
    expect(store.getState().hosts).toEqual([]);

    reply.resolve({ ok: true, value: [localHost()] });
    await loading;
    expect(store.getState().status).toBe('loaded');
    expect(store.getState().hosts.map((h) => h.name)).toEqual(['This computer']);
    expect(client.requests).toEqual([{ channel: 'hosts:list', input: {} }]);
  });

  it('keeps a failed first load visible with its reason and reports it once', async () => {
    const failure: AppError = { code: 'internal-error', message: 'boom' };
    const { store, errors } = setup(new FakeClient().fail('hosts:list', failure));
    await store.getState().load();
    expect(store.getState().status).toBe('failed');
    expect(store.getState().error).toEqual(failure);
    expect(errors).toEqual([failure]);
  });

  it('marks a host as checking while "Check again" runs, then shows the new state', async () => {
    const reply = deferred<Result<HostSummary>>();
    const client = new FakeClient()
      .succeed('hosts:list', [localHost()])
      .answer('hosts:refresh', () => reply.promise);
    const { store } = setup(client);
    await store.getState().load();

    const checking = store.getState().refresh('local');
    expect(store.getState().refreshing).toEqual({ local: true });
    // A second click while the first check runs sends nothing more.
    await store.getState().refresh('local');
    expect(client.requests.filter((r) => r.channel === 'hosts:refresh')).toHaveLength(1);

    reply.resolve({ ok: true, value: localHost(DAEMON_STOPPED) });
    await checking;
    expect(store.getState().refreshing).toEqual({});
    expect(store.getState().hosts[0]?.docker.state).toBe('daemon-not-running');
  });

  it('reports a failed check and leaves the host as it was', async () => {
    const client = new FakeClient()
      .succeed('hosts:list', [localHost()])
      .fail('hosts:refresh', NO_ENGINE);
    const { store, errors } = setup(client);
    await store.getState().load();
    await store.getState().refresh('local');
    expect(errors).toEqual([NO_ENGINE]);
    expect(store.getState().refreshing).toEqual({});
    expect(store.getState().hosts[0]?.docker.state).toBe('reachable');
  });

  it('applies host:updated events until unsubscribed', async () => {
    const { client, store } = setup(new FakeClient().succeed('hosts:list', [localHost()]));
    await store.getState().load();
    const unsubscribe = store.getState().watch();

    client.emit('host:updated', localHost(DAEMON_STOPPED));
    expect(store.getState().hosts[0]?.docker.state).toBe('daemon-not-running');

    unsubscribe();
    expect(client.listenerCount('host:updated')).toBe(0);
    client.emit('host:updated', localHost());
    expect(store.getState().hosts[0]?.docker.state).toBe('daemon-not-running');
  });
});

describe('upsertHost', () => {
  it('replaces a known host in place and appends a new one', () => {
    const other: HostSummary = { ...localHost(), id: 'gpu-7', name: 'gpu-7', kind: 'ssh' };
    const hosts = [localHost(), other];
    const stopped = localHost(DAEMON_STOPPED);
    expect(upsertHost(hosts, stopped)).toEqual([stopped, other]);
    const third = { ...other, id: 'gpu-8', name: 'gpu-8' };
    expect(upsertHost(hosts, third).map((h) => h.id)).toEqual(['local', 'gpu-7', 'gpu-8']);
    expect(hosts[0]?.docker.state).toBe('reachable');
  });
});
