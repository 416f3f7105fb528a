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
import { endpointLabel, type SshEndpoint } from './ssh-endpoint';

/**
 * Keepalive probe interval. ssh2 gives up after (count max + 1) silent intervals since the last
 * data: 4 × 2.5 s, so a stalled link is noticed within 10 s.
 */
export const KEEPALIVE_INTERVAL_MS = 2_500;
/** Unanswered keepalives before the link counts as dead. */
export const KEEPALIVE_COUNT_MAX = 3;
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
}

async function connectOne(
  endpoint: SshEndpoint,
  options: SshConnectOptions,
  sock?: Duplex,
): Promise<Client> {
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
    const config: ConnectConfig = {
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.user,
      ...(sock ? { sock } : {}),
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
        () => resolve(client),
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
        return attempt.fail(authenticationFailed(endpoint, auth.cancelled));
      attempt.fail(unreachable(endpoint, error));
    });
    client.on('close', () => attempt.fail(attempt.closedFailure()));
    attempt.start();
    client.connect(config);
  });
}

function unreachable(
  endpoint: SshEndpoint,
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
    hint: `Check the address and that sshd runs there, e.g. \`ssh -v ${where}\`.`,
  });
}

function forward(via: Client, to: SshEndpoint): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, to.host, to.port, (error, channel) =>
      error ? reject(unreachable(to, error)) : resolve(channel),
    );
  });
}

/**
 * Opens one SSH connection to the target, hop by hop through its ProxyJump chain; every hop's
 * host key is verified before any credential is sent to it. Closing the session closes the
 * whole chain.
 */
export async function openSsh(options: SshConnectOptions): Promise<SshSession> {
  const clients: Client[] = [];
  const closeAll = (): void => {
    for (const c of [...clients].reverse()) c.end();
  };
  // The hop being connected stops itself on abort; the hops already up are closed here.
  options.signal?.addEventListener('abort', closeAll);
  try {
    let previous: Client | undefined;
    for (const endpoint of [...options.jumps, options.target]) {
      options.signal?.throwIfAborted();
      options.onStep?.(`connecting to ${endpointLabel(endpoint)}`);
      const sock = previous ? await forward(previous, endpoint) : undefined;
      previous = await connectOne(endpoint, options, sock);
      clients.push(previous);
    }
  } catch (error) {
    closeAll();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', closeAll);
  }
  const client = clients[clients.length - 1]!;
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  void closed.then(closeAll);
  return { client, closed, close: closeAll };
}
