import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Result } from '../../../common/contract/result';
import { GPU_QUERY_FIELDS } from '../../../agent-bundle/gpu/nvidia-smi-query';
import {
  MAX_TELEMETRY_LINE_CHARS,
  type TelemetryTick,
  TelemetryLineParser,
  telemetryTicks,
} from '../../../agent-bundle/gpu/telemetry-lines';
import { readNvidiaSmiCapture, selectCaptureColumns } from '../../harness/fake-nvidia-smi';

/**
 * One tick of a 3-GPU host: the real H100, RTX 2080 SUPER and RTX 4080 SUPER rows (LabDeck's
 * columns picked from the all-fields captures by header name), renumbered 0–2 as if one host.
 */
let tick = '';
beforeAll(async () => {
  const files = ['h100-mig', 'rtx2080super-windows', 'rtx4080super-linux'];
  const rows = await Promise.all(
    files.map(async (name, index) => {
      const capture = await readNvidiaSmiCapture(`query-gpu-csv-allfields-${name}.txt`);
      return selectCaptureColumns(capture, GPU_QUERY_FIELDS).replace(/^0,/, `${index},`);
    }),
  );
  tick = rows.join('');
});

/** A clock that advances 1000 ms per call, starting at 1000. */
function fakeClock(): () => number {
  let now = 0;
  return () => (now += 1000);
}

/** The successful ticks, failing the test on any error. */
function ticksOf(results: readonly Result<TelemetryTick>[]): TelemetryTick[] {
  return results.map((result) => {
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  });
}

describe('TelemetryLineParser', () => {
  it('groups lines into ticks, a new tick starting when an index repeats', () => {
    const parser = new TelemetryLineParser({ now: fakeClock() });
    const first = ticksOf(parser.push(tick + tick));
    expect(first).toHaveLength(1);
    expect(first[0]?.at).toBe(1000);
    expect(first[0]?.gpus).toEqual([
      {
        index: 0,
        uuid: 'GPU-00000000-0000-0000-0000-000000000000',
        memoryUsedMiB: 11125,
        utilizationPct: null,
        temperatureC: 53,
        powerW: 433.78,
      },
      {
        index: 1,
        uuid: 'GPU-00000000-0000-0000-0000-000000000000',
        memoryUsedMiB: 797,
        utilizationPct: 0,
        temperatureC: 40,
        powerW: 39.25,
      },
      {
        index: 2,
        uuid: 'GPU-00000000-0000-0000-0000-000000000000',
        memoryUsedMiB: 1474,
        utilizationPct: 7,
        temperatureC: 46,
        powerW: 84.24,
      },
    ]);
    const last = ticksOf(parser.end());
    expect(last.map((t) => [t.at, t.gpus.length])).toEqual([[2000, 3]]);
  });

  it('gives the same ticks however the stream is cut into chunks', () => {
    const stream = (tick + tick + tick).replaceAll('\n', '\r\n');
    const whole = ticksOf([...new TelemetryLineParser({ now: () => 7 }).push(stream)]);
    for (let cut = 1; cut < stream.length; cut += 1) {
      const parser = new TelemetryLineParser({ now: () => 7 });
      const ticks = ticksOf([
        ...parser.push(stream.slice(0, cut)),
        ...parser.push(stream.slice(cut)),
      ]);
      expect(ticks).toEqual(whole);
    }
    expect(whole).toHaveLength(2);
  });

  it('with the GPU count known, ends a tick on its last line instead of a period later', () => {
    const parser = new TelemetryLineParser({ gpuCount: 3, now: fakeClock() });
    expect(ticksOf(parser.push(tick))).toHaveLength(1);
    expect(ticksOf(parser.end())).toEqual([]);
  });

  it('with learnGpuCount, ends every tick after the first on its last line', () => {
    const parser = new TelemetryLineParser({ learnGpuCount: true, now: fakeClock() });
    expect(ticksOf(parser.push(tick))).toEqual([]);
    const ticks = ticksOf(parser.push(tick + tick));
    expect(ticks.map((t) => [t.at, t.gpus.length])).toEqual([
      [1000, 3],
      [2000, 3],
      [3000, 3],
    ]);
    expect(ticksOf(parser.end())).toEqual([]);
  });

  it('without learnGpuCount, keeps waiting for an index to repeat', () => {
    const parser = new TelemetryLineParser({ now: fakeClock() });
    expect(ticksOf(parser.push(tick + tick + tick))).toHaveLength(2);
    expect(ticksOf(parser.end())).toHaveLength(1);
  });

  it('reports a bad line with its number and keeps reading', () => {
    const parser = new TelemetryLineParser({ gpuCount: 3, intervalMs: 500 });
    const results = parser.push(
      `${tick}Unable to determine the device handle for GPU 0000:09:00.0: Unknown Error\n${tick}`,
    );
    expect(results.map((result) => result.ok)).toEqual([true, false, true]);
    const error = results[1];
    expect(!error?.ok && error?.error).toMatchObject({ code: 'gpu-telemetry-unreadable' });
    expect(!error?.ok && error?.error.message).toContain(
      '-lms 500` printed output LabDeck cannot read: line 4: expected 10 columns',
    );
  });

  it('drops a line that never ends instead of buffering it forever', () => {
    const parser = new TelemetryLineParser();
    const results = parser.push('x'.repeat(MAX_TELEMETRY_LINE_CHARS + 1));
    expect(results).toMatchObject([{ ok: false }]);
    expect(ticksOf(parser.push(tick))).toEqual([]);
    expect(ticksOf(parser.end())).toHaveLength(1);
  });
});

describe('telemetryTicks', () => {
  it('decodes a byte stream cut inside a UTF-8 character', async () => {
    // The character sits where the error message quotes it, so a broken decoder would show.
    const [good = '', broken = ''] = [
      tick.split('\n')[0],
      tick.split('\n')[0]?.replace(/^0,/, 'ü,'),
    ];
    const bytes = Buffer.from(`${broken}\n${good}\n${good}\n`);
    const cut = bytes.indexOf(Buffer.from('ü')) + 1;
    const source = Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]);
    const results: Result<TelemetryTick>[] = [];
    for await (const result of telemetryTicks(source, { now: fakeClock() })) results.push(result);
    const [error, ...ticks] = results;
    expect(!error?.ok && error?.error.message).toContain('found "ü"');
    expect(ticksOf(ticks).map((t) => [t.at, t.gpus.length])).toEqual([
      [1000, 1],
      [2000, 1],
    ]);
  });
});
