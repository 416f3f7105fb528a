/** Where the report of an error nobody handled goes; stderr by default. */
export type UnexpectedErrorLog = (line: string) => void;

let installed = false;

/**
 * Makes a long-running process (the Electron main process, `labdeck serve`) log an error that
 * no code handled — a rejected promise nobody awaited, an exception thrown from a callback —
 * and keep serving, instead of Node's default of ending the process and every connection,
 * terminal and window with it. A last line of defence: each such log is a bug to fix where it
 * was thrown (issue 6: a late host-key answer once ended the server from inside ssh2). Node
 * documents that state after an uncaught exception may be inconsistent; losing every open
 * session to one failed callback is the worse outcome for this app. Installed once per process.
 */
export function keepServingOnUnexpectedErrors(
  log: UnexpectedErrorLog = (line) => process.stderr.write(`${line}\n`),
): void {
  if (installed) return;
  installed = true;
  const report = (what: string) => (error: unknown) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`labdeck: ${what} (kept running; please report this): ${detail}`);
  };
  process.on('unhandledRejection', report('unhandled promise rejection'));
  process.on('uncaughtException', report('uncaught exception'));
}
