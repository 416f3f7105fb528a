import type { GpuDriverFailure, GpuProcess, MigMode } from '../../../../common/gpu/gpu';
import { processContainerText, processOwnerText } from '../../../../common/gpu/gpu-availability';
import { gibText } from '../../../../common/gpu/gpu-memory';

/** What a card shows where the driver does not say (`[N/A]`, `[Not Supported]`). */
export const UNKNOWN_VALUE = 'n/a';

/** GPU memory in the one unit the window uses: "0.5 GiB", "39.4 GiB"; n/a when unknown. */
export function formatMiB(mib: number | null): string {
  return gibText(mib, UNKNOWN_VALUE);
}

/** "12.3 GiB of 80.0 GiB", or what is known of it. */
export function memoryText(usedMiB: number | null, totalMiB: number | null): string {
  return `${formatMiB(usedMiB)} of ${formatMiB(totalMiB)}`;
}

/** The share of memory used, 0–1, for the bar; null when either side is unknown. */
export function memoryFraction(usedMiB: number | null, totalMiB: number | null): number | null {
  if (usedMiB === null || totalMiB === null || totalMiB <= 0) return null;
  return Math.min(1, Math.max(0, usedMiB / totalMiB));
}

/** "87 %"; n/a when unknown. */
export function percentText(pct: number | null): string {
  return pct === null ? UNKNOWN_VALUE : `${Math.round(pct)} %`;
}

/** "54 °C"; n/a when unknown. */
export function temperatureText(celsius: number | null): string {
  return celsius === null ? UNKNOWN_VALUE : `${Math.round(celsius)} °C`;
}

/** "433.8 W"; n/a when unknown. */
export function powerText(watts: number | null): string {
  return watts === null ? UNKNOWN_VALUE : `${watts.toFixed(1)} W`;
}

/** "On", "Off", or "Not supported" where the GPU cannot do MIG. */
export function migModeText(mode: MigMode): string {
  if (mode === null) return 'Not supported';
  return mode === 'enabled' ? 'On' : 'Off';
}

/** One line of "Used by": who runs the process and in which container. */
export interface ProcessLine {
  readonly key: string;
  readonly user: string;
  /** Container name, a short id while the name is not known, or "no container". */
  readonly container: string;
  readonly memory: string | null;
}

/**
 * "Used by" lines for a GPU's processes: user and container, never a bare PID alone (the PID is
 * a host PID, meaningless inside a container). Empty means the GPU is free.
 */
export function processLines(processes: readonly GpuProcess[]): ProcessLine[] {
  return processes.map((process) => ({
    key: String(process.pid),
    user: processOwnerText(process),
    container: processContainerText(process) ?? `no container (PID ${process.pid})`,
    memory: process.usedMemoryMiB === null ? null : formatMiB(process.usedMemoryMiB),
  }));
}

/** The driver-failure code of a host without `nvidia-smi`: most likely one without NVIDIA GPUs. */
export const NVIDIA_SMI_NOT_FOUND_CODE = 'gpu-nvidia-smi-not-found';

/**
 * Whether a driver failure is worth a red error. A missing `nvidia-smi` is not: on a host
 * without NVIDIA GPUs it is the normal state, so the card shows a neutral note instead.
 */
export function isDriverError(failure: GpuDriverFailure): boolean {
  return failure.code !== NVIDIA_SMI_NOT_FOUND_CODE;
}

/** "12:04", the time of day of a reading in the user's locale (ms since the epoch). */
export function timeOfDay(at: number, locale?: string): string {
  return new Date(at).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}
