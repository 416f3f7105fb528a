import { createServer } from 'node:net';

/** Loopback address every harness daemon binds to, so nothing is exposed off the machine. */
export const LOOPBACK_HOST = '127.0.0.1';

/**
 * Ask the kernel for a TCP port that is free on 127.0.0.1 right now.
 * The port is released before it is returned, so another process can take it in between; callers
 * that bind it later (sshd) retry with a fresh port when the bind fails.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: LOOPBACK_HOST, port: 0, exclusive: true }, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error(`expected a TCP address from the port probe, got ${String(address)}`);
  }
  return address.port;
}
