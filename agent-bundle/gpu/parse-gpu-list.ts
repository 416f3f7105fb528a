import { fail, ok, type Result } from '../../common/contract/result';
import { type MigDevice } from '../../common/gpu/gpu';
import { gpuListArgv } from './nvidia-smi-query';
import { NO_DEVICES_PATTERN, unreadableOutput, withGuess } from './classify-driver-failure';

/** One GPU line of `nvidia-smi -L` with the MIG lines under it. */
export interface ListedGpu {
  readonly index: number;
  readonly name: string;
  readonly uuid: string;
  readonly migDevices: readonly MigDevice[];
}

/** Error code for `-L` output in a shape LabDeck does not know. */
export const LIST_UNREADABLE = 'gpu-list-unreadable';

/**
 * `GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-…)`. The name is everything up to the last
 * ` (UUID: `, so a name with parentheses still reads; old drivers print no `NVIDIA ` prefix.
 */
const GPU_LINE = /^GPU (\d+): (.+) \(UUID: (GPU-[^)\s]+)\)$/;

/**
 * `  MIG 1g.10gb     Device  0: (UUID: MIG-…)`. The profile may name a compute-instance slice
 * (`1c.3g.71gb`), and drivers before R470 print the legacy UUID `MIG-GPU-<uuid>/<gi>/<ci>` and a
 * single space before the device number.
 */
const MIG_LINE = /^\s+MIG (\S+)\s+Device\s+(\d+): \(UUID: (MIG-[^)\s]+)\)$/;

/** Parses one line of `-L` output: a GPU, a MIG device, or a problem in words. */
function parseListLine(
  line: string,
):
  | { readonly kind: 'gpu'; readonly gpu: ListedGpu }
  | { readonly kind: 'mig'; readonly device: MigDevice }
  | { readonly kind: 'unknown'; readonly problem: string } {
  const gpu = GPU_LINE.exec(line);
  if (gpu !== null) {
    const [, index = '', name = '', uuid = ''] = gpu;
    return { kind: 'gpu', gpu: { index: Number(index), name, uuid, migDevices: [] } };
  }
  const mig = MIG_LINE.exec(line);
  if (mig !== null) {
    const [, profile = '', index = '', uuid = ''] = mig;
    return { kind: 'mig', device: { uuid, profile, index: Number(index) } };
  }
  const found = JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line);
  const problem = `expected "GPU <n>: <name> (UUID: GPU-…)" or "  MIG <profile> Device <n>: (UUID: MIG-…)", found ${found}`;
  return { kind: 'unknown', problem: withGuess(problem, line) };
}

/**
 * Parses `nvidia-smi -L`: every GPU with its MIG devices (a host may mix MIG and non-MIG GPUs).
 * Any line that is neither a GPU nor a MIG device refuses the whole output, never skipped.
 */
export function parseGpuList(text: string): Result<readonly ListedGpu[]> {
  if (NO_DEVICES_PATTERN.test(text)) return ok([]);
  const gpus: { gpu: ListedGpu; migDevices: MigDevice[] }[] = [];
  const refuse = (lineNumber: number, problem: string) =>
    fail<readonly ListedGpu[]>(
      unreadableOutput(LIST_UNREADABLE, gpuListArgv(), lineNumber, problem),
    );
  for (const [at, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const parsed = parseListLine(line);
    const current = gpus.at(-1);
    switch (parsed.kind) {
      case 'gpu':
        if (gpus.some((entry) => entry.gpu.index === parsed.gpu.index)) {
          return refuse(at + 1, `GPU ${parsed.gpu.index} is listed twice`);
        }
        gpus.push({ gpu: parsed.gpu, migDevices: [] });
        break;
      case 'mig':
        if (current === undefined) return refuse(at + 1, 'a MIG device comes before any GPU');
        current.migDevices.push(parsed.device);
        break;
      case 'unknown':
        return refuse(at + 1, parsed.problem);
    }
  }
  return ok(gpus.map(({ gpu, migDevices }) => ({ ...gpu, migDevices })));
}
