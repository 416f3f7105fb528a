import packageJson from '../../package.json';
import type { RunMode } from '../../common/app/app-info';
import type { appRequests } from '../../common/contract/app';
import type { HandlerSlice } from '../bridge/handlers';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';

/** What the `app:` handlers read. */
export interface AppHandlerDeps {
  readonly mode: RunMode;
  readonly home: string;
  readonly secrets: SecretStore;
  readonly settings: SettingsStore;
}

/** The `app:` slice of the contract's handlers: who serves the window, and its notices. */
export function appHandlers(deps: AppHandlerDeps): HandlerSlice<keyof typeof appRequests> {
  const { settings } = deps;
  return {
    requests: {
      'app:get-info': async () => ({
        version: packageJson.version,
        mode: deps.mode,
        platform: process.platform,
        home: deps.home,
        secretsPersistent: deps.secrets.persistent,
        notices: (await settings.read()).notices,
      }),
      'app:ping': () => ({}),
      'app:dismiss-notice': async ({ id }) => {
        await settings.update((s) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) }));
        return {};
      },
    },
  };
}
