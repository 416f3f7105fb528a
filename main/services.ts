import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import packageJson from '../package.json';
import type { RunMode } from '../common/app/app-info';
import type { RequestOutput } from '../common/contract/contract';
import { AppFailure } from '../common/contract/result';
import type { PromptBroker } from '../common/ssh/prompts';
import {
  defaultAgentBundlePath,
  loadAgentBundle,
  type AgentBundle,
} from './agent/agent-bundle-file';
import { defaultRuntimesDir } from './agent/node-runtime';
import { appHandlers } from './app/app-handlers';
import { Dispatcher } from './bridge/dispatcher';
import { EventHub } from './bridge/event-hub';
import type { Handlers } from './bridge/handlers';
import { diagHandlers } from './diag/diag-handlers';
import { dotfileHandlers } from './dotfiles/dotfile-handlers';
import { folderHandlers } from './folders/folder-handlers';
import { gpuHandlers } from './gpus/gpu-handlers';
import { hostHandlers } from './hosts/host-handlers';
import { hostSetupHandlers } from './host-setup/host-setup-handlers';
import { HostsService } from './hosts/hosts-service';
import { importSshConfig, previewSshConfigImport } from './hosts/import-ssh-config';
import { PromptCenter } from './hosts/prompt-center';
import { promptHandlers } from './hosts/prompt-handlers';
import { sessionHandlers } from './sessions/session-handlers';
import { SessionsService } from './sessions/sessions-service';
import type { SecretStore } from './secrets/secret-store';
import { terminalHandlers } from './terminals/terminal-handlers';
import { TerminalsService } from './terminals/terminals-service';
import { SettingsStore } from './settings/settings-store';
import {
  fingerprintSha256,
  KnownHostsStore,
  OWN_KNOWN_HOSTS_FILE,
  userKnownHostsFiles,
} from './ssh/known-hosts';

/** What the program hosting the services (Electron, browser mode, CLI) provides. */
export interface ServicesOptions {
  readonly home: string;
  readonly mode: RunMode;
  readonly secrets: SecretStore;
  readonly env?: NodeJS.ProcessEnv;
  /** Asks the user directly (the CLI's terminal); by default questions go to the window. */
  readonly prompt?: PromptBroker;
  /** The built agent; defaults to out/agent/labdeck-agent.cjs next to the running bundle. */
  readonly agentBundlePath?: string;
  /** The Node runtimes LabDeck can push; defaults to resources/node-runtimes beside the build. */
  readonly runtimesDir?: string;
  /** The user's home, for ~/.ssh (known_hosts, keys, config); defaults to the OS's. */
  readonly userHome?: string;
}

/** The running services: one dispatcher and event hub shared by every connected client. */
export interface Services {
  readonly dispatcher: Dispatcher;
  readonly events: EventHub;
  readonly settings: SettingsStore;
  readonly hosts: HostsService;
  readonly sessions: SessionsService;
  readonly terminals: TerminalsService;
  /**
   * Imports the hosts of an ssh_config file the caller names. In-process only (the CLI's
   * `--file`): the bridge's `hosts:import-ssh-config` takes no path, so no window can point the
   * services at an arbitrary file.
   */
  importSshConfigFile(
    path: string,
    names?: readonly string[],
  ): Promise<RequestOutput<'hosts:import-ssh-config'>>;
  /** Lists what {@link importSshConfigFile} would add, adding nothing (the CLI's `--dry-run`). */
  previewSshConfigFile(path: string): Promise<RequestOutput<'hosts:preview-import'>>;
  dispose(): Promise<void>;
}

/**
 * Builds LabDeck's services: their shared parts, then each domain's handler slice
 * (`main/<domain>/<domain>-handlers.ts`) spread into one table the compiler checks is complete.
 */
