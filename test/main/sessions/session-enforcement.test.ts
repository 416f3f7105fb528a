import { describe, expect, it } from 'vitest';
import { enforcementFor } from '../../../main/sessions/session-enforcement';
import type { ShareableDevice } from '../../../main/sessions/session-gpus';

const GPU0 = 'GPU-00000000-0000-0000-0000-000000000000';
const GPU1 = 'GPU-11111111-1111-1111-1111-111111111111';
const MIG0 = 'MIG-aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa';

/** Two 80 GiB H100s and one MIG slice. */
const DEVICES: ShareableDevice[] = [
  { uuid: GPU0, index: 0, name: 'H100', memoryTotalMiB: 81_559, mig: false },
  { uuid: GPU1, index: 1, name: 'H100', memoryTotalMiB: 81_559, mig: false },
  { uuid: MIG0, index: 2, name: 'H100 MIG 1g.10gb', memoryTotalMiB: 10_240, mig: true },
];
const NOTHING = { mpsPipeDirectory: null, hamiLibrary: null };
const MPS = { mpsPipeDirectory: '/tmp/nvidia-mps', hamiLibrary: null };
const HAMI = { mpsPipeDirectory: null, hamiLibrary: '/usr/local/vgpu/libvgpu.so' };

describe('enforcementFor', () => {
  it('gives no tier to a session without GPUs', () => {
    expect(enforcementFor({}, DEVICES, MPS)).toEqual({
      tier: null,
      env: [],
      binds: [],
      ipcHost: false,
    });
  });

  it('calls whole GPUs exclusive and MIG devices mig, with nothing added', () => {
    expect(enforcementFor({ [GPU0]: '1', [GPU1]: '1' }, DEVICES, MPS).tier).toBe('exclusive');
    expect(enforcementFor({ [MIG0]: '1' }, DEVICES, MPS)).toMatchObject({ tier: 'mig', env: [] });
  });

  it('says a fraction without MPS or HAMi-core is shared, not enforced', () => {
    expect(enforcementFor({ [GPU0]: '0.5' }, DEVICES, NOTHING)).toMatchObject({
      tier: 'none',
      env: [],
      binds: [],
    });
  });

  it("caps a fraction with CUDA MPS: the pipe directory, the thread share and each device's memory", () => {
    const config = enforcementFor({ [GPU0]: '0.75', [GPU1]: '0.25' }, DEVICES, MPS);
    expect(config).toEqual({
      tier: 'mps',
      env: [
        'CUDA_MPS_PIPE_DIRECTORY=/tmp/nvidia-mps',
        'CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=75',
        // Ordinals follow the DeviceRequest's order; 0.75 × 81 559 MiB, 0.25 × 81 559 MiB.
        'CUDA_MPS_PINNED_DEVICE_MEM_LIMIT=0=61169M,1=20389M',
      ],
      binds: ['/tmp/nvidia-mps:/tmp/nvidia-mps'],
      ipcHost: true,
    });
  });

  it('prefers MPS to HAMi-core when both are there', () => {
    const both = { mpsPipeDirectory: '/run/mps', hamiLibrary: '/opt/libvgpu.so' };
    expect(enforcementFor({ [GPU0]: '0.5' }, DEVICES, both).tier).toBe('mps');
  });

  it('preloads HAMi-core with a per-container cache and per-device memory limits', () => {
    const config = enforcementFor({ [GPU0]: '0.3' }, DEVICES, HAMI);
    expect(config).toEqual({
      tier: 'hami',
      env: [
        'LD_PRELOAD=/usr/local/vgpu/libvgpu.so',
        'CUDA_DEVICE_SM_LIMIT=30',
        'CUDA_DEVICE_MEMORY_SHARED_CACHE=/tmp/labdeck-vgpu.cache',
        'CUDA_DEVICE_MEMORY_LIMIT_0=24467m',
      ],
      binds: ['/usr/local/vgpu/libvgpu.so:/usr/local/vgpu/libvgpu.so:ro'],
      ipcHost: false,
    });
  });
});
