import { beforeAll, describe, expect, it } from 'vitest';
import { GPU_QUERY_FIELDS } from '../../../agent-bundle/gpu/nvidia-smi-query';
import {
  type GpuRow,
  parseGpuCsv,
  parseGpuLine,
  splitCsvLine,
} from '../../../agent-bundle/gpu/parse-gpu-csv';
import { readNvidiaSmiCapture, selectCaptureColumns } from '../../harness/fake-nvidia-smi';

/**
 * No capture has LabDeck's exact shape, so each input here is a real all-fields capture with
 * LabDeck's 10 columns picked by header name and the header's units cut off (what `nounits`
 * prints). The identifiers were masked by the capture's source; every value is as captured.
 */
const REAL: Readonly<Record<string, GpuRow>> = {
  'query-gpu-csv-allfields-h100-mig.txt': {
    index: 0,
    uuid: 'GPU-00000000-0000-0000-0000-000000000000',
    name: 'NVIDIA H100 80GB HBM3',
    pciBusId: '00000000:00:09.0',
    memoryTotalMiB: 81559,
    memoryUsedMiB: 11125,
    utilizationPct: null, // [N/A]: whole-GPU utilisation is not reported while MIG is on
    temperatureC: 53,
    powerW: 433.78,
    migMode: 'enabled',
  },
  'query-gpu-csv-allfields-rtx2080super-windows.txt': {
    index: 0,
    uuid: 'GPU-00000000-0000-0000-0000-000000000000',
    name: 'NVIDIA GeForce RTX 2080 SUPER',
    pciBusId: '00000000:0C:00.0',
    memoryTotalMiB: 8192,
    memoryUsedMiB: 797,
    utilizationPct: 0,
    temperatureC: 40,
    powerW: 39.25,
    migMode: null,
  },
  'query-gpu-csv-allfields-rtx4080super-linux.txt': {
    index: 0,
    uuid: 'GPU-00000000-0000-0000-0000-000000000000',
    name: 'NVIDIA GeForce RTX 4080 SUPER',
    pciBusId: '00000000:01:00.0',
    memoryTotalMiB: 16376,
    memoryUsedMiB: 1474,
    utilizationPct: 7,
    temperatureC: 46,
    powerW: 84.24,
    migMode: null,
  },
};

/** The line LabDeck's query would have printed for each real capture. */
const lines: Record<string, string> = {};
beforeAll(async () => {
  for (const file of Object.keys(REAL)) {
    lines[file] = selectCaptureColumns(await readNvidiaSmiCapture(file), GPU_QUERY_FIELDS).trim();
  }
});
const h100 = () => lines['query-gpu-csv-allfields-h100-mig.txt'] ?? '';

/** The message of parseGpuCsv's refusal of `text` (fails the test if it parses). */
function refusal(text: string): string {
  const result = parseGpuCsv(text);
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.error.message;
}

describe('parseGpuCsv on real values', () => {
  it.each(Object.entries(REAL))('reads %s', (file, expected) => {
    expect(parseGpuCsv(`${lines[file]}\n`)).toEqual({ ok: true, value: [expected] });
  });

  it('reads several GPUs in order (the three real rows renumbered 0–2 as one host)', () => {
    const host = Object.keys(REAL).map((file, index) => lines[file]?.replace(/^0,/, `${index},`));
    const result = parseGpuCsv(host.join('\n'));
    expect(result.ok && result.value.map((gpu) => [gpu.index, gpu.name])).toEqual([
      [0, 'NVIDIA H100 80GB HBM3'],
      [1, 'NVIDIA GeForce RTX 2080 SUPER'],
      [2, 'NVIDIA GeForce RTX 4080 SUPER'],
    ]);
  });

  it('reads CRLF line endings and ignores blank lines', () => {
    expect(parseGpuCsv(`\r\n${h100()}\r\n\r\n`)).toMatchObject({ ok: true, value: [{ index: 0 }] });
  });

  it('treats every way nvidia-smi says "no value" as null', () => {
    for (const missing of ['[N/A]', '[Not Supported]', 'N/A', '', '[Insufficient Permissions]']) {
      const line = h100().replace(
        ', 81559, 11125, [N/A], 53, 433.78,',
        `, ${missing}, ${missing}, ${missing}, ${missing}, ${missing},`,
      );
      const result = parseGpuLine(line);
      expect(result).toMatchObject({
        ok: true,
        value: {
          memoryTotalMiB: null,
          memoryUsedMiB: null,
          utilizationPct: null,
          temperatureC: null,
          powerW: null,
        },
      });
    }
  });

  it('reads "No devices were found" and empty output as no GPUs', () => {
    expect(parseGpuCsv('No devices were found\n')).toEqual({ ok: true, value: [] });
    expect(parseGpuCsv('')).toEqual({ ok: true, value: [] });
  });
});

