import { describe, expect, it } from 'vitest';
import {
  describePullProgress,
  encodePullLine,
  imageReferenceProblem,
  PullLineReader,
  type PullLine,
  type PullProgressLine,
} from '../../../common/contract/pull-progress';

const progress: PullProgressLine = {
  status: 'Downloading',
  layersDone: 1,
  layersTotal: 3,
  bytesDone: 12_500_000,
  bytesTotal: 80_100_000,
};
const done: PullLine = { done: true, image: 'ghcr.io/lab/train:1', id: 'sha256:0123abcd' };
const bytes = (text: string) => new TextEncoder().encode(text);

describe('PullLineReader', () => {
  it('gives back every line when all arrive in one chunk', () => {
    const reader = new PullLineReader();
    expect(reader.push(bytes(encodePullLine(progress) + encodePullLine(done)))).toEqual([
      progress,
      done,
    ]);
    expect(reader.end()).toEqual([]);
  });

  it('keeps a line split across chunks until its newline arrives, at every split point', () => {
    const text = encodePullLine(progress) + encodePullLine(done);
    for (let cut = 1; cut < text.length; cut++) {
      const reader = new PullLineReader();
      const lines = [
        ...reader.push(bytes(text.slice(0, cut))),
        ...reader.push(bytes(text.slice(cut))),
      ];
      expect(lines).toEqual([progress, done]);
    }
  });

  it('joins a UTF-8 character split between two chunks', () => {
    const line: PullLine = { ...progress, status: 'Téléchargement' };
    const encoded = bytes(encodePullLine(line));
    const cut = encoded.indexOf(0xc3) + 1;
    const reader = new PullLineReader();
    expect(reader.push(encoded.subarray(0, cut))).toEqual([]);
    expect(reader.push(encoded.subarray(cut))).toEqual([line]);
  });

  it('returns a last line without its newline at the end', () => {
    const reader = new PullLineReader();
    expect(reader.push(bytes(JSON.stringify(done)))).toEqual([]);
    expect(reader.end()).toEqual([done]);
  });

  it('throws naming a line that is not a pull line', () => {
    expect(() => new PullLineReader().push(bytes('{"status":"Downloading"}\n'))).toThrow(
      /not a pull progress line: \{"status":"Downloading"\}/,
    );
    expect(() => new PullLineReader().push(bytes('Pulling fs layer\n'))).toThrow(/not JSON/);
  });
});

describe('describePullProgress', () => {
  it('says layers and bytes with a percentage once the total is known', () => {
    expect(describePullProgress(progress)).toBe(
      'Downloading: 1 of 3 layers, 12.5 MB of 80.1 MB (15%)',
    );
  });

  it('leaves the total out while it is unknown, and the counts while no layer is', () => {
    expect(
      describePullProgress({ ...progress, bytesDone: 512, bytesTotal: null, layersTotal: 1 }),
    ).toBe('Downloading: 1 of 1 layer, 512 B');
    expect(
      describePullProgress({ ...progress, status: 'Pulling', layersDone: 0, layersTotal: 0 }),
    ).toBe('Pulling…');
  });
});

describe('imageReferenceProblem', () => {
  it('accepts references with a registry, a port, a tag or a digest', () => {
    for (const image of [
      'ubuntu',
      'ubuntu:24.04',
      '127.0.0.1:5000/lab/x:1',
      `x@sha256:${'a'.repeat(64)}`,
    ])
      expect(imageReferenceProblem(image)).toBeUndefined();
  });

  it('refuses what an engine or a shell could take for something else', () => {
    expect(imageReferenceProblem('')).toMatch(/Give an image/);
    expect(imageReferenceProblem('-rf')).toMatch(/start with a letter or digit/);
    expect(imageReferenceProblem('ubuntu 24.04')).toMatch(/no spaces/);
    expect(imageReferenceProblem('ubuntu\u001b[2J')).toContain('"ubuntu?[2J"');
    expect(imageReferenceProblem('a'.repeat(513))).toMatch(/at most 512/);
  });
});
