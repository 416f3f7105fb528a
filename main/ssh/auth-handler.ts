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
import { codeSpan, sshVerboseCommand, type HintEndpoint } from './ssh-hint-commands';

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

/** One way of logging in LabDeck offered, in words ("the key ~/.ssh/id_ed25519"). */
type Offered = string;

/**
 * What a login attempt went through, for the message that says why it failed: the methods the
 * server offers (null until it said), and what LabDeck offered, with how often each was refused.
 */
export interface AuthAccount {
  readonly serverMethods: readonly AuthenticationType[] | null;
  readonly refused: ReadonlyMap<Offered, number>;
  readonly cancelled: boolean;
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
  /** What the server said it accepts, from its last USERAUTH_FAILURE. */
  private serverMethods: AuthenticationType[] | null = null;
  private readonly refused = new Map<Offered, number>();
  /** The method handed to ssh2 last; the next handler call means the server refused it. */
  private lastOffered: Offered | undefined;
  /** Refused passwords and keyboard-interactive answers: the next password prompt says "wrong". */
  private refusedSecrets = 0;
  /** The user answered keyboard-interactive questions since the method was last offered. */
  private kbdAnswered = false;
  /** The file each key method was read from, to name it when it is refused. */
  private readonly keyFiles = new WeakMap<AnyAuthMethod, string>();

  constructor(private readonly context: AuthContext) {
    this.steps = this.plan();
  }

  /**
   * The ssh2 `authHandler`. When a question is withdrawn (its prompt rejects) it answers `false`;
   * the caller drops that once the attempt has ended.
   */
  readonly handler: AuthHandlerMiddleware = (methodsLeft, partial, next: NextAuthHandler) => {
    this.answered(methodsLeft, partial);
    void this.nextMethod(methodsLeft).then(
      (method) => {
        this.lastOffered = method ? describeMethod(method, this.keyFiles.get(method)) : undefined;
        next(method ?? (false as never));
      },
      () => next(false as never),
    );
  };

  /** What happened so far, for {@link authenticationFailed}. */
  get account(): AuthAccount {
    return { serverMethods: this.serverMethods, refused: this.refused, cancelled: this.cancelled };
  }

  /** The server answered the last method: refused it, unless it was a partial success (2FA). */
  private answered(methodsLeft: AuthenticationType[] | null, partial: boolean | null): void {
    if (methodsLeft) this.serverMethods = methodsLeft;
    const last = this.lastOffered;
    this.lastOffered = undefined;
    // Keyboard-interactive is offered before the server said what it takes; it counts as
    // refused only when the user answered something, not when the server never asked.
    const asked = this.kbdAnswered;
    this.kbdAnswered = false;
    if (last === undefined || partial || (last === KEYBOARD_INTERACTIVE && !asked)) return;
    this.refused.set(last, (this.refused.get(last) ?? 0) + 1);
    if (last === PASSWORD || last === KEYBOARD_INTERACTIVE) this.refusedSecrets += 1;
  }

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
      if (!key) continue;
      const method: AnyAuthMethod = { type: 'publickey', username, key };
      this.keyFiles.set(method, path);
      left = yield method;
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
    const first = this.passwordAttempts === 0;
    // "Wrong password" also after refused keyboard-interactive answers: to the user, PAM's
    // "Password:" there and the password prompt here are the same question asked again.
    const retry = this.refusedSecrets > 0;
    this.passwordAttempts += 1;
    if (first && !retry) {
      const stored = await this.context.secrets.get(secretKey);
      if (stored !== undefined) return stored;
    } else if (retry) {
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
    if (answer.kind === 'responses') {
      this.kbdAnswered = true;
      return answer.responses;
    }
    // One (empty) reply per prompt: a short reply list makes OpenSSH wait, not fail.
    this.cancelled = true;
    return prompts.map(() => '');
  }
}

const PASSWORD = 'a password';
const KEYBOARD_INTERACTIVE = 'keyboard-interactive answers';

/** A method handed to ssh2, as a sentence names it. */
function describeMethod(method: AnyAuthMethod, keyFile: string | undefined): Offered {
  switch (method.type) {
    case 'agent':
      return "the ssh-agent's keys";
    case 'publickey':
      return keyFile ? `the key ${keyFile}` : 'a key';
    case 'password':
      return PASSWORD;
    case 'keyboard-interactive':
      return KEYBOARD_INTERACTIVE;
    default:
      return method.type;
  }
}

/** How OpenSSH's method names read in a sentence. */
const METHOD_WORDS: Readonly<Record<string, string>> = {
  publickey: 'keys',
  password: 'passwords',
  'keyboard-interactive': 'keyboard-interactive (password or one-time code)',
  hostbased: 'host-based login',
  'gssapi-with-mic': 'Kerberos (gssapi-with-mic)',
};

/** "a, b and c". */
function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** "the key file and a password (3 times)": what LabDeck offered, with repeats counted. */
function triedText(refused: ReadonlyMap<Offered, number>): string {
  return listWords(
    [...refused].map(([what, times]) => (times > 1 ? `${what} (${times} times)` : what)),
  );
}

/**
 * The error for a login that did not happen: refused after every method LabDeck could offer, or
 * cancelled by the user. Both say what the server offers and what was refused, and name the
 * user name, since a server refuses every key and password of a wrong user alike (OpenSSH does
 * not tell a wrong user name apart, so as not to reveal which accounts exist).
 */
export function authenticationFailed(
  endpoint: HintEndpoint,
  account: AuthAccount,
  via: readonly HintEndpoint[] = [],
): AppFailure {
  const { host, user } = endpoint;
  const command = codeSpan(sshVerboseCommand(endpoint, via));
  const offers = account.serverMethods
    ? ` The server offers ${listWords(account.serverMethods.map((m) => METHOD_WORDS[m] ?? m))}.`
    : '';
  const refused = account.refused.size > 0 ? triedText(account.refused) : undefined;
  const wrongUser = `If ${user} is not your user name on ${host}, that is why: edit the host and correct User. To see the server's answers, run ${command}.`;
  if (account.cancelled) {
    return new AppFailure({
      code: 'ssh-auth-cancelled',
      message: refused
        ? `You cancelled the login to ${host} as ${user}, after it refused ${refused}.`
        : `You cancelled the login to ${host} as ${user}.`,
      hint: refused
        ? wrongUser
        : `Connect again when you can answer. To try the login on its own, run ${command}.`,
    });
  }
  return new AppFailure({
    code: 'ssh-auth-failed',
    message: refused
      ? `${host} refused the login as ${user}: it refused ${refused}.${offers}`
      : `${host} refused the login as ${user}: LabDeck had nothing the server accepts to offer (no ssh-agent key, no readable key file, no password asked).${offers}`,
    hint: `${wrongUser} LabDeck does not retry by itself after a refused login.`,
  });
}
