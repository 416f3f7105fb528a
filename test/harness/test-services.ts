import { join } from 'node:path';
import { createClient, type Client } from '../../common/contract/client';
import type { PromptBroker } from '../../common/ssh/prompts';
import { createInProcessTransport } from '../../main/bridge/in-process-transport';
import { MemorySecretStore } from '../../main/secrets/secret-store';
import { createServices, type Services, type ServicesOptions } from '../../main/services';
import { REPO_ROOT } from './labdeck-build';

/** The built agent the services push to test hosts (`npm run build` makes it). */
export const AGENT_BUNDLE = join(REPO_ROOT, 'out/agent/labdeck-agent.cjs');

/** A user who trusts every unknown host key and cancels every other question. */
export const trustHostKeys: PromptBroker = async (request) =>
  request.kind === 'host-key-unknown' ? { kind: 'trust', trust: true } : { kind: 'cancelled' };

/**
 * LabDeck's services as the CLI runs them, isolated in `home` (settings, known hosts, and the
 * "user home" whose ~/.ssh they read), with a typed client over the in-process bridge.
 */
export function testServices(
  home: string,
  overrides: Partial<ServicesOptions> = {},
): { services: Services; client: Client } {
  const services = createServices({
    home,
    mode: 'cli',
    secrets: new MemorySecretStore(),
    env: { PATH: process.env.PATH },
    userHome: home,
    agentBundlePath: AGENT_BUNDLE,
    prompt: trustHostKeys,
    ...overrides,
  });
  return { services, client: createClient(createInProcessTransport(services).transport) };
}
