import { parseAgentFailure, withoutAgentFailure } from '../../common/agent/agent-failure';
import { AppFailure } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import {
  hostSetupReportSchema,
  type HostSetupReport,
  type HostSetupRequest,
} from '../../common/host-setup/setup-report';
import type { PromptBroker } from '../../common/ssh/prompts';
import type { ExecResult } from '../ssh/remote-exec';
import type { Host } from '../hosts/host';

/**
 * sudo's messages in the C locale: LabDeck tells "a password is required" and "incorrect
 * password" apart by their English words (a German host says "Ein Passwort ist notwendig").
 */
const C_LOCALE = ['env', 'LC_ALL=C', 'LANGUAGE='];

/** Setup copies the agent (and maybe a 100 MB Node) and runs visudo: generous for slow disks. */
const SETUP_TIMEOUT_MS = 5 * 60_000;
/** sudo itself allows three tries; so does LabDeck before it gives up. */
const SUDO_PASSWORD_TRIES = 3;
const ROOT_UID = '0';

/** What sudo says when it needs a password it was not given (`-n`), or the one given was wrong. */
const SUDO_NEEDS_PASSWORD = /a password is required/i;
const SUDO_WRONG_PASSWORD = /incorrect password|Sorry, try again/i;
const SUDO_NOT_ALLOWED = /not in the sudoers|is not allowed to run sudo|may not run sudo/i;

function sudoDenied(user: string, hostName: string): AppFailure {
  return new AppFailure({
    code: 'setup-sudo-denied',
    message: `${user} may not use sudo on ${hostName}, and host setup must run as root.`,
    hint: 'Ask an administrator of the host to run `labdeck host setup` (or to give you sudo).',
  });
}

/** The report on stdout, or the failure the setup entry wrote on stderr. */
function reportOf(result: ExecResult, hostName: string): HostSetupReport {
  const failure = parseAgentFailure(result.stderr);
  if (result.code !== 0 || failure !== undefined) {
    if (failure !== undefined) throw new AppFailure(failure);
    throw new AppFailure({
      code: 'setup-failed',
      message: `Host setup on ${hostName} failed (exit ${result.code}): ${withoutAgentFailure(result.stderr).trim() || 'no message'}`,
      hint: 'Run it again with --dry-run to see each step; `labdeck host check` shows what is missing.',
    });
  }
  const lines = result.stdout.toString('utf8').trim().split('\n');
  let json: unknown;
  try {
    json = JSON.parse(lines[lines.length - 1] ?? '');
  } catch {
    json = undefined;
  }
  const parsed = hostSetupReportSchema.safeParse(json);
  if (!parsed.success)
    throw new AppFailure({
      code: 'setup-report-invalid',
      message: `Host setup on ${hostName} answered something LabDeck cannot read${parsed.error ? ` (${describeIssues(parsed.error)})` : ''}.`,
      hint: "Connect again so the host runs this LabDeck's agent, then run setup again.",
    });
  return parsed.data;
}

/** How to run setup as root on one host, and how to ask for the sudo password. */
export interface HostSetupRun {
  readonly host: Host;
  /** The host as the user calls it, for messages and the password question. */
  readonly hostName: string;
  readonly ask: PromptBroker;
  readonly signal?: AbortSignal;
}

/**
 * Runs host setup (issue 11) on `host` as root: the agent's `setup` entry, directly when LabDeck
 * logs in as root, else through `sudo -n`, and when sudo wants a password, through `sudo -S` with
 * the password the user types now (asked through the prompt flow, written to sudo's stdin once,
 * never kept). No shell string: every word is an argv element, the request one JSON argument.
 */
export async function runHostSetup(
  run: HostSetupRun,
  request: HostSetupRequest,
): Promise<HostSetupReport> {
  const { host, hostName } = run;
  const command = [...(await host.agentCommand()), 'setup', '--request', JSON.stringify(request)];
  const options = { timeoutMs: SETUP_TIMEOUT_MS };
  const uid = (await host.exec(['id', '-u'])).stdout.toString('utf8').trim();
  if (uid === ROOT_UID) return reportOf(await host.exec(command, options), hostName);

  const user = await host.user();
  const direct = await host.exec([...C_LOCALE, 'sudo', '-n', '--', ...command], options);
  if (!SUDO_NEEDS_PASSWORD.test(direct.stderr)) {
    if (direct.code !== 0 && SUDO_NOT_ALLOWED.test(direct.stderr)) throw sudoDenied(user, hostName);
    return reportOf(direct, hostName);
  }
  for (let attempt = 0; attempt < SUDO_PASSWORD_TRIES; attempt += 1) {
    const answer = await run.ask(
      { kind: 'sudo-password', host: hostName, user, retry: attempt > 0 },
      { signal: run.signal },
    );
    if (answer.kind !== 'secret')
      throw new AppFailure({
        code: 'setup-cancelled',
        message: `Host setup on ${hostName} was cancelled; nothing was changed.`,
      });
    // -p '': no prompt text on stderr; -S: the password is the first line of stdin.
    const result = await host.exec([...C_LOCALE, 'sudo', '-S', '-p', '', '--', ...command], {
      ...options,
      stdin: `${answer.secret}\n`,
    });
    if (SUDO_NOT_ALLOWED.test(result.stderr)) throw sudoDenied(user, hostName);
    if (result.code !== 0 && SUDO_WRONG_PASSWORD.test(result.stderr)) continue;
    return reportOf(result, hostName);
  }
  throw new AppFailure({
    code: 'setup-sudo-password-wrong',
    message: `sudo on ${hostName} refused the password ${SUDO_PASSWORD_TRIES} times; nothing was changed.`,
    hint: `Check ${user}'s password on the host (the login password, not LabDeck's), then run setup again.`,
  });
}
