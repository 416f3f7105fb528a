import { randomBytes } from 'node:crypto';
import type { StreamOpen } from '../../common/agent/stream-header';
import {
  TERMINAL_MAX_COUNT,
  type TerminalAgentTarget,
  type TerminalRecord,
} from '../../common/agent/terminal-agent';
import { AppFailure } from '../../common/contract/result';
import type { ReleaseHold } from '../runtime/idle-exit';
import type { AgentStream } from '../runtime/stream-server';
import { AgentTerminal } from './agent-terminal';
import type { TerminalProcess } from './terminal-process';

/** How long an exited terminal stays listed, so a client that was away learns its exit code. */
export const TERMINAL_EXITED_KEEP_MS = 10 * 60 * 1000;
/** How long closing waits for a hung-up process before it is killed outright. */
export const TERMINAL_CLOSE_GRACE_MS = 3_000;

/** What a new terminal is. */
export interface TerminalOpen {
  readonly target: TerminalAgentTarget;
  readonly title: string;
  readonly cols: number;
  readonly rows: number;
  readonly bufferBytes: number;
}

/** What the broker needs from the daemon. */
export interface TerminalBrokerDeps {
  /** Starts the process for `open` (a host shell, or a shell in a container). */
  start(open: TerminalOpen): Promise<TerminalProcess>;
  /** Keeps the daemon from its idle exit while a terminal's process lives. */
  holdAlive(reason: string): ReleaseHold;
  /** How long exited terminals stay listed. */
  readonly exitedKeepMs?: number;
}

function notFound(id: string): AppFailure {
  return new AppFailure({
    code: 'terminal-not-found',
    message: `There is no terminal ${id} on this host.`,
    hint: 'It ended more than 10 minutes ago, or it was started by another version of LabDeck. `labdeck terminal ls` lists the live ones.',
  });
}

/**
 * The agent's durable terminals, by id: it starts their processes, keeps each alive (and the
 * daemon with it) until the process exits or someone closes it, and serves stream `term:<id>`
 * to any number of clients at once (docs/terminals.md).
 */
export class TerminalBroker {
  private readonly terminals = new Map<string, AgentTerminal>();
  /** Opens whose process is still starting: they count against the cap too. */
  private starting = 0;

  constructor(private readonly deps: TerminalBrokerDeps) {}

  /** Starts a terminal; it runs until its process exits or {@link close}. */
  async open(open: TerminalOpen): Promise<TerminalRecord> {
    this.makeRoom();
    this.starting += 1;
    let process: TerminalProcess;
    try {
      process = await this.deps.start(open);
    } finally {
      this.starting -= 1;
    }
    const id = randomBytes(6).toString('hex');
    const terminal = new AgentTerminal({ id, ...open, process });
    this.terminals.set(id, terminal);
    const release = this.deps.holdAlive(`terminal ${id}`);
    void terminal.done.then(() => {
      release();
      setTimeout(() => {
        if (this.terminals.get(id) === terminal) this.terminals.delete(id);
      }, this.deps.exitedKeepMs ?? TERMINAL_EXITED_KEEP_MS).unref();
    });
    return terminal.record();
  }

  /** Every terminal, live and recently exited, oldest first. */
  list(): TerminalRecord[] {
    return [...this.terminals.values()].map((terminal) => terminal.record());
  }

  /** Hangs up terminal `id` and forgets it once its process is gone. */
  async close(id: string): Promise<boolean> {
    const terminal = this.terminals.get(id);
    if (terminal === undefined) return false;
    await terminal.close(TERMINAL_CLOSE_GRACE_MS);
    this.terminals.delete(id);
    return true;
  }

  /** Sets terminal `id`'s size. */
  async resize(id: string, cols: number, rows: number): Promise<void> {
    await this.find(id).resize(cols, rows);
  }

  /** Stream `term:<id>`: replay from `open.from`, then live output; keystrokes both ways. */
  stream(id: string, open: StreamOpen): AgentStream {
    const terminal = this.find(id);
    if (open.cols !== undefined && open.rows !== undefined) {
      // The newest client's size wins; a failure leaves the old size, never the attach.
      terminal.resize(open.cols, open.rows).catch(() => undefined);
    }
    const { client, offset, replayBytes, droppedBytes } = terminal.attach(open.from);
    return {
      replayBytes,
      offset,
      droppedBytes,
      output: client,
      input: client.keystrokes,
      exitCode: () => terminal.code,
      close: () => terminal.detach(client),
    };
  }

  /** Hangs up every terminal and waits for them: the daemon is shutting down. */
  async closeAll(): Promise<void> {
    await Promise.all(
      [...this.terminals.values()].map((terminal) => terminal.close(TERMINAL_CLOSE_GRACE_MS)),
    );
  }

  private find(id: string): AgentTerminal {
    const terminal = this.terminals.get(id);
    if (terminal === undefined) throw notFound(id);
    return terminal;
  }

  /** Refuses a terminal past {@link TERMINAL_MAX_COUNT}, forgetting exited ones first. */
  private makeRoom(): void {
    if (this.terminals.size + this.starting < TERMINAL_MAX_COUNT) return;
    for (const [id, terminal] of this.terminals) {
      if (terminal.ended) {
        this.terminals.delete(id);
        return;
      }
    }
    throw new AppFailure({
      code: 'terminal-limit',
      message: `This host already runs ${TERMINAL_MAX_COUNT} of your terminals.`,
      hint: 'Close some you no longer use (`labdeck terminal ls`, then `labdeck terminal close ID`).',
    });
  }
}
