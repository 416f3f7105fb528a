import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { userInfo } from 'node:os';
import type {
  MethodName,
  MethodParamsInput,
  MethodResult,
} from '../../common/agent/agent-contract';
import { parseAgentFailure, withoutAgentFailure } from '../../common/agent/agent-failure';
import {
  AGENT_MAX_LINE_BYTES,
  AGENT_PROTOCOL_VERSION,
  agentMessageSchema,
  type AgentHello,
  type AgentMessage,
} from '../../common/agent/agent-protocol';
import { encodeLine, LineSplitter, parseLine } from '../../common/agent/line-codec';
import {
  privilegedHelperContract,
  type PrivilegedHelperContract,
} from '../../common/agent/privileged-helper-contract';
import { AppFailure } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import type { InstallRecord } from '../../common/host-setup/install-record';
import { LABDECK_GROUP } from '../../common/host-setup/sudoers-rule';
import { commandLine } from '../../common/shell/shell-quote';

/** Bound on sudo plus the helper's start and hello. */
const HELPER_HELLO_TIMEOUT_MS = 15_000;
/** Bound on one privileged operation (xfs_io -R over a big folder can take a while). */
const HELPER_CALL_TIMEOUT_MS = 120_000;
/** The end of the helper's (and sudo's) stderr kept for error messages. */
const STDERR_TAIL_CHARS = 4096;
/** What sudo prints when the rule does not let this user run the helper without a password. */
const SUDO_DENIED =
  /a password is required|not allowed to (?:execute|run)|not in the sudoers|may not run sudo|a terminal is required/;

/** A connection to the privileged helper, run through `sudo -n`. */
export interface PrivilegedHelper {
  /** The helper's hello: its version and build. */
  readonly hello: AgentHello;
  /** Runs one operation; resolves with its parsed result, or throws the helper's refusal. */
  call<M extends MethodName<PrivilegedHelperContract>>(
    method: M,
    params: MethodParamsInput<PrivilegedHelperContract, M>,
  ): Promise<MethodResult<PrivilegedHelperContract, M>>;
  /** Ends the helper (it exits when its stdin closes). */
  close(): void;
}

/** How to start the helper. */
export interface OpenPrivilegedOptions {
  /** The sudo binary; `/usr/bin/sudo` by default. */
  readonly sudo?: string;
  /** argv run before sudo, e.g. `runuser -u USER --` in tests; none by default. */
  readonly wrapper?: readonly string[];
  /** Who is asking, for the hint when sudo says no; this process's user by default. */
  readonly userName?: string;
  /**
   * Run sudo with this group switched on first (`sg GROUP -c …`): for a process that started
   * before its user joined the group. sudo matches `%labdeck` against the process's own groups,
   * and the user's agent daemon outlives the login it was started from, so it would be refused
   * until it restarts; `sg` lets a member take the group on without a password.
   */
  readonly viaGroup?: string;
}

function sudoDenied(stderr: string, user: string): AppFailure {
  return new AppFailure({
    code: 'privileged-sudo-denied',
    message: `You (${user}) may not run LabDeck's privileged helper on this host: sudo said "${stderr.trim().slice(0, 300)}".`,
    hint: `ask an administrator: sudo usermod -aG ${LABDECK_GROUP} ${user}, then reconnect (or run labdeck host setup HOST)`,
  });
}

/** Why the helper ended before its hello: sudo said no, the helper refused, or it crashed. */
function endedEarly(stderr: string, code: number | null, user: string): AppFailure {
  if (SUDO_DENIED.test(stderr)) return sudoDenied(stderr, user);
  const reported = parseAgentFailure(stderr);
  if (reported !== undefined) return new AppFailure(reported);
  const said = withoutAgentFailure(stderr).trim();
  return new AppFailure({
    code: 'privileged-helper-failed',
    message: `LabDeck's privileged helper exited (status ${code ?? 'killed'}) before answering.${said === '' ? '' : ` It said: ${said}`}`,
    hint: 'Run labdeck host setup HOST again, or ask an admin to read /var/log/labdeck/privileged.log.',
  });
}

/**
 * Starts `sudo -n NODE HELPER --privileged` with exactly the Node and helper the install record
 * names (the words the sudo rule allows), says hello and resolves once the helper answered.
 * Rejects with `privileged-sudo-denied` when sudo will not run it for this user, or with the
 * helper's own refusal (e.g. a copy not root's). For the user's agent and the Doctor's check.
 */
