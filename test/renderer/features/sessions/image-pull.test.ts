import { describe, expect, it } from 'vitest';
import {
  findImage,
  imageListName,
  pullProgressView,
} from '../../../../renderer/src/features/sessions/image-pull';
import type { SessionImage } from '../../../../renderer/src/features/sessions/sessions-store';

const image = (ref: string, servicePorts: string | null = null): SessionImage => ({
  ref,
  id: `sha256:${'a'.repeat(64)}`,
  sizeBytes: 1_000,
  servicePorts,
});

describe('imageListName', () => {
  it('adds the tag Docker files an untagged pull under, registry ports included', () => {
    expect(imageListName('ubuntu')).toBe('ubuntu:latest');
    expect(imageListName(' ubuntu ')).toBe('ubuntu:latest');
    expect(imageListName('127.0.0.1:5000/lab/pulled')).toBe('127.0.0.1:5000/lab/pulled:latest');
    expect(imageListName('127.0.0.1:5000/lab/pulled:1')).toBe('127.0.0.1:5000/lab/pulled:1');
    expect(imageListName('busybox@sha256:abc')).toBe('busybox@sha256:abc');
  });

  it('drops the Docker Hub registry, as the host lists those images', () => {
    expect(imageListName('docker.io/library/ubuntu:24.04')).toBe('ubuntu:24.04');
    expect(imageListName('docker.io/pytorch/pytorch')).toBe('pytorch/pytorch:latest');
  });
});

describe('findImage', () => {
  const images = [
    image('ubuntu:latest'),
    image('lab/jupyter:1', 'jupyter:http:8888'),
    image('0123456789ab'),
  ];

  it('finds a host image by the name typed, as Docker would resolve it', () => {
    expect(findImage(images, 'ubuntu')?.ref).toBe('ubuntu:latest');
    expect(findImage(images, 'docker.io/library/ubuntu:latest')?.ref).toBe('ubuntu:latest');
    expect(findImage(images, 'lab/jupyter:1')?.servicePorts).toBe('jupyter:http:8888');
    expect(findImage(images, '0123456789ab')?.ref).toBe('0123456789ab');
  });

  it('finds none for another tag or repository, so Pull is offered', () => {
    expect(findImage(images, 'ubuntu:24.04')).toBeUndefined();
    expect(findImage(images, 'lab/jupyter')).toBeUndefined();
    expect(findImage([], 'ubuntu')).toBeUndefined();
  });
});

describe('pullProgressView', () => {
  const line = { status: 'Downloading', layersDone: 1, layersTotal: 3 };

  it('says the pull has begun before the first progress line', () => {
    expect(pullProgressView(null)).toEqual({ text: 'Asking the registry…' });
  });

  it('gives layers, bytes and a bar once the total is known', () => {
    expect(pullProgressView({ ...line, bytesDone: 12_500_000, bytesTotal: 80_100_000 })).toEqual({
      text: 'Downloading: 1 of 3 layers, 12.5 MB of 80.1 MB (15%)',
      bar: { value: 12_500_000, max: 80_100_000 },
    });
  });

  it('shows no bar while a layer has not told its size', () => {
    expect(pullProgressView({ ...line, bytesDone: 2_000, bytesTotal: null })).toEqual({
      text: 'Downloading: 1 of 3 layers, 2.00 kB',
    });
    expect(pullProgressView({ ...line, bytesDone: 0, bytesTotal: 0 }).bar).toBeUndefined();
  });
});
