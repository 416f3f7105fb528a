import { describe, expect, it } from 'vitest';
import { registryOf, pullFailure } from '../../../main/sessions/pull-failure';
import { PullTally, type DockerPullEvent } from '../../../main/sessions/pull-tally';

/** Docker 20.10's events for a one-layer pull from a registry on 127.0.0.1, as it sent them. */
const ONE_LAYER_PULL: DockerPullEvent[] = [
  { status: 'Pulling from labdeck-test/busybox', id: 'p1' },
  { status: 'Pulling fs layer', progressDetail: {}, id: '2bd71d6b3233' },
  { status: 'Downloading', progressDetail: { current: 36445, total: 1069054 }, id: '2bd71d6b3233' },
  {
    status: 'Downloading',
    progressDetail: { current: 1069054, total: 1069054 },
    id: '2bd71d6b3233',
  },
  { status: 'Verifying Checksum', progressDetail: {}, id: '2bd71d6b3233' },
  { status: 'Download complete', progressDetail: {}, id: '2bd71d6b3233' },
  { status: 'Extracting', progressDetail: { current: 32768, total: 1069054 }, id: '2bd71d6b3233' },
  { status: 'Pull complete', progressDetail: {}, id: '2bd71d6b3233' },
  { status: 'Digest: sha256:dad72227cbc65f81772b73b45d724112349e35dd1115d158762f5b1633508b94' },
  { status: 'Status: Downloaded newer image for 127.0.0.1:35857/labdeck-test/busybox:p1' },
];

/** The summaries after each event of `events`. */
function summaries(events: readonly DockerPullEvent[]) {
  const tally = new PullTally();
  return events.map((event) => {
    tally.add(event);
    return tally.summary();
  });
}

describe('PullTally', () => {
  it('follows one layer from its announcement to the end of the pull', () => {
    const [, announced, started, , , , extracting, complete, , last] = summaries(ONE_LAYER_PULL);
    expect(announced).toEqual({
      status: 'Pulling fs layer',
      layersDone: 0,
      layersTotal: 1,
      bytesDone: 0,
      bytesTotal: null,
    });
    expect(started).toMatchObject({ status: 'Downloading', bytesDone: 36445, bytesTotal: 1069054 });
    expect(extracting).toMatchObject({ status: 'Extracting', layersDone: 0, bytesDone: 1069054 });
    expect(complete).toMatchObject({ status: 'Pull complete', layersDone: 1 });
    expect(last).toEqual({
      status: 'Downloaded',
      layersDone: 1,
      layersTotal: 1,
      bytesDone: 1069054,
      bytesTotal: 1069054,
    });
  });

  it('keeps the total unknown while a waiting layer has not said its size', () => {
    const [, waiting, both] = summaries([
      { status: 'Downloading', progressDetail: { current: 10, total: 100 }, id: 'a' },
      { status: 'Waiting', progressDetail: {}, id: 'b' },
      { status: 'Downloading', progressDetail: { current: 5, total: 50 }, id: 'b' },
    ]);
    expect(waiting).toMatchObject({ bytesDone: 10, bytesTotal: null, layersTotal: 2 });
    expect(both).toMatchObject({ bytesDone: 15, bytesTotal: 150 });
  });

  it('counts a layer already on the host as done, with no bytes to fetch', () => {
    const tally = new PullTally();
    tally.add({ status: 'Already exists', progressDetail: {}, id: 'a' });
    tally.add({ status: 'Pulling fs layer', progressDetail: {}, id: 'b' });
    tally.add({ status: 'Downloading', progressDetail: { current: 7, total: 70 }, id: 'b' });
    expect(tally.summary()).toMatchObject({
      layersDone: 1,
      layersTotal: 2,
      bytesDone: 7,
      bytesTotal: 70,
    });
  });

  it("keeps Docker's first error and marks the pull complete only on its Status line", () => {
    const tally = new PullTally();
    tally.add({ errorDetail: { message: 'unexpected EOF' }, error: 'unexpected EOF' });
    tally.add({ error: 'later' });
    expect(tally.error).toBe('unexpected EOF');
    expect(tally.complete).toBe(false);
  });
});

describe('pull failures', () => {
  it('names the registry an image reference points at, Docker Hub by default', () => {
    expect(registryOf('ubuntu:24.04')).toBe('docker.io');
    expect(registryOf('pytorch/pytorch')).toBe('docker.io');
    expect(registryOf('ghcr.io/lab/x:1')).toBe('ghcr.io');
    expect(registryOf('localhost/x')).toBe('localhost');
    expect(registryOf('127.0.0.1:5000/x:1')).toBe('127.0.0.1:5000');
  });

  it("turns Docker's words into a code the researcher can act on", () => {
    const said = (text: string) => pullFailure('ghcr.io/lab/x:1', new Error(text)).toAppError();
    expect(
      said('(HTTP code 401) unexpected - unauthorized: authentication required'),
    ).toMatchObject({
      code: 'registry-auth-required',
      message:
        'The registry ghcr.io wants credentials to pull ghcr.io/lab/x:1 (unauthorized: authentication required).',
    });
    expect(
      said(
        '(HTTP code 500) server error - Get "https://ghcr.io/v2/": dial tcp: lookup ghcr.io: no such host',
      ).code,
    ).toBe('registry-unreachable');
    expect(said('(HTTP code 400) unexpected - invalid reference format').code).toBe(
      'invalid-image-reference',
    );
    expect(said('failed to register layer: no space left on device')).toMatchObject({
      code: 'image-pull-failed',
      message:
        'Pulling ghcr.io/lab/x:1 from ghcr.io failed: failed to register layer: no space left on device.',
    });
  });
});
