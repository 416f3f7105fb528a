import { spawn } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import type { CloneProgress } from '../../common/folders/folder-view';
import { toAppError } from '../../common/contract/result';
import type { ReleaseHold } from '../runtime/idle-exit';
import { measureTree } from './folder-usage';

/** By absolute path, with argv: never a shell, never the user's PATH. */
const CP_PATH = '/bin/cp';
const SETFACL_PATH = '/usr/bin/setfacl';
/** How often the copy's bytes so far are measured. */
export const CLONE_POLL_MS = 250;
/** How long a finished clone's last event is kept for a subscriber who comes late. */
const FINISHED_KEPT_MS = 60_000;
/** The end of cp's stderr kept for the failure message. */
const STDERR_TAIL_CHARS = 2000;
/** A folder of one's own is the owner's alone, whatever mode the source's top had. */
const OWN_FOLDER_MODE = 0o700;

/** One clone to run: where from, where to, and how to finish or undo the target. */
export interface CloneSpec {
  /** The target's name: the topic's key. */
  readonly name: string;
  readonly targetId: string;
  readonly sourcePath: string;
  readonly targetPath: string;
  /** Marks the target ready (`privileged.folder.ready`). */
  ready(): Promise<void>;
  /** Removes the half-made target (`privileged.folder.purge`). */
  purge(): Promise<void>;
}

interface Job {
  readonly spec: CloneSpec;
  progress: CloneProgress;
  readonly listeners: Set<(progress: CloneProgress) => void>;
  canceled: boolean;
  /** Set once the copy is complete: from then on the clone finishes, cancel or not. */
  copied: boolean;
  /** Aborts the source's measuring (cancel before cp starts). */
  readonly measuring: AbortController;
  kill?: () => void;
  readonly finished: Promise<void>;
}

/** What the runner needs from the daemon; all optional (stdio mode has no daemon). */
export interface CloneRunnerOptions {
  /** Keeps the daemon up while a clone runs. */
  readonly holdAlive?: (reason: string) => ReleaseHold;
  readonly pollMs?: number;
}

/** Whether a progress is the last one. */
export function isFinal(progress: CloneProgress): boolean {
  return progress.state !== 'running';
}

function runProcess(argv: readonly string[], started: (kill: () => void) => void) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(argv[0] ?? '', argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS);
    });
    child.once('error', (error) => resolve({ code: null, stderr: error.message }));
    child.once('close', (code) => resolve({ code, stderr }));
    started(() => child.kill('SIGKILL'));
  });
}

/**
 * Runs clones as the agent's user: measures the source, copies it with
 * `cp -R -P --preserve=timestamps,links --reflink=auto -- SRC/. DST/` (instant on a filesystem
 * that can share blocks; the source's ACL entries are never copied), reports
 * the bytes under the target every {@link CLONE_POLL_MS} against the source's total, and ends
 * with done, failed or canceled. A canceled or failed clone's target is purged; a finished one
 * is checked to have no ACL entry (the source's grantees are not the clone's) and marked ready.
 */
