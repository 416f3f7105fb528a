import type { PullProgressLine } from '../../common/contract/pull-progress';

/** One JSON event of Docker's `POST /images/create` stream (one layer's step, or the pull's). */
export interface DockerPullEvent {
  readonly status?: string;
  /** The layer's short id; on `Pulling from …` the tag instead. */
  readonly id?: string;
  readonly progressDetail?: { readonly current?: number; readonly total?: number };
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
}

interface LayerState {
  /** Compressed bytes downloaded so far, and the layer's size once Docker has said it. */
  current: number;
  total: number | null;
  /** On the host before the pull began (`Already exists`): nothing to download. */
  present: boolean;
  /** Extracted (`Pull complete`) or already present. */
  done: boolean;
}

/** Steps Docker reports per layer; any other status is about the pull as a whole. */
const LAYER_STEP =
  /^(Pulling fs layer|Waiting|Downloading|Verifying Checksum|Download complete|Extracting|Pull complete|Already exists|Retrying)/;

/**
 * Folds Docker's per-layer pull events into one overall summary: layers in place of layers
 * known, bytes downloaded of bytes to download. Docker names a layer's size only when its download
 * starts, so `bytesTotal` stays null until every layer still to fetch has started.
 */
export class PullTally {
  private readonly layers = new Map<string, LayerState>();
  private status = 'Pulling';
  /** Docker's words for the failure, once an event has carried one. */
  error: string | undefined;
  /** Docker said the pull is over (`Status: Downloaded newer image…`, `…is up to date…`). */
  complete = false;

  /** Takes one event into account. */
  add(event: DockerPullEvent): void {
    const error = event.errorDetail?.message ?? event.error;
    if (error !== undefined) {
      this.error ??= error;
      return;
    }
    const status = event.status ?? '';
    if (status.startsWith('Status: ')) {
      this.complete = true;
      this.status = status.includes('up to date') ? 'Up to date' : 'Downloaded';
      return;
    }
    if (event.id === undefined || !LAYER_STEP.test(status)) return;
    const layer = this.layer(event.id);
    this.status = status.startsWith('Retrying') ? 'Retrying' : status;
    const detail = event.progressDetail;
    switch (this.status) {
      case 'Downloading':
        layer.current = detail?.current ?? layer.current;
        if (detail?.total !== undefined && detail.total > 0) layer.total = detail.total;
        return;
      case 'Download complete':
        layer.total ??= layer.current;
        layer.current = layer.total;
        return;
      case 'Pull complete':
        layer.total ??= layer.current;
        layer.current = layer.total;
        layer.done = true;
        return;
      case 'Already exists':
        layer.present = true;
        layer.done = true;
        return;
      case 'Retrying':
        layer.current = 0;
        return;
    }
  }

  /** The summary as the stream sends it. */
  summary(): PullProgressLine {
    let bytesDone = 0;
    let bytesTotal: number | null = 0;
    let layersDone = 0;
    for (const layer of this.layers.values()) {
      if (layer.done) layersDone += 1;
      if (layer.present) continue;
      bytesDone += layer.current;
      if (layer.total === null) bytesTotal = null;
      else if (bytesTotal !== null) bytesTotal += layer.total;
    }
    return {
      status: this.status,
      layersDone,
      layersTotal: this.layers.size,
      bytesDone,
      bytesTotal,
    };
  }

  private layer(id: string): LayerState {
    let layer = this.layers.get(id);
    if (!layer) {
      layer = { current: 0, total: null, present: false, done: false };
      this.layers.set(id, layer);
    }
    return layer;
  }
}
