import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../../common/contract/result';
import type { DoctorReport } from '../../../../common/hosts/doctor-report';
import { createHostsStore } from '../../../../renderer/src/features/hosts/hosts-store';
import { FakeClient } from '../../fake-client';
import { sshHost } from '../../host-fixtures';

const VERIFIED = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';
const CHANGED: AppError = {
  code: 'host-key-changed',
  message: 'The host key of gpu-7.lab.example has CHANGED.',
};

function setup(client: FakeClient) {
  const errors: AppError[] = [];
  const store = createHostsStore({ client, showError: (e) => errors.push(e) });
  return { store, errors };
}

/** Lets the connect that a successful key replacement starts (unawaited) run to its end. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('hosts store: a changed key the user verified', () => {
  it('records the verified fingerprint, then connects again', async () => {
    const client = new FakeClient()
      .succeed('hosts:list', [sshHost({ phase: 'failed', error: CHANGED })])
      .succeed('hosts:replace-host-key', { fingerprint: VERIFIED })
      .succeed('hosts:connect', sshHost({ phase: 'connected', since: '2025-03-04T10:20:30Z' }));
    const { store, errors } = setup(client);
    await store.getState().load();

    const result = await store.getState().replaceHostKey('h-gpu-7', VERIFIED);
    await settle();

    expect(result).toEqual({ ok: true, value: { fingerprint: VERIFIED } });
    expect(client.requests.slice(1)).toEqual([
      { channel: 'hosts:replace-host-key', input: { hostId: 'h-gpu-7', fingerprint: VERIFIED } },
      { channel: 'hosts:connect', input: { hostId: 'h-gpu-7' } },
    ]);
    expect(store.getState().hosts[0]?.connection.phase).toBe('connected');
    expect(errors).toEqual([]);
  });

  it('returns a refusal for the dialog to show, and does not connect', async () => {
    const mismatch: AppError = {
      code: 'host-key-fingerprint-mismatch',
      message: 'gpu-7 presents another key. Nothing was changed.',
      hint: 'Compare again with the administrator.',
    };
    const client = new FakeClient()
      .succeed('hosts:list', [sshHost({ phase: 'failed', error: CHANGED })])
      .fail('hosts:replace-host-key', mismatch);
    const { store, errors } = setup(client);
    await store.getState().load();

    expect(await store.getState().replaceHostKey('h-gpu-7', VERIFIED)).toEqual({
      ok: false,
      error: mismatch,
    });
    await settle();
    expect(client.requests.map((r) => r.channel)).toEqual(['hosts:list', 'hosts:replace-host-key']);
    expect(errors).toEqual([]);
  });
});

describe('hosts store: the Doctor check', () => {
  it('asks the services to check the host and hands back their report unchanged', async () => {
    const report: DoctorReport = {
      host: 'gpu-7',
      steps: [{ step: 'tcp', title: 'TCP connection', status: 'pass', detail: 'ok', ms: 3 }],
    };
    const client = new FakeClient().succeed('hosts:check', report);
    const { store } = setup(client);
    expect(await store.getState().check('h-gpu-7')).toEqual({ ok: true, value: report });
    expect(client.requests).toEqual([{ channel: 'hosts:check', input: { hostId: 'h-gpu-7' } }]);
  });
});
