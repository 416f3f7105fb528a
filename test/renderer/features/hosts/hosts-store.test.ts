import { describe, expect, it } from 'vitest';
import type { AppError, Result } from '../../../../common/contract/result';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { createHostsStore, upsertHost } from '../../../../renderer/src/features/hosts/hosts-store';
import { deferred, FakeClient } from '../../fake-client';
import { DAEMON_STOPPED, localHost, sshHost } from '../../host-fixtures';

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

  it('applies host:updated and host:removed events until unsubscribed', async () => {
    const { client, store } = setup(
      new FakeClient().succeed('hosts:list', [localHost(), sshHost()]),
    );
    await store.getState().load();
    const unsubscribe = store.getState().watch();

    client.emit('host:updated', localHost(DAEMON_STOPPED));
    expect(store.getState().hosts[0]?.docker.state).toBe('daemon-not-running');
    client.emit('host:removed', { id: 'h-gpu-7' });
    client.emit('host:removed', { id: 'never-known' });
    expect(store.getState().hosts.map((h) => h.id)).toEqual(['local']);

    unsubscribe();
    expect(client.listenerCount('host:updated')).toBe(0);
    expect(client.listenerCount('host:removed')).toBe(0);
    client.emit('host:updated', localHost());
    client.emit('host:removed', { id: 'local' });
    expect(store.getState().hosts.map((h) => h.docker.state)).toEqual(['daemon-not-running']);
  });
});

describe('hosts store: SSH host actions', () => {
  const REFUSED: AppError = { code: 'ssh-refused', message: 'Nothing listens on gpu-7:22.' };
  const INPUT = { name: 'gpu-7', user: 'ana', hostname: 'gpu-7.lab.example', port: 2222 };

  it('shows a connect in progress once, and does not toast what the card already shows', async () => {
    const reply = deferred<Result<HostSummary>>();
    const client = new FakeClient()
      .succeed('hosts:list', [sshHost()])
      .answer('hosts:connect', () => reply.promise);
    const { store, errors } = setup(client);
    await store.getState().load();
    store.getState().watch();

    const connecting = store.getState().connect('h-gpu-7');
    await store.getState().connect('h-gpu-7');
    expect(store.getState().actions).toEqual({ 'h-gpu-7': { connecting: true } });
    client.emit('host:updated', sshHost({ phase: 'failed', error: REFUSED }));
    reply.resolve({ ok: false, error: REFUSED });
    await connecting;

    expect(client.requests.filter((r) => r.channel === 'hosts:connect')).toHaveLength(1);
    expect(store.getState().actions).toEqual({});
    expect(errors).toEqual([]);
  });

  it('toasts a connect failure the card does not show', async () => {
    const unknown: AppError = { code: 'host-not-found', message: 'No such host.' };
    const client = new FakeClient()
      .succeed('hosts:list', [sshHost()])
      .fail('hosts:connect', unknown);
    const { store, errors } = setup(client);
    await store.getState().load();
    await store.getState().connect('h-gpu-7');
    expect(errors).toEqual([unknown]);
  });

  it('lets Disconnect stop a connect that is still under way', async () => {
    const reply = deferred<Result<HostSummary>>();
    const client = new FakeClient()
      .succeed('hosts:list', [sshHost()])
      .answer('hosts:connect', () => reply.promise)
      .succeed('hosts:disconnect', sshHost());
    const { store } = setup(client);
    await store.getState().load();
    const connecting = store.getState().connect('h-gpu-7');
    await store.getState().disconnect('h-gpu-7');
    expect(store.getState().actions).toEqual({ 'h-gpu-7': { connecting: true } });
    reply.resolve({ ok: true, value: sshHost() });
    await connecting;
    expect(client.requests.map((r) => r.channel)).toContain('hosts:disconnect');
  });

  it('adds, updates and removes hosts, returning failures for the form to place', async () => {
    const taken: AppError = {
      code: 'host-name-taken',
      message: 'name: a host named "gpu-7" already exists.',
    };
    const client = new FakeClient()
      .succeed('hosts:list', [localHost()])
      .succeed('hosts:add', sshHost())
      .succeed('hosts:remove', {});
    const { store, errors } = setup(client);
    await store.getState().load();

    expect((await store.getState().add(INPUT)).ok).toBe(true);
    expect(store.getState().hosts.map((h) => h.name)).toEqual(['This computer', 'gpu-7']);

    client.fail('hosts:update', taken);
    expect(await store.getState().update('h-gpu-7', INPUT)).toEqual({ ok: false, error: taken });
    expect(client.requests.at(-1)).toEqual({
      channel: 'hosts:update',
      input: { hostId: 'h-gpu-7', host: INPUT },
    });

    expect((await store.getState().remove('h-gpu-7')).ok).toBe(true);
    expect(store.getState().hosts.map((h) => h.name)).toEqual(['This computer']);
    expect(errors).toEqual([]);
  });

  it('adds the hosts an import reports', async () => {
    const report = {
      added: [sshHost()],
      skipped: [{ host: 'old-box', reason: 'uses ProxyCommand' }],
      warnings: [{ host: 'gpu-7', reason: 'CertificateFile is ignored' }],
    };
    const client = new FakeClient()
      .succeed('hosts:list', [localHost()])
      .succeed('hosts:import-ssh-config', report);
    const { store } = setup(client);
    await store.getState().load();
    expect(await store.getState().importSshConfig()).toEqual({ ok: true, value: report });
    expect(store.getState().hosts.map((h) => h.id)).toEqual(['local', 'h-gpu-7']);
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
