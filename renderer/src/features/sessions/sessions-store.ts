import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Client } from '../../../../common/contract/client';
import type { RequestOutput } from '../../../../common/contract/contract';
import type { AppError, Result } from '../../../../common/contract/result';
import type {
  Session,
  SessionPreview,
  SessionStartInput,
  StartedSession,
} from '../../../../common/contract/sessions';
import type { StreamControl, StreamSink } from '../../../../common/contract/transport';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { openPendingTab } from './open-service';
import { hostIdOf, sessionKey, type GpuIndexes } from './session-format';

/** How often the list is asked for again while the page is visible: Docker has no push here. */
export const SESSIONS_POLL_MS = 5_000;

/** What the `sessions` store needs from the rest of the window. */
export interface SessionsStoreDeps {
  readonly client: Client;
  readonly showError: (error: AppError) => void;
  /** The hosts as the hosts store knows them, to name a session's host by its id. */
  readonly hosts: () => readonly HostSummary[];
}

/** A request under way for one session; its buttons show it and do not send it twice. */
export type SessionAction = 'stopping' | 'restarting' | 'removing';

/** An image a host has, for the form. */
export type SessionImage = RequestOutput<'sessions:images'>[number];

/** Every connected host's sessions, the requests under way for them, and their GPUs' indexes. */
export interface SessionsState {
  readonly sessions: readonly Session[];
  /** Connected hosts whose sessions could not be listed, and why. */
  readonly unreachable: RequestOutput<'sessions:list'>['unreachable'];
  /** `loading` only covers the first list; later polls replace it in place. */
  readonly status: 'idle' | 'loading' | 'loaded' | 'failed';
  readonly error: AppError | null;
  /** By host name: GPU UUID → index, learnt from `sessions:preview`. */
  readonly gpuIndexes: Readonly<Record<string, GpuIndexes>>;
  /** By {@link sessionKey}. */
  readonly actions: Readonly<Record<string, SessionAction>>;
  /** Services an Open is waiting for, by `sessionKey + NUL + service name`. */
  readonly waiting: Readonly<Record<string, true>>;
  /** Lists the sessions of "This computer" and every connected host. */
  load(): Promise<void>;
  /** Reloads every {@link SESSIONS_POLL_MS} while the document is visible; returns the stop. */
  poll(): () => void;
  stop(session: Session): Promise<void>;
  restart(session: Session): Promise<void>;
  /** Removes a session; the confirming dialog shows a failure itself. */
  remove(session: Session): Promise<Result<unknown>>;
  /** Open: forwards the http service, waits until it answers, then shows it in a browser tab. */
  open(session: Session, service: string): Promise<void>;
  /** Starts a session with its ports forwarded; the form shows a failure next to its fields. */
  start(input: SessionStartInput): Promise<Result<StartedSession>>;
  /** What `gpus` would get on a host; also learns its GPUs' indexes. */
  preview(hostId: string, gpus: string): Promise<Result<SessionPreview>>;
  images(hostId: string): Promise<Result<readonly SessionImage[]>>;
  /** Opens the session's output stream (`sessions:logs`, following) into `sink`. */
  openLogs(session: Session, sink: StreamSink): StreamControl;
  /** Opens a pull of `image` onto a host (`sessions:pull`, JSON lines of progress) into `sink`. */
  openPull(hostId: string, image: string, sink: StreamSink): StreamControl;
}

/** The `sessions` store's instance type. */
export type SessionsStore = StoreApi<SessionsState>;

/** The key of one service of one session in {@link SessionsState.waiting}. */
export function waitKey(session: Session, service: string): string {
  return `${sessionKey(session)}\u0000${service}`;
}

