/**
 * nvidia-smi's failures, and output LabDeck cannot read, as errors written for the researcher
 * (DESIGN.md §4: driver failures are values, not crashes).
 */
import { type AppError } from '../../common/contract/result';
import { type GpuDriverFailure } from '../../common/gpu/gpu';
import { NVIDIA_SMI } from './nvidia-smi-query';

/** What nvidia-smi prints (exit status 6) on a host where the driver works but has no GPU. */
export const NO_DEVICES_PATTERN = /^\s*No devices were found\.?\s*$/;

/** How one nvidia-smi run ended, as the agent saw it. */
export interface NvidiaSmiRun {
  /** Exit status; null when the process was killed by a signal or never started. */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The errno code when spawning failed (`ENOENT`: not on PATH), else absent or null. */
  readonly spawnErrorCode?: string | null;
}

/**
 * nvidia-smi's documented exit statuses (`man nvidia-smi`, "RETURN VALUE") that name a cause even
 * when the text does not. 127 is the shell's "command not found" when run over SSH.
 */
const EXIT_DRIVER_NOT_LOADED = 9;
const EXIT_GPU_FELL_OFF_BUS = 15;
const EXIT_SHELL_COMMAND_NOT_FOUND = 127;

/** Longest excerpt of nvidia-smi's own words quoted in a message, in characters. */
const MAX_QUOTED_CHARS = 300;

const NO_DRIVER = /couldn't communicate with the NVIDIA driver/i;
const VERSION_MISMATCH = /Driver\/library version mismatch/i;
const NVML_LIBRARY_VERSION = /NVML library version:\s*(\S+)/i;
/** `… for GPU 0000:09:00.0: Unknown Error`, `… for GPU3: 0000:5F:00.0: …`, `… for GPU2: …`. */
const DEVICE_HANDLE =
  /Unable to determine the device handle for GPU ?(?:(\d+): )?(?:([0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-9A-Fa-f]):? ?)?(.*)$/gm;
const UNKNOWN_FIELD = /Field "([^"]+)" is not a valid field to query/;
const COMMAND_NOT_FOUND = /nvidia-smi: (?:command )?not found/;

/** The first lines nvidia-smi printed, shortened for a message. */
function quote(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return trimmed.length > MAX_QUOTED_CHARS ? `${trimmed.slice(0, MAX_QUOTED_CHARS)}…` : trimmed;
}

/** Each "Unable to determine the device handle" line in words: `GPU 3 at 0000:5F:00.0 (Unknown Error)`. */
function unreachableGpus(output: string): string[] {
  return [...output.matchAll(DEVICE_HANDLE)].map(([, index = '', busId = '', reason = '']) => {
    const where = [index === '' ? 'GPU' : `GPU ${index}`, busId === '' ? '' : `at ${busId}`];
    const why = reason.trim();
    return where.filter(Boolean).join(' ') + (why === '' ? '' : ` (${why})`);
  });
}

/**
 * Maps one nvidia-smi run to the failure a researcher should see, or null when it worked.
 * Reads stdout and stderr together (the driver messages go to either, depending on the driver
 * version) and never throws. A run can succeed and still fail here: a GPU that fell off the bus
 * leaves the others listed and exit status 0, and only stderr says so.
 */
