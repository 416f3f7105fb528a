import packageJson from '../package.json';
import type { AppInfo, RunMode } from '../common/app/app-info';
import { Dispatcher } from './bridge/dispatcher';
import { EventHub } from './bridge/event-hub';
import type { RequestHandlers, StreamHandlers } from './bridge/handlers';
import { LoopbackStream } from './diag/loopback-stream';
import { HostsService } from './hosts/hosts-service';
import type { SecretStore } from './secrets/secret-store';
import { SettingsStore } from './settings/settings-store';

/** What the program hosting the services (Electron, browser mode, CLI) provides. */
export interface ServicesOptions {
  readonly home: string;
  readonly mode: RunMode;
  readonly secrets: SecretStore;
  readonly env?: NodeJS.ProcessEnv;
}

/** The running services: one dispatcher and event hub shared by every connected client. */
export interface Services {
  readonly dispatcher: Dispatcher;
  readonly events: EventHub;
  readonly settings: SettingsStore;
  dispose(): Promise<void>;
}

/**
 * Builds LabDeck's services. This is the one place that maps each request of the contract to
 * its handler; the compiler checks that none is missing.
 */
export function createServices(options: ServicesOptions): Services {
  const env = options.env ?? process.env;
  const events = new EventHub();
  const settings = new SettingsStore(options.home, (notice) =>
    events.emit('app:notice-raised', notice),
  );
  const hosts = new HostsService(events, env);

  const handlers: RequestHandlers = {
    'app:get-info': async (): Promise<AppInfo> => ({
      version: packageJson.version,
      mode: options.mode,
      platform: process.platform,
      home: options.home,
      secretsPersistent: options.secrets.persistent,
      notices: (await settings.read()).notices,
    }),
    'app:ping': () => ({}),
    'app:dismiss-notice': async ({ id }) => {
      await settings.update((s) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) }));
      return {};
    },
    'hosts:list': () => hosts.list(),
    'hosts:refresh': ({ id }) => hosts.refresh(id),
  };

  const streams: StreamHandlers = {
    'diag:loopback': async ({ generateBytes }) => new LoopbackStream(generateBytes),
  };

  return {
    dispatcher: new Dispatcher(handlers, streams),
    events,
    settings,
    dispose: async () => {},
  };
}
