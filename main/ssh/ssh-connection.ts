import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2, { type Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { AppFailure, toAppError } from '../../common/contract/result';
import type { PromptBroker } from '../../common/ssh/prompts';
import type { SecretStore } from '../secrets/secret-store';
import { AuthRun, authenticationFailed } from './auth-handler';
import {
  ConnectAttempt,
  HANDSHAKE_TIMEOUT_MS,
  PROMPT_TIMEOUT_MS,
  type AttemptLimits,
} from './connect-attempt';
import {
  hostKeyFromBlob,
  preferredHostKeyAlgorithms,
  verifyHostKey,
  type HostKeyStore,
} from './host-key-policy';
import { watchLink, type LinkListener } from './link-watch';
import { endpointLabel, type SshEndpoint } from './ssh-endpoint';
import { codeSpan, sshVerboseCommand } from './ssh-hint-commands';

/**
 * Keepalive probe interval. ssh2 gives up after (count max + 1) silent intervals since the last
 * data: 4 × 2.5 s, so a stalled link is noticed within 10 s.
 */
export const KEEPALIVE_INTERVAL_MS = 2_500;
/** Unanswered keepalives before the link counts as dead. */
export const KEEPALIVE_COUNT_MAX = 3;
/**
 * Silence after which a connection shows as stalled: one keepalive went unanswered for a whole
 * interval (5 s), well before ssh2 gives up on it (10 s). A short freeze shows, then heals.
 */
export const STALLED_AFTER_MS = 2 * KEEPALIVE_INTERVAL_MS;
/** Everything needed to open a connection to a host, through its jump hosts if any. */
export interface SshConnectOptions {
  readonly target: SshEndpoint;
  /** ProxyJump hops, first hop first. */
  readonly jumps: readonly SshEndpoint[];
  readonly hostKeys: HostKeyStore;
  readonly fingerprint: (data: Buffer) => string;
  readonly prompt: PromptBroker;
  readonly secrets: SecretStore;
  readonly agentSocket: string | undefined;
  /** The user's home, for OpenSSH's default keys in `~/.ssh`. */
  readonly userHome: string;
  /** Told each step as it starts, so the window can say what a slow connect waits for. */
  readonly onStep?: (step: string) => void;
  /** Per hop, questions excluded; {@link HANDSHAKE_TIMEOUT_MS} by default. */
  readonly handshakeTimeoutMs?: number;
  /** Per question; {@link PROMPT_TIMEOUT_MS} by default. */
  readonly promptTimeoutMs?: number;
  /**
   * Aborted when the connection is no longer wanted (Disconnect): the attempt under way fails at
   * once with the signal's reason, its questions are withdrawn and its clients closed.
   */
  readonly signal?: AbortSignal;
}

/** An open connection: the target's client plus the jump clients it rides on. */
export interface SshSession {
  readonly client: Client;
  /** Resolves when the target's connection closes, for whatever reason. */
  readonly closed: Promise<void>;
  close(): void;
  /**
   * Calls `listener(true)` while keepalives go unanswered and `listener(false)` once the server
   * answers again; returns the unsubscribe.
   */
  onLink(listener: LinkListener): () => void;
}

/** One logged-in hop: its client and the stream its server's bytes arrive on. */
interface Hop {
  readonly client: Client;
  readonly stream: Duplex;
}

async function connectOne(
  endpoint: SshEndpoint,
  via: readonly SshEndpoint[],
  options: SshConnectOptions,
  forwarded?: Duplex,
): Promise<Hop> {
  const knownTypes = (await options.hostKeys.knownKeyTypes?.(endpoint.host, endpoint.port)) ?? [];
  options.signal?.throwIfAborted();
  const limits: AttemptLimits = {
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
    promptTimeoutMs: options.promptTimeoutMs ?? PROMPT_TIMEOUT_MS,
  };
  const client = new ssh2.Client();
  return new Promise((resolve, reject) => {
    const attempt = new ConnectAttempt(
      endpoint,
      via,
      limits,
      (failure) => {
        client.destroy();
        reject(failure);
      },
      options.signal,
    );
    const prompt = attempt.broker(options.prompt);
    const auth = new AuthRun({
      endpoint,
      prompt,
      secrets: options.secrets,
      agentSocket: options.agentSocket,
      userHome: options.userHome,
    });
    let refusal: AppFailure | undefined;
    // The first hop's TCP socket is opened here rather than by ssh2, so that the link watch
    // can hear the server's bytes on it; ssh2 waits for a socket that is still connecting.
    const sock = forwarded ?? new Socket().connect({ host: endpoint.host, port: endpoint.port });
    const config: ConnectConfig = {
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.user,
      sock,
      readyTimeout: 0, // off: the attempt's own clock stops while a person is asked
      algorithms: { serverHostKey: preferredHostKeyAlgorithms(knownTypes) as never },
      keepaliveInterval: KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      hostVerifier: (blob: Buffer, verify: (valid: boolean) => void) => {
        options.onStep?.(`checking the host key of ${endpoint.host}`);
        verifyHostKey(
          options.hostKeys,
          prompt,
          endpoint.host,
          endpoint.port,
          hostKeyFromBlob(blob),
          options.fingerprint,
        ).then(
          () => {
            if (attempt.ended) return; // verify() on a closed client throws inside ssh2
            options.onStep?.(`logging in to ${endpoint.host} as ${endpoint.user}`);
            verify(true);
          },
          (error: unknown) => {
            if (attempt.ended) return;
            refusal = error instanceof AppFailure ? error : new AppFailure(toAppError(error));
            verify(false);
          },
        );
      },
      authHandler: (methodsLeft, partial, next) =>
        auth.handler(methodsLeft, partial, (method) => {
          if (!attempt.ended) next(method);
        }),
    };
    client.once('ready', () => {
      attempt.succeed();
      auth.commit().then(
        () => resolve({ client, stream: sock }),
        (error: unknown) => {
          client.end();
          reject(error);
        },
      );
    });
    // Kept for the client's life: an 'error' without a listener would end the process. After
    // the login, errors surface as 'close' to the session's owner.
    client.on('error', (error: Error & { level?: string }) => {
      if (refusal) return attempt.fail(refusal);
      if (error.level === 'client-authentication')
        return attempt.fail(authenticationFailed(endpoint, auth.account, via));
      attempt.fail(unreachable(endpoint, via, error));
    });
    // A server that closes after refusing logins (MaxAuthTries) refused them: say so.
    client.on('close', () =>
      attempt.fail(
        !attempt.asking && auth.account.refused.size > 0
          ? authenticationFailed(endpoint, auth.account, via)
          : attempt.closedFailure(),
      ),
    );
    attempt.start();
    client.connect(config);
    // Off Nagle on the TCP hop: SSH's small handshake and RPC packets otherwise wait out the
    // peer's delayed ACK (~40 ms each on Linux), doubling a login. A forwarded sock (a jump
    // channel) has no such option; ssh2 skips it.
    client.setNoDelay(true);
  });
}

function unreachable(
  endpoint: SshEndpoint,
  via: readonly SshEndpoint[],
  error: Error & { code?: string; level?: string },
): AppFailure {
  const where = endpointLabel(endpoint);
  const reason =
    error.code === 'ECONNREFUSED'
      ? 'nothing listens on that port'
      : error.code === 'ENOTFOUND'
        ? 'the name does not resolve'
        : error.message;
  return new AppFailure({
    code: 'ssh-unreachable',
    message: `Cannot reach ${where}: ${reason}.`,
    hint: `Check the address and that sshd runs there, e.g. ${codeSpan(sshVerboseCommand(endpoint, via))}.`,
  });
}

function forward(
  through: Client,
  to: SshEndpoint,
  via: readonly SshEndpoint[],
): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    through.forwardOut('127.0.0.1', 0, to.host, to.port, (error, channel) =>
      error ? reject(unreachable(to, via, error)) : resolve(channel),
    );
  });
}

