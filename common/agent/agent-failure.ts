import { appErrorSchema, type AppError } from '../contract/result';

/**
 * How the agent reports why it stopped before answering hello: after its human-readable lines on
 * stderr, one line `LABDECK-AGENT-ERROR {"code":…,"message":…,"hint":…}`. Main passes that code,
 * message and hint to the user as they are, instead of guessing (issue 6: the agent's own precise
 * message used to be followed by "Check that Node 18…" whatever the cause).
 */
export const AGENT_FAILURE_PREFIX = 'LABDECK-AGENT-ERROR ';

/** The stderr line that carries `error` (newline included). */
export function formatAgentFailure(error: AppError): string {
  return `${AGENT_FAILURE_PREFIX}${JSON.stringify(error)}\n`;
}

/** The last well-formed failure line in `stderr`, or undefined when there is none. */
export function parseAgentFailure(stderr: string): AppError | undefined {
  for (const line of stderr.split('\n').reverse()) {
    if (!line.startsWith(AGENT_FAILURE_PREFIX)) continue;
    try {
      const parsed = appErrorSchema.safeParse(JSON.parse(line.slice(AGENT_FAILURE_PREFIX.length)));
      if (parsed.success) return parsed.data;
    } catch {
      // Not JSON: a line that merely starts like ours.
    }
  }
  return undefined;
}

/** `stderr` without the failure lines, for quoting to a human. */
export function withoutAgentFailure(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !line.startsWith(AGENT_FAILURE_PREFIX))
    .join('\n');
}