export function createServices(options: ServicesOptions): Services {
  const env = options.env ?? process.env;
  const userHome = options.userHome ?? homedir();
  const events = new EventHub();
  const settings = new SettingsStore(options.home, (notice) =>
    events.emit('app:notice-raised', notice),
  );
  // A secret store's notice (its file was unreadable) is shown now and kept for later windows.
  options.secrets.onNotice?.((notice) => {
    events.emit('app:notice-raised', notice);
    void settings.addNotice(notice).catch(() => {});
  });
  const prompts = new PromptCenter(events);
  const bundlePath = options.agentBundlePath ?? defaultAgentBundlePath();
  let bundle: Promise<AgentBundle> | undefined;
  const loadBundle = (): Promise<AgentBundle> =>
    (bundle ??= loadAgentBundle(bundlePath).catch((error: unknown) => {
      bundle = undefined;
      throw new AppFailure({
        code: 'agent-bundle-missing',
        message: `LabDeck's agent is not built (${bundlePath}): ${(error as Error).message}`,
        hint: 'Run `npm run build` in the LabDeck folder.',
      });
    }));
  const hostKeys = new KnownHostsStore({
    userFiles: userKnownHostsFiles(userHome),
    ownFile: join(options.home, OWN_KNOWN_HOSTS_FILE),
  });
  const hosts = new HostsService(events, settings, {
    env,
    localAgentBundlePath: bundlePath,
    hostKeys,
    ssh: {
      hostKeys,
      fingerprint: fingerprintSha256,
      prompt: options.prompt ?? prompts.ask,
      secrets: options.secrets,
      agentSocket: env.SSH_AUTH_SOCK,
      userHome,
      bundle: loadBundle,
      runtimesDir: options.runtimesDir ?? defaultRuntimesDir(),
    },
  });

  const userSshConfig = join(userHome, '.ssh', 'config');
  const importOptions = (path: string) => ({
    home: userHome,
    localUser: userInfo().username,
    ...(path === userSshConfig ? { shownAs: '~/.ssh/config' } : {}),
  });
  const importSshConfigFile = (path: string, names?: readonly string[]) =>
    importSshConfig(hosts, path, importOptions(path), names);
  const previewSshConfigFile = (path: string) =>
    previewSshConfigImport(hosts, path, importOptions(path));

  const app = appHandlers({ ...options, settings });
  const host = hostHandlers({
    hosts,
    previewUserSshConfig: () => previewSshConfigFile(userSshConfig),
    importUserSshConfig: (names) => importSshConfigFile(userSshConfig, names),
  });
  const prompt = promptHandlers(prompts);
  const hostSetup = hostSetupHandlers({ hosts, ask: options.prompt ?? prompts.ask });
  const gpu = gpuHandlers({ hosts });
  const diag = diagHandlers();
  const folder = folderHandlers({ hosts });
  const dotfile = dotfileHandlers({ hosts });
  const sessions = new SessionsService(hosts, packageJson.version);
  const session = sessionHandlers(sessions);
  const terminals = new TerminalsService(hosts, sessions, settings);
  const terminal = terminalHandlers(terminals);
  // A host the user disconnects or removes keeps no forward nor terminal link that would bring
  // it back.
  events.on('host:removed', ({ id }) => {
    sessions.closeHost(id);
    terminals.closeHost(id);
  });
  events.on('host:updated', (host) => {
    if (host.connection.phase !== 'idle') return;
    sessions.closeHost(host.id);
    terminals.closeHost(host.id);
  });
  // One line per domain and kind; the annotation makes the compiler refuse a missing handler.
  const handlers: Handlers = {
    requests: {
      ...app.requests,
      ...host.requests,
      ...hostSetup.requests,
      ...prompt.requests,
      ...gpu.requests,
      ...session.requests,
      ...terminal.requests,
      ...folder.requests,
      ...dotfile.requests,
    },
    streams: { ...diag.streams, ...session.streams, ...terminal.streams },
    topics: { ...gpu.topics, ...host.topics, ...terminal.topics, ...folder.topics },
  };

  return {
    dispatcher: new Dispatcher(handlers),
    events,
    settings,
    hosts,
    sessions,
    terminals,
    importSshConfigFile,
    previewSshConfigFile,
    dispose: async () => {
      terminals.dispose();
      sessions.dispose();
      hosts.dispose();
    },
  };
}
