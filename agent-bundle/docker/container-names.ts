import { request } from 'node:http';

/** Docker's socket on Linux hosts. */
export const DOCKER_SOCKET = '/var/run/docker.sock';
/** A name lookup must never hold up the GPU list for long. */
const LOOKUP_TIMEOUT_MS = 2_000;

/** What the agent learns of a container: its name and the user LabDeck recorded as owner. */
export interface ContainerInfo {
  readonly name: string | null;
  /** The `labdeck.user` label of containers LabDeck started; null for others. */
  readonly labdeckUser: string | null;
}

function inspect(socketPath: string, id: string): Promise<ContainerInfo | null> {
  return new Promise((resolve) => {
    const req = request(
      { socketPath, path: `/containers/${id}/json`, timeout: LOOKUP_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
              Name?: string;
              Config?: { Labels?: Record<string, string> };
            };
            resolve({
              name: body.Name?.replace(/^\//, '') ?? null,
              labdeckUser: body.Config?.Labels?.['labdeck.user'] ?? null,
            });
          } catch {
            resolve(null);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/**
 * Names (and LabDeck owners) of the given containers, asked of the host's Docker engine. Best
 * effort: without access to the socket the ids alone are shown, never an error.
 */
export async function containerInfo(
  ids: readonly string[],
  socketPath: string = DOCKER_SOCKET,
): Promise<ReadonlyMap<string, ContainerInfo>> {
  const unique = [...new Set(ids)].filter((id) => /^[0-9a-f]{64}$/.test(id));
  const found = await Promise.all(
    unique.map(async (id) => [id, await inspect(socketPath, id)] as const),
  );
  return new Map(
    found.filter((entry): entry is readonly [string, ContainerInfo] => entry[1] !== null),
  );
}