/** Creates the `sessions` store. */
export function createSessionsStore({
  client,
  showError,
  hosts,
}: SessionsStoreDeps): SessionsStore {
  const ref = (session: Session) => ({ session: session.id, hostId: hostIdOf(session, hosts()) });
  const hostName = (hostId: string): string => hosts().find((h) => h.id === hostId)?.name ?? hostId;

  const learn = (name: string, preview: SessionPreview): void => {
    const indexes = Object.fromEntries(preview.gpus.map((gpu) => [gpu.uuid, gpu.index]));
    store.setState((s) => ({ gpuIndexes: { ...s.gpuIndexes, [name]: indexes } }));
  };

  /** GPUs whose index was asked for already (`host NUL uuid`): each is asked for once. */
  const asked = new Set<string>();
  /** Asks for the indexes of GPUs the list names but the store has not seen. */
  const learnMissing = (sessions: readonly Session[]): void => {
    const known = store.getState().gpuIndexes;
    const unknown = new Set<string>();
    for (const session of sessions)
      for (const uuid of Object.keys(session.gpuShares)) {
        const key = `${session.host}\u0000${uuid}`;
        if (known[session.host]?.[uuid] !== undefined || asked.has(key)) continue;
        asked.add(key);
        unknown.add(hostIdOf(session, hosts()));
      }
    for (const hostId of unknown) void store.getState().preview(hostId, '0');
  };

  const act = async (
    session: Session,
    action: SessionAction,
    run: () => Promise<Result<unknown>>,
  ) => {
    const key = sessionKey(session);
    if (store.getState().actions[key]) return null;
    store.setState((s) => ({ actions: { ...s.actions, [key]: action } }));
    try {
      return await run();
    } finally {
      store.setState((s) => {
        const { [key]: _done, ...actions } = s.actions;
        return { actions };
      });
      void store.getState().load();
    }
  };

  /** Which load is the newest: a slow reply from before an action must not undo its result. */
  let loads = 0;

  const store = createStore<SessionsState>()((set, get) => ({
    sessions: [],
    unreachable: [],
    status: 'idle',
    error: null,
    gpuIndexes: {},
    actions: {},
    waiting: {},

    load: async () => {
      if (get().status === 'idle') set({ status: 'loading' });
      const load = ++loads;
      const result = await client.request('sessions:list', {});
      if (load !== loads) return;
      if (!result.ok) {
        set({ status: 'failed', error: result.error });
        return;
      }
      const { sessions, unreachable } = result.value;
      set({ sessions, unreachable, status: 'loaded', error: null });
      learnMissing(sessions);
    },

    poll: () => {
      const tick = (): void => {
        if (document.visibilityState === 'visible') void get().load();
      };
      tick();
      const timer = setInterval(tick, SESSIONS_POLL_MS);
      document.addEventListener('visibilitychange', tick);
      return () => {
        clearInterval(timer);
        document.removeEventListener('visibilitychange', tick);
      };
    },

    stop: async (session) => {
      const result = await act(session, 'stopping', () =>
        client.request('sessions:stop', ref(session)),
      );
      if (result && !result.ok) showError(result.error);
    },

    restart: async (session) => {
      const result = await act(session, 'restarting', () =>
        client.request('sessions:restart', ref(session)),
      );
      if (result && !result.ok) showError(result.error);
    },

    remove: async (session) => {
      const result = await act(session, 'removing', () =>
        client.request('sessions:remove', ref(session)),
      );
      return result ?? { ok: true, value: {} };
    },

    open: async (session, service) => {
      const key = waitKey(session, service);
      if (get().waiting[key]) return;
      // Before any await: the tab must open inside the click (open-service.ts).
      const tab = openPendingTab();
      set((s) => ({ waiting: { ...s.waiting, [key]: true } }));
      const result = await client.request('sessions:wait-service', {
        ...ref(session),
        name: service,
      });
      set((s) => {
        const { [key]: _done, ...waiting } = s.waiting;
        return { waiting };
      });
      if (result.ok) tab.go(result.value.localUrl);
      else {
        tab.cancel();
        showError(result.error);
      }
      void get().load();
    },

    start: async (input) => {
      const result = await client.request('sessions:start', { ...input, forward: true });
      // Also after a failure: one late in the start (a forward) leaves a session to be seen.
      await get().load();
      return result;
    },

    preview: async (hostId, gpus) => {
      const result = await client.request('sessions:preview', { hostId, gpus });
      if (result.ok) learn(hostName(hostId), result.value);
      return result;
    },

    images: (hostId) => client.request('sessions:images', { hostId }),

    openLogs: (session, sink) =>
      client.openStream('sessions:logs', { ...ref(session), follow: true }, sink),

    openPull: (hostId, image, sink) => client.openStream('sessions:pull', { hostId, image }, sink),
  }));
  return store;
}
