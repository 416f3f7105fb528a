import { AppFailure } from '../../common/contract/result';
import {
  LOCAL_HOST_ID,
  type DockerStatus,
  type HostSummary,
} from '../../common/hosts/host-summary';
import type { EventHub } from '../bridge/event-hub';
import { probeLocalDocker } from '../docker/docker-probe';

/** A Docker check younger than this is reused by `list`; `refresh` always checks again. */
const DOCKER_STATUS_MAX_AGE_MS = 5_000;

/** The name "This computer" is shown under in every list. */
export const LOCAL_HOST_NAME = 'This computer';

/**
 * The hosts LabDeck knows and their state. For now that is "This computer"; SSH hosts join in
 * the next step. Emits `host:updated` whenever a host's Docker state changes.
 */
export class HostsService {
  private local: { status: DockerStatus; at: number } | undefined;

  constructor(
    private readonly events: EventHub,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Every host, "This computer" first. */
  async list(): Promise<HostSummary[]> {
    const fresh = this.local && Date.now() - this.local.at < DOCKER_STATUS_MAX_AGE_MS;
    return [
      fresh && this.local ? this.summary(this.local.status) : await this.refresh(LOCAL_HOST_ID),
    ];
  }

  /** Checks one host again and returns its new state. */
  async refresh(id: string): Promise<HostSummary> {
    if (id !== LOCAL_HOST_ID) {
      throw new AppFailure({
        code: 'host-not-found',
        message: `There is no host with id "${id}".`,
        hint: 'Run `labdeck host ls` to see the hosts LabDeck knows.',
      });
    }
    const status = await probeLocalDocker(this.env);
    const changed =
      this.local?.status.state !== status.state || this.local.status.version !== status.version;
    this.local = { status, at: Date.now() };
    const summary = this.summary(status);
    if (changed) this.events.emit('host:updated', summary);
    return summary;
  }

  private summary(docker: DockerStatus): HostSummary {
    return { id: LOCAL_HOST_ID, name: LOCAL_HOST_NAME, kind: 'local', address: null, docker };
  }
}
