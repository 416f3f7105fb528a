import { Duplex, PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { AppFailure } from '../../common/contract/result';

/**
 * Pulls `image` onto the host's engine and reports progress as JSON lines (see
 * common/contract/pull-progress.ts). Placeholder until the pull feature lands: it refuses.
 */
export async function pullImageStream(_docker: Docker, image: string): Promise<Duplex> {
  void PassThrough;
  throw new AppFailure({ code: 'pull-unavailable', message: `Pulling ${image} is not built yet.` });
}
