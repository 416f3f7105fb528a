import { describe, expect, it } from 'vitest';
import {
  computeAppsArgv,
  gpuListArgv,
  gpuQueryArgv,
  telemetryArgv,
} from '../../../agent-bundle/gpu/nvidia-smi-query';

describe('nvidia-smi argv', () => {
  it('queries exactly the ten GPU columns the parser reads, without header or units', () => {
    expect(gpuQueryArgv()).toEqual([
      '--query-gpu=index,uuid,name,pci.bus_id,memory.total,memory.used,utilization.gpu,temperature.gpu,power.draw,mig.mode.current',
      '--format=csv,noheader,nounits',
    ]);
  });

  it('lists GPUs and MIG devices with -L', () => {
    expect(gpuListArgv()).toEqual(['-L']);
  });

  it('queries compute apps by the field names the captures print, process name last', () => {
    expect(computeAppsArgv()).toEqual([
      '--query-compute-apps=gpu_uuid,pid,used_gpu_memory,process_name',
      '--format=csv,noheader,nounits',
    ]);
  });

  it('repeats the GPU query with -lms for telemetry, 1 Hz by default', () => {
    expect(telemetryArgv()).toEqual([...gpuQueryArgv(), '-lms', '1000']);
    expect(telemetryArgv(250).slice(-2)).toEqual(['-lms', '250']);
    for (const bad of [0, -5, 1.5, Number.NaN])
      expect(() => telemetryArgv(bad)).toThrow(RangeError);
  });
});
