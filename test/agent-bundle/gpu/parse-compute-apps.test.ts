import { describe, expect, it } from 'vitest';
import { COMPUTE_APPS_FIELDS } from '../../../agent-bundle/gpu/nvidia-smi-query';
import { parseComputeApps } from '../../../agent-bundle/gpu/parse-compute-apps';
import { readNvidiaSmiCapture, selectCaptureColumns } from '../../harness/fake-nvidia-smi';

/**
 * The real captures ran `--format=csv` with 8 fields; LabDeck's 4 are picked from them by header
 * name with the `[MiB]` unit cut off, which is what `noheader,nounits` would have printed.
 */
async function realApps(file: string): Promise<string> {
  return selectCaptureColumns(await readNvidiaSmiCapture(file), COMPUTE_APPS_FIELDS);
}

const GPU = 'GPU-00000000-0000-0000-0000-000000000000';

describe('parseComputeApps on real values', () => {
  it('3 processes on a MIG H100, all under the parent GPU UUID', async () => {
    expect(parseComputeApps(await realApps('query-compute-apps-csv-h100-mig.txt'))).toEqual({
      ok: true,
      value: [
        { gpuUuid: GPU, pid: 21180, usedMemoryMiB: 2296, processName: '/root/tools/memhog' },
        { gpuUuid: GPU, pid: 21181, usedMemoryMiB: 1272, processName: '/root/tools/memhog' },
        { gpuUuid: GPU, pid: 21198, usedMemoryMiB: 7484, processName: './gpu_burn' },
      ],
    });
  });

  it('Windows paths with spaces and [N/A] memory (WDDM)', async () => {
    const result = parseComputeApps(
      await realApps('query-compute-apps-csv-windows-rtx2080super.txt'),
    );
    expect(result.ok && result.value.length).toBe(21);
    expect(result.ok && result.value.every((app) => app.usedMemoryMiB === null)).toBe(true);
    expect(result.ok && result.value[7]).toEqual({
      gpuUuid: GPU,
      pid: 17648,
      usedMemoryMiB: null,
      processName: 'C:\\Program Files\\NVIDIA Corporation\\NVIDIA App\\CEF\\NVIDIA Overlay.exe',
    });
  });

  it('no process: the idle capture has a header only, so LabDeck would get no output', async () => {
    const text = await realApps('query-compute-apps-csv-empty-h100-mig.txt');
    expect(text).toBe('');
    expect(parseComputeApps(text)).toEqual({ ok: true, value: [] });
  });

  it('keeps commas in a process name, which nvidia-smi does not quote', () => {
    const line = `${GPU}, 4242, 512, python train.py --layers 3,4,5\n`;
    expect(parseComputeApps(line)).toMatchObject({
      ok: true,
      value: [{ pid: 4242, processName: 'python train.py --layers 3,4,5' }],
    });
  });
});

describe('parseComputeApps refuses other shapes', () => {
  it('a row of the 8-field capture, naming expected and found columns', async () => {
    const raw = await readNvidiaSmiCapture('query-compute-apps-csv-h100-mig.txt');
    const row = raw.split('\n')[1] ?? '';
    const result = parseComputeApps(row);
    expect(result).toMatchObject({ ok: false, error: { code: 'gpu-apps-unreadable' } });
    if (!result.ok) {
      expect(result.error.message).toContain(
        'line 1: expected 4 columns (gpu_uuid, pid, used_gpu_memory, process_name) but the line has 8; its values carry units',
      );
    }
  });

  it('a PID that is not a number, and too few columns', () => {
    const bad = parseComputeApps(`${GPU}, [N/A], 10, x`);
    expect(!bad.ok && bad.error.message).toContain(
      'column 2 (pid): expected a process id, found "[N/A]"',
    );
    const short = parseComputeApps(`${GPU}, 7, 10`);
    expect(!short.ok && short.error.message).toContain('but the line has 3');
  });
});