export class CloneRunner {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly options: CloneRunnerOptions = {}) {}

  /** Starts a clone; its target's name must not be cloning already. */
  start(spec: CloneSpec): void {
    let finish!: () => void;
    const job: Job = {
      spec,
      progress: { copiedBytes: 0, totalBytes: 0, state: 'running', message: null },
      listeners: new Set(),
      canceled: false,
      copied: false,
      measuring: new AbortController(),
      finished: new Promise<void>((resolve) => (finish = resolve)),
    };
    this.jobs.set(spec.name, job);
    const release = this.options.holdAlive?.(`clone ${spec.name}`);
    void this.run(job).finally(() => {
      release?.();
      finish();
      setTimeout(() => {
        if (this.jobs.get(spec.name) === job) this.jobs.delete(spec.name);
      }, FINISHED_KEPT_MS).unref();
    });
  }

  /** Whether a clone into folder `id` is running in this agent. */
  runs(id: string): boolean {
    return [...this.jobs.values()].some(
      (job) => job.spec.targetId === id && !isFinal(job.progress),
    );
  }

  /**
   * Follows the clone into `name`: `listener` gets its progress at once, then each change, the
   * last one final. Undefined when no clone into `name` ran lately.
   */
  watch(name: string, listener: (progress: CloneProgress) => void): (() => void) | undefined {
    const job = this.jobs.get(name);
    if (job === undefined) return undefined;
    listener(job.progress);
    if (isFinal(job.progress)) return () => undefined;
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  /**
   * Stops the clone into `name` — while its source is measured or cp runs — and waits until its
   * target is gone; false when none runs, or when the copy is already complete (the folder
   * ends ready).
   */
  async cancel(name: string): Promise<boolean> {
    const job = this.jobs.get(name);
    if (job === undefined || isFinal(job.progress) || job.copied) return false;
    job.canceled = true;
    job.measuring.abort();
    job.kill?.();
    await job.finished;
    return true;
  }

  /** Cancels every running clone (the daemon is stopping). */
  async cancelAll(): Promise<void> {
    await Promise.all([...this.jobs.keys()].map((name) => this.cancel(name)));
  }

  private report(job: Job, progress: CloneProgress): void {
    const was = job.progress;
    if (isFinal(was)) return;
    if (
      was.state === progress.state &&
      was.copiedBytes === progress.copiedBytes &&
      was.totalBytes === progress.totalBytes
    )
      return;
    job.progress = progress;
    for (const listener of [...job.listeners]) listener(progress);
  }

  private async run(job: Job): Promise<void> {
    const { spec } = job;
    let totalBytes = 0;
    try {
      totalBytes = await measureTree(spec.sourcePath, job.measuring.signal);
      if (!job.canceled) this.report(job, { ...job.progress, totalBytes });
      if (!job.canceled) await this.copy(job, totalBytes);
      if (job.canceled) {
        await spec.purge();
        this.report(job, { ...job.progress, state: 'canceled', message: null });
        return;
      }
      await spec.ready();
      this.report(job, { copiedBytes: totalBytes, totalBytes, state: 'done', message: null });
    } catch (error) {
      // An AppFailure (the helper's refusal) or our own Error: both carry words for the user.
      const message = error instanceof Error ? error.message : toAppError(error).message;
      await spec.purge().catch(() => undefined);
      this.report(job, { ...job.progress, totalBytes, state: 'failed', message });
    }
  }

  private async copy(job: Job, totalBytes: number): Promise<void> {
    const { spec } = job;
    const watching = new AbortController();
    void this.watchTarget(job, totalBytes, watching.signal);
    const argv = [
      CP_PATH,
      // Not -a: that preserves the source's ACL entries too, letting its grantees into the
      // clone until they are stripped. Modes (umask applied), times and hard links are kept.
      '-R',
      '-P',
      '--preserve=timestamps,links',
      '--reflink=auto',
      '--',
      `${spec.sourcePath}/.`,
      `${spec.targetPath}/`,
    ];
    const copied = await runProcess(argv, (kill) => (job.kill = kill)).finally(() =>
      watching.abort(),
    );
    if (job.canceled) return;
    if (copied.code !== 0)
      throw new Error(
        `copying failed (cp status ${copied.code ?? 'killed'}): ${copied.stderr.trim()}`,
      );
    const acl = ['-R', '-P', '-b', '-k', '--', spec.targetPath];
    const stripped = await runProcess([SETFACL_PATH, ...acl], () => undefined);
    if (stripped.code !== 0)
      throw new Error(`removing the source's ACL entries failed: ${stripped.stderr.trim()}`);
    await chmod(spec.targetPath, OWN_FOLDER_MODE);
    job.copied = true;
  }

  /**
   * Measures the target until `signal` aborts: every {@link CLONE_POLL_MS}, or as long as the
   * last walk took if longer, so that a tree of many small files is walked at most half the time.
   */
  private async watchTarget(job: Job, totalBytes: number, signal: AbortSignal): Promise<void> {
    let pauseMs = this.options.pollMs ?? CLONE_POLL_MS;
    while (!signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      if (signal.aborted) return;
      const started = Date.now();
      const bytes = await measureTree(job.spec.targetPath, signal).catch(() => undefined);
      if (bytes === undefined || signal.aborted) continue;
      this.report(job, { ...job.progress, copiedBytes: Math.min(bytes, totalBytes) });
      pauseMs = Math.max(this.options.pollMs ?? CLONE_POLL_MS, Date.now() - started);
    }
  }
}