describe('parseGpuCsv refuses other shapes, saying what it expected and found', () => {
  it("a header row of LabDeck's own fields (as the h100 capture names them)", () => {
    const header =
      'index, uuid, name, pci.bus_id, memory.total [MiB], memory.used [MiB], utilization.gpu [%], temperature.gpu, power.draw [W], mig.mode.current';
    expect(refusal(`${header}\n${h100()}\n`)).toContain(
      'line 1: column 1 (index): expected a GPU index, found "index"; it looks like a header row',
    );
  });

  it("values with units (LabDeck's columns without `nounits`)", () => {
    const withUnits = h100().replace('81559, 11125', '81559 MiB, 11125 MiB');
    expect(refusal(withUnits)).toContain(
      'column 5 (memory.total): expected a whole number of MiB, found "81559 MiB"; its values carry units',
    );
  });

  it('a line with one column too few or too many', () => {
    const nine = h100().replace(/, Enabled$/, '');
    expect(refusal(nine)).toContain(
      `expected 10 columns (${GPU_QUERY_FIELDS.join(', ')}) but the line has 9`,
    );
    expect(refusal(`${h100()}, 1980`)).toContain('but the line has 11');
  });

  it('a second sample of the same GPU (output of a looping query)', () => {
    expect(refusal(`${h100()}\n${h100()}\n`)).toContain('line 2: GPU index 0 appears twice');
  });

  it('values out of range or of unknown words', () => {
    expect(refusal(h100().replace('[N/A], 53', '101, 53'))).toContain('utilizationPct');
    expect(refusal(h100().replace('Enabled', 'Pending'))).toContain(
      'column 10 (mig.mode.current): expected Enabled, Disabled or [N/A], found "Pending"',
    );
    expect(refusal(h100().replace('GPU-', 'MIG-'))).toContain(
      'column 2 (uuid): expected a GPU UUID',
    );
  });

  it('names the command and tells what to do', () => {
    const result = parseGpuCsv('garbage');
    expect(result).toMatchObject({ ok: false, error: { code: 'gpu-query-unreadable' } });
    if (!result.ok) expect(result.error.hint).toContain('--format=csv,noheader,nounits');
  });
});

describe('splitCsvLine', () => {
  it('splits nvidia-smi\'s ", " separator and trims', () => {
    expect(splitCsvLine('0, GPU-1 , NVIDIA A100,')).toEqual(['0', 'GPU-1', 'NVIDIA A100', '']);
  });

  it('reads RFC 4180 quoted fields, with commas and doubled quotes inside', () => {
    expect(splitCsvLine('"a, b", "say ""hi""", c')).toEqual(['a, b', 'say "hi"', 'c']);
  });

  it('leaves the rest of the line to the last field with maxFields', () => {
    expect(splitCsvLine('GPU-1, 7, 10, python train.py --tags a,b', 4)).toEqual([
      'GPU-1',
      '7',
      '10',
      'python train.py --tags a,b',
    ]);
  });
});
