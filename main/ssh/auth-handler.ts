import type {
  AnyAuthMethod,
  AuthenticationType,
  AuthHandlerMiddleware,
  NextAuthHandler,
} from 'ssh2';
import { AppFailure } from '../../common/contract/result';
import type { PromptBroker } from '../../common/ssh/prompts';
import type { SecretStore } from '../secrets/secret-store';
import { defaultIdentityFiles, loadPrivateKey } from './private-keys';
import type { SshEndpoint } from './ssh-endpoint';

/** OpenSSH's NumberOfPasswordPrompts: how often a wrong password or passphrase may be retyped. */
const MAX_SECRET_ATTEMPTS = 3;

/** Where a remembered secret for an endpoint or key is kept in the SecretStore. */
export const secretKeys = {
  password: (e: Pick<SshEndpoint, 'user' | 'host' | 'port'>) =>
    `ssh-password:${e.user}@${e.host}:${e.port}`,
  passphrase: (keyPath: string) => `ssh-passphrase:${keyPath}`,
};

/** What an authentication run needs: who to be, where to ask, where remembered secrets live. */
export interface AuthContext {
  readonly endpoint: SshEndpoint;
  readonly prompt: PromptBroker;
  readonly secrets: SecretStore;
  /** `SSH_AUTH_SOCK` of the user, when an ssh-agent runs. */
  readonly agentSocket: string | undefined;
  /** The user's home: OpenSSH's default keys are in its `.ssh`. */
  readonly userHome: string;
}

/**
 * Authentication in OpenSSH's order — ssh-agent, key files (asking for passphrases), then
 * keyboard-interactive (2FA) and password — offering only what the server still accepts.
 * Secrets the user asked to remember are saved by {@link AuthRun.commit} once the login
 * succeeded, never before; a wrong remembered secret is forgotten and asked for again.
 */
export class AuthRun {
  /** Set when the user cancelled a prompt: the connection fails and is not retried. */
  cancelled = false;
  private readonly toRemember = new Map<string, string>();
  private readonly steps: AsyncGenerator<
    AnyAuthMethod | undefined,
    void,
    AuthenticationType[] | null
  >;
  private passwordAttempts = 0;

  constructor(private readonly context: AuthContext) {
    this.steps = this.plan();
  }

  /**
   * The ssh2 `authHandler`. When a question is withdrawn (its prompt rejects) it answers `false`;
   * the caller drops that once the attempt has ended.
   */
  readonly handler: AuthHandlerMiddleware = (methodsLeft, _partial, next: NextAuthHandler) => {
    void this.nextMethod(methodsLeft).then(
      (method) => next(method ?? (false as never)),
      () => next(false as never),
    );
  };

  /** Saves the secrets the user asked to remember; call after the connection is ready. */
  async commit(): Promise<void> {
    for (const [key, value] of this.toRemember) await this.context.secrets.set(key, value);
  }

  private async nextMethod(
    methodsLeft: AuthenticationType[] | null,
  ): Promise<AnyAuthMethod | undefined> {
    for (;;) {
      const step = await this.steps.next(methodsLeft);
      if (step.done) return undefined;
      if (step.value) return step.value;
    }
  }

  private async *plan(): AsyncGenerator<
    AnyAuthMethod | undefined,
    void,
    AuthenticationType[] | null
  > {
    const { endpoint, agentSocket } = this.context;
    const username = endpoint.user;
    let left: AuthenticationType[] | null = yield undefined;
    const allows = (method: AuthenticationType): boolean => left === null || left.includes(method);
    if (agentSocket && !endpoint.identitiesOnly && allows('publickey')) {
      left = yield { type: 'agent', username, agent: agentSocket };
    }
    const files =
      endpoint.identityFiles.length > 0
        ? endpoint.identityFiles
        : defaultIdentityFiles(this.context.userHome);
    for (const path of files) {
      if (!allows('publickey')) break;
      const key = await this.unlockKey(path);
      if (this.cancelled) return;
      if (key) left = yield { type: 'publickey', username, key };
    }
    if (allows('keyboard-interactive')) {
      left = yield {
        type: 'keyboard-interactive',
        username,
        prompt: (name, instructions, _lang, prompts, finish) => {
          // A rejected question means the attempt ended: its failure is reported there.
          this.answerKeyboardInteractive(name, instructions, prompts).then(finish, () => {});
        },
      };
    }
    while (!this.cancelled && allows('password') && this.passwordAttempts < MAX_SECRET_ATTEMPTS) {
      const password = await this.askPassword();
      if (password === undefined) return;
      left = yield { type: 'password', username, password };
    }
  }

