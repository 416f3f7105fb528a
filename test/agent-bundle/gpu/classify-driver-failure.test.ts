import { describe, expect, it } from 'vitest';
import {
  classifyDriverFailure,
  type NvidiaSmiRun,
} from '../../../agent-bundle/gpu/classify-driver-failure';
import { readNvidiaSmiCapture } from '../../harness/fake-nvidia-smi';

const run = (overrides: Partial<NvidiaSmiRun>): NvidiaSmiRun => ({
  exitCode: 0,
  stdout: '',
  stderr: '',
  ...overrides,
});

describe('classifyDriverFailure on real failure captures', () => {
  it('no driver: tells to load or rebuild the kernel module', async () => {
    const stdout = await readNvidiaSmiCapture('error-no-driver.txt');
    const failure = classifyDriverFailure(run({ exitCode: 9, stdout }));
    expect(failure?.code).toBe('gpu-driver-not-loaded');
    expect(failure?.hint).toContain('modprobe nvidia');
  });

  it('NVML version mismatch: names the library version and says to reboot or reload', async () => {
    const stderr = await readNvidiaSmiCapture('error-nvml-version-mismatch.txt');
    const failure = classifyDriverFailure(run({ exitCode: 18, stderr }));
    expect(failure?.code).toBe('gpu-nvml-version-mismatch');
    expect(failure?.message).toContain('550.144');
    expect(failure?.hint).toMatch(/^Reboot the host, or reload the driver/);
  });

  it('unknown device handle: names the GPU and reason, even with exit status 0', async () => {
    const stderr = await readNvidiaSmiCapture('error-device-handle-unknown.txt');
    const failure = classifyDriverFailure(run({ exitCode: 0, stdout: '0, GPU-…\n', stderr }));
    expect(failure).toMatchObject({
      code: 'gpu-device-unreachable',
      message:
        'The driver cannot reach GPU at 0000:09:00.0 (Unknown Error). The other GPUs still work.',
    });
  });
});

describe('classifyDriverFailure on other forms', () => {
  it('reads every form of the device-handle line seen in the wild', () => {
    const stderr = [
      'Unable to determine the device handle for GPU3: 0000:5F:00.0: Unknown Error',
      'Unable to determine the device handle for GPU0000:25:00.0: Unknown Error',
      'Unable to determine the device handle for GPU2: Unknown Error',
    ].join('\n');
    expect(classifyDriverFailure(run({ stderr }))?.message).toBe(
      'The driver cannot reach GPU 3 at 0000:5F:00.0 (Unknown Error); GPU at 0000:25:00.0 (Unknown Error); GPU 2 (Unknown Error). The other GPUs still work.',
    );
    expect(classifyDriverFailure(run({ exitCode: 15 }))?.code).toBe('gpu-device-unreachable');
  });

  it("command not found: spawn ENOENT, the shell's 127, or its message", () => {
    for (const failed of [
      run({ exitCode: null, spawnErrorCode: 'ENOENT' }),
      run({ exitCode: 127 }),
      run({ exitCode: 1, stderr: 'bash: nvidia-smi: command not found\n' }),
      run({ exitCode: 1, stderr: 'sh: 1: nvidia-smi: not found\n' }),
    ]) {
      expect(classifyDriverFailure(failed)?.code).toBe('gpu-nvidia-smi-not-found');
    }
  });

  it("a field the driver does not know (a driver older than LabDeck's query)", () => {
    const stdout = 'Field "mig.mode.current" is not a valid field to query.\n';
    expect(classifyDriverFailure(run({ exitCode: 2, stdout }))).toMatchObject({
      code: 'gpu-query-field-unknown',
      message: expect.stringContaining('"mig.mode.current"'),
    });
  });

  it('anything else: quotes what nvidia-smi said and its exit status', () => {
    const failure = classifyDriverFailure(
      run({ exitCode: 255, stderr: 'Failed to initialize NVML: Unknown Error\n' }),
    );
    expect(failure).toMatchObject({
      code: 'gpu-nvidia-smi-failed',
      message: 'nvidia-smi exited with status 255: Failed to initialize NVML: Unknown Error',
    });
    expect(classifyDriverFailure(run({ exitCode: null }))?.message).toBe(
      'nvidia-smi was stopped before it finished',
    );
    expect(classifyDriverFailure(run({ exitCode: null, spawnErrorCode: 'EACCES' }))?.message).toBe(
      'nvidia-smi could not be started (EACCES)',
    );
    expect(
      classifyDriverFailure(run({ exitCode: 4, stdout: 'x'.repeat(1000) }))?.message.length,
    ).toBeLessThan(400);
  });

  it('success, and a host with no GPU, are not failures', () => {
    expect(
      classifyDriverFailure(run({ stdout: '0, GPU-1, …\n', stderr: 'a warning\n' })),
    ).toBeNull();
    expect(
      classifyDriverFailure(run({ exitCode: 6, stdout: 'No devices were found\n' })),
    ).toBeNull();
  });
});
