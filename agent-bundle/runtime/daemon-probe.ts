import { connect, type Socket } from 'node:net';
import {
  AGENT_MAX_LINE_BYTES,
  AGENT_METHOD_SHUTDOWN,
  AGENT_PROTOCOL_VERSION,
  agentMessageSchema,
  type AgentHello,
  type AgentMessage,
} from '../../common/agent/agent-protocol';
import { encodeLine, LineSplitter, parseLine } from '../../common/agent/line-codec';

/** How long a daemon gets to answer a hello (or a shutdown) before it counts as hung. */
export const PROBE_TIMEOUT_MS = 5_000;
/** The client name the agent's own control connections use, as seen in the daemon's log. */
const PROBE_CLIENT = 'labdeck-agent connect';

/** What is listening on a socket path. */
export type ProbeOutcome =
  | { readonly state: 'absent' }
  | { readonly state: 'hello'; readonly hello: AgentHello }
  | { readonly state: 'incompatible'; readonly message: string }
  | { readonly state: 'unresponsive' };

interface ControlConnection {
  readonly socket: Socket;
  /** Resolves true once connected, false if nothing listens. */
  readonly connected: Promise<boolean>;
  /** The agent's next valid message; `undefined` once the connection has closed. */
  next(): Promise<AgentMessage | undefined>;
}

/** Opens a connection whose incoming lines are parsed and queued until asked for. */
function open(socketPath: string): ControlConnection {
  const socket = connect(socketPath);
  const queue: (AgentMessage | undefined)[] = [];
  const waiters: ((message: AgentMessage | undefined) => void)[] = [];
  const deliver = (message: AgentMessage | undefined): void => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  };
  const splitter = new LineSplitter(AGENT_MAX_LINE_BYTES, {
    line: (text) => {
      const parsed = agentMessageSchema.safeParse(parseLine(text));
      if (parsed.success) deliver(parsed.data);
    },
    overflow: () => socket.destroy(),
  });
  socket.on('data', (chunk: Buffer) => splitter.push(chunk));
  socket.on('close', () => {
    while (waiters.length > 0) deliver(undefined);
    queue.push(undefined);
  });
  const connected = new Promise<boolean>((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.on('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
  const next = (): Promise<AgentMessage | undefined> =>
    queue.length > 0
      ? Promise.resolve(queue.shift())
      : new Promise((resolve) => waiters.push(resolve));
  return { socket, connected, next };
}

/**
 * Says hello to whatever listens on `socketPath` and reports who it is; with `shutdown`, also asks
 * a compatible agent to exit and waits for its reply. Never throws; bounded by `timeoutMs`.
 */
export async function probeDaemon(
  socketPath: string,
  options: { readonly shutdown?: boolean; readonly timeoutMs?: number } = {},
): Promise<ProbeOutcome> {
  const { socket, connected, next } = open(socketPath);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    socket.destroy();
  }, options.timeoutMs ?? PROBE_TIMEOUT_MS);
  try {
    if (!(await connected)) return timedOut ? { state: 'unresponsive' } : { state: 'absent' };
    socket.write(
      encodeLine({ t: 'hello', protocol: AGENT_PROTOCOL_VERSION, client: PROBE_CLIENT }),
    );
    const reply = await next();
    if (reply?.t === 'incompatible') return { state: 'incompatible', message: reply.message };
    if (reply?.t !== 'hello') return { state: 'unresponsive' };
    if (options.shutdown) {
      socket.write(encodeLine({ t: 'req', id: 1, method: AGENT_METHOD_SHUTDOWN, params: {} }));
      let message: AgentMessage | undefined;
      do message = await next();
      while (message !== undefined && message.t !== 'res');
    }
    return { state: 'hello', hello: reply };
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
}

/** True when something accepts connections on `socketPath`: a live (if maybe hung) daemon. */
export async function daemonAnswers(socketPath: string): Promise<boolean> {
  return (await probeDaemon(socketPath)).state !== 'absent';
}