  private async unlockKey(path: string) {
    const first = await loadPrivateKey(path);
    if (first.status === 'ready') return first.key;
    if (first.status !== 'needs-passphrase') return undefined;
    const secretKey = secretKeys.passphrase(path);
    const stored = await this.context.secrets.get(secretKey);
    if (stored !== undefined) {
      const unlocked = await loadPrivateKey(path, stored);
      if (unlocked.status === 'ready') return unlocked.key;
      await this.context.secrets.delete(secretKey);
    }
    for (let attempt = 0; attempt < MAX_SECRET_ATTEMPTS; attempt++) {
      const answer = await this.context.prompt({
        kind: 'passphrase',
        host: this.context.endpoint.host,
        keyPath: path,
        retry: attempt > 0,
      });
      if (answer.kind !== 'secret') {
        this.cancelled = answer.kind === 'cancelled';
        return undefined;
      }
      const unlocked = await loadPrivateKey(path, answer.secret);
      if (unlocked.status === 'ready') {
        if (answer.remember) this.toRemember.set(secretKey, answer.secret);
        return unlocked.key;
      }
    }
    return undefined;
  }

  private async askPassword(): Promise<string | undefined> {
    const secretKey = secretKeys.password(this.context.endpoint);
    const retry = this.passwordAttempts > 0;
    this.passwordAttempts += 1;
    if (!retry) {
      const stored = await this.context.secrets.get(secretKey);
      if (stored !== undefined) return stored;
    } else {
      await this.context.secrets.delete(secretKey);
    }
    const { host, user } = this.context.endpoint;
    const answer = await this.context.prompt({ kind: 'password', host, user, retry });
    if (answer.kind !== 'secret') {
      this.cancelled = answer.kind === 'cancelled';
      return undefined;
    }
    if (answer.remember) this.toRemember.set(secretKey, answer.secret);
    return answer.secret;
  }

  private async answerKeyboardInteractive(
    name: string,
    instructions: string,
    prompts: { prompt: string; echo?: boolean }[],
  ): Promise<string[]> {
    if (prompts.length === 0) return [];
    const { host, user } = this.context.endpoint;
    const answer = await this.context.prompt({
      kind: 'keyboard-interactive',
      host,
      user,
      name,
      instructions,
      prompts: prompts.map((p) => ({ prompt: p.prompt, echo: p.echo ?? false })),
    });
    if (answer.kind === 'responses') return answer.responses;
    // One (empty) reply per prompt: a short reply list makes OpenSSH wait, not fail.
    this.cancelled = true;
    return prompts.map(() => '');
  }
}

/** The error for a login the server refused after every method LabDeck could offer. */
export function authenticationFailed(endpoint: SshEndpoint, cancelled: boolean): AppFailure {
  return cancelled
    ? new AppFailure({
        code: 'ssh-auth-cancelled',
        message: `Login to ${endpoint.host} was cancelled.`,
      })
    : new AppFailure({
        code: 'ssh-auth-failed',
        message: `${endpoint.host} refused every login LabDeck offered for ${endpoint.user} (ssh-agent, key files, password, keyboard-interactive).`,
        hint: `Check the user name and key, e.g. with \`ssh -v ${endpoint.user}@${endpoint.host}\`. LabDeck does not retry by itself after a refused login.`,
      });
}