export function classifyDriverFailure(run: NvidiaSmiRun): GpuDriverFailure | null {
  const output = `${run.stdout}\n${run.stderr}`;
  if (
    run.spawnErrorCode === 'ENOENT' ||
    run.exitCode === EXIT_SHELL_COMMAND_NOT_FOUND ||
    COMMAND_NOT_FOUND.test(output)
  ) {
    return {
      code: 'gpu-nvidia-smi-not-found',
      message: 'nvidia-smi is not installed on this host, so LabDeck cannot see its GPUs.',
      hint: 'Install the NVIDIA driver and its utilities (e.g. `nvidia-utils-<version>` on Ubuntu), or ignore this on a host without NVIDIA GPUs.',
    };
  }
  if (NO_DRIVER.test(output) || run.exitCode === EXIT_DRIVER_NOT_LOADED) {
    return {
      code: 'gpu-driver-not-loaded',
      message: 'nvidia-smi cannot talk to the NVIDIA driver: the kernel module is not loaded.',
      hint: 'After a kernel update the module may need rebuilding (DKMS). Ask the host admin to run `sudo modprobe nvidia`, or reinstall the driver and reboot.',
    };
  }
  if (VERSION_MISMATCH.test(output)) {
    const library = NVML_LIBRARY_VERSION.exec(output)?.[1];
    return {
      code: 'gpu-nvml-version-mismatch',
      message: `The NVIDIA driver was updated but the old kernel module is still loaded${library === undefined ? '' : ` (the NVML library is ${library})`}, so nvidia-smi refuses to run.`,
      hint: 'Reboot the host, or reload the driver when no GPU process runs: `sudo rmmod nvidia_uvm nvidia_drm nvidia_modeset nvidia && sudo modprobe nvidia`.',
    };
  }
  const unreachable = unreachableGpus(output);
  if (unreachable.length > 0 || run.exitCode === EXIT_GPU_FELL_OFF_BUS) {
    return {
      code: 'gpu-device-unreachable',
      message: `The driver cannot reach ${unreachable.length > 0 ? unreachable.join('; ') : 'a GPU'}. The other GPUs still work.`,
      hint: 'The GPU has likely fallen off the bus (look for Xid 79 in `sudo dmesg`). A reboot usually brings it back; if it repeats, check its power, cooling and seating.',
    };
  }
  const field = UNKNOWN_FIELD.exec(output)?.[1];
  if (field !== undefined) {
    return {
      code: 'gpu-query-field-unknown',
      message: `This host's nvidia-smi does not know the field "${field}" that LabDeck asks for.`,
      hint: 'The NVIDIA driver is probably older than R450. Update the driver to use this host with LabDeck.',
    };
  }
  if (run.exitCode === 0 || (run.exitCode !== null && NO_DEVICES_PATTERN.test(run.stdout))) {
    return null;
  }
  const status =
    run.exitCode !== null
      ? `exited with status ${run.exitCode}`
      : run.spawnErrorCode
        ? `could not be started (${run.spawnErrorCode})`
        : 'was stopped before it finished';
  const said = quote(output);
  return {
    code: 'gpu-nvidia-smi-failed',
    message: `nvidia-smi ${status}${said === '' ? '' : `: ${said}`}`,
    hint: 'Run `nvidia-smi` on the host to see the full error; a reboot fixes most driver faults.',
  };
}

/** Recognises the other nvidia-smi formats a captured or wrapped output may be in. */
export function describeForeignLine(line: string): string | null {
  const text = line.trim();
  if (text.startsWith('<')) return 'it looks like XML (`nvidia-smi -q -x`)';
  if (/^=+NVSMI LOG=+$/.test(text)) return 'it looks like the text report of `nvidia-smi -q`';
  if (/^[+|]/.test(text) || /^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/.test(text)) {
    return "it looks like nvidia-smi's default table";
  }
  if (/^GPU \d+: .* \(UUID: GPU-/.test(text)) return 'it looks like `nvidia-smi -L`';
  if (/^(?:NVIDIA-SMI has failed|Failed to initialize NVML|Unable to determine)/.test(text)) {
    return 'it is an error message from nvidia-smi';
  }
  const fields = text.split(',').map((field) => field.trim());
  const header = /^[a-z][\w.]*(?: \[[^\]]+\])?$/i;
  if (fields.length > 1 && fields.every((field) => header.test(field))) {
    return 'it looks like a header row (LabDeck asks for `noheader`)';
  }
  if (fields.some((field) => /^\d+(?:\.\d+)? (?:MiB|W|%|MHz)$/.test(field))) {
    return 'its values carry units (LabDeck asks for `nounits`)';
  }
  return null;
}

/** `problem`, followed by a guess at which other nvidia-smi output `line` comes from. */
export function withGuess(problem: string, line: string): string {
  const guess = describeForeignLine(line);
  return guess === null ? problem : `${problem}; ${guess}`;
}

/**
 * The error for output LabDeck cannot read: which command, which line, what was expected and what
 * was found. Never a guess at the values: a misread GPU is worse than an unread one.
 */
export function unreadableOutput(
  code: string,
  argv: readonly string[],
  lineNumber: number,
  problem: string,
): AppError {
  const command = [NVIDIA_SMI, ...argv].join(' ');
  return {
    code,
    message: `\`${command}\` printed output LabDeck cannot read: line ${lineNumber}: ${problem}.`,
    hint:
      `Run \`${command}\` on the host and compare. A wrapper or alias named nvidia-smi, or a ` +
      'driver release LabDeck has not met yet, can change what it prints.',
  };
}