export function openPrivilegedHelper(
  record: InstallRecord,
  options: OpenPrivilegedOptions = {},
): Promise<PrivilegedHelper> {
  const sudo = [options.sudo ?? '/usr/bin/sudo', '-n', record.node, record.helper, '--privileged'];
  // sg runs its command through /bin/sh: the words are quoted, and come from the install record.
  const command =
    options.viaGroup === undefined
      ? sudo
      : ['sg', options.viaGroup, '-c', commandLine(['exec', ...sudo])];
  const argv = [...(options.wrapper ?? []), ...command];
  // C locale: sudo's refusal is recognised by its English words.
  const env = { ...process.env, LC_ALL: 'C' };
  const child = spawn(argv[0] ?? '', argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env });
  return connectHelper(child, options.userName ?? userInfo().username);
}

function connectHelper(
  child: ChildProcessWithoutNullStreams,
  user: string,
): Promise<PrivilegedHelper> {
  let stderr = '';
  let nextId = 1;
  let ended: AppFailure | undefined;
  let hello: ((message: AgentHello) => void) | undefined;
  const pending = new Map<
    number,
    { resolve: (message: AgentMessage) => void; reject: (error: AppFailure) => void }
  >();
  child.stderr.on(
    'data',
    (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS)),
  );
  const splitter = new LineSplitter(AGENT_MAX_LINE_BYTES, {
    line: (text) => {
      const parsed = agentMessageSchema.safeParse(parseLine(text));
      if (!parsed.success) return;
      const message = parsed.data;
      if (message.t === 'hello') hello?.(message);
      else if (message.t === 'res') pending.get(message.id)?.resolve(message);
    },
    overflow: () => undefined,
  });
  child.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
  child.stdin.on('error', () => undefined);
  const exited = new Promise<AppFailure>((resolve) => {
    child.once('error', (error) => resolve(endedEarly(error.message, null, user)));
    child.once('close', (code) => resolve(endedEarly(stderr, code, user)));
  });
  void exited.then((failure) => {
    ended = failure;
    for (const { reject } of pending.values()) reject(failure);
    pending.clear();
  });
  child.stdin.write(
    encodeLine({ t: 'hello', protocol: AGENT_PROTOCOL_VERSION, client: 'labdeck-agent' }),
  );

  const call: PrivilegedHelper['call'] = (method, params) => {
    if (ended !== undefined) return Promise.reject(ended);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(
          new AppFailure({
            code: 'privileged-timeout',
            message: `LabDeck's privileged helper did not answer ${method} within ${HELPER_CALL_TIMEOUT_MS / 1000} s.`,
          }),
        );
      }, HELPER_CALL_TIMEOUT_MS);
      pending.set(id, {
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
        resolve: (message) => {
          clearTimeout(timer);
          pending.delete(id);
          if (message.t !== 'res') return;
          if (!message.result.ok) return reject(new AppFailure(message.result.error));
          const parsed = privilegedHelperContract.methods[method].result.safeParse(
            message.result.value,
          );
          if (parsed.success)
            resolve(parsed.data as MethodResult<PrivilegedHelperContract, typeof method>);
          else
            reject(
              new AppFailure({
                code: 'privileged-bad-response',
                message: `LabDeck's privileged helper answered ${method} with ${describeIssues(parsed.error)}.`,
                hint: 'The helper on this host is from another version: run labdeck host setup HOST again.',
              }),
            );
        },
      });
      child.stdin.write(encodeLine({ t: 'req', id, method, params }));
    });
  };
  const close = (): void => {
    child.stdin.end();
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(
        new AppFailure({
          code: 'privileged-timeout',
          message: `LabDeck's privileged helper did not start within ${HELPER_HELLO_TIMEOUT_MS / 1000} s.`,
        }),
      );
    }, HELPER_HELLO_TIMEOUT_MS);
    hello = (message) => {
      clearTimeout(timer);
      if (message.protocol !== AGENT_PROTOCOL_VERSION) {
        close();
        return reject(
          new AppFailure({
            code: 'privileged-incompatible',
            message: `LabDeck's privileged helper speaks protocol ${message.protocol}; this agent speaks ${AGENT_PROTOCOL_VERSION}.`,
            hint: 'Run labdeck host setup HOST again to install the matching helper.',
          }),
        );
      }
      resolve({ hello: message, call, close });
    };
    void exited.then((failure) => {
      clearTimeout(timer);
      reject(failure);
    });
  });
}