/**
 * Opens one SSH connection to the target, hop by hop through its ProxyJump chain; every hop's
 * host key is verified before any credential is sent to it. Closing the session closes the
 * whole chain.
 */
export async function openSsh(options: SshConnectOptions): Promise<SshSession> {
  const hops: Hop[] = [];
  const closeAll = (): void => {
    for (const hop of [...hops].reverse()) hop.client.end();
  };
  // The hop being connected stops itself on abort; the hops already up are closed here.
  options.signal?.addEventListener('abort', closeAll);
  try {
    const chain = [...options.jumps, options.target];
    for (const [index, endpoint] of chain.entries()) {
      options.signal?.throwIfAborted();
      options.onStep?.(`connecting to ${endpointLabel(endpoint)}`);
      const via = chain.slice(0, index);
      const previous = hops.at(-1)?.client;
      const sock = previous ? await forward(previous, endpoint, via) : undefined;
      hops.push(await connectOne(endpoint, via, options, sock));
    }
  } catch (error) {
    closeAll();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', closeAll);
  }
  const { client, stream } = hops[hops.length - 1]!;
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  void closed.then(closeAll);
  const onLink = (listener: LinkListener): (() => void) => {
    const stop = watchLink(stream, STALLED_AFTER_MS, listener);
    void closed.then(stop);
    return stop;
  };
  return { client, closed, close: closeAll, onLink };
}
