import { onTestFinished } from 'vitest';
import type { AppError } from '../../../../common/contract/result';
import { createDotfilesStore } from '../../../../renderer/src/features/dotfiles/dotfiles-store';
import { createHostsStore } from '../../../../renderer/src/features/hosts/hosts-store';
import { FakeClient } from '../../fake-client';
import { localHost, sshHost } from '../../host-fixtures';
import { context, document, summary } from './dotfile-fixtures';

/** The `dotfiles` store's tests' setup: a fake client, the real hosts store, a memory. */

export const CONNECTED = { phase: 'connected', since: '2025-03-04T10:20:30Z' } as const;

/** Lets the answers already given land. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The conflict the agent answers a save with when someone changed the file meanwhile. */
export const CONFLICT: AppError = {
  code: 'dotfile-conflict',
  message: '~/.bashrc was changed by bob at 2026-12-02 14:03 UTC since you opened it.',
  hint: 'Reload the file to see the other version, then save again (your text is kept).',
};

/** A localStorage stand-in whose items the test reads. */
export function memory(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    items,
  };
}

/** A client on "This computer" and gpu-7 where Ada has `~/.bashrc` at revision 3. */
export function client(): FakeClient {
  return new FakeClient()
    .succeed('hosts:list', [localHost(), sshHost(CONNECTED)])
    .succeed('dotfiles:context', context())
    .succeed('dotfiles:list', { files: [summary()] })
    .succeed('dotfiles:read', document());
}

/** A `dotfiles` store watching the hosts `fake` lists, stopped when the test ends. */
export async function setup(fake: FakeClient, kept = memory()) {
  const hosts = createHostsStore({ client: fake, showError: () => undefined });
  hosts.getState().watch();
  const store = createDotfilesStore({ client: fake, hosts, memory: kept });
  onTestFinished(store.getState().watch());
  await hosts.getState().load();
  await settle();
  return { store, kept };
}

/** The inputs of every request sent on `channel`, in order. */
export const sent = (fake: FakeClient, channel: string): unknown[] =>
  fake.requests.filter((r) => r.channel === channel).map((r) => r.input);
