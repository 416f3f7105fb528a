/**
 * GPU memory in the one unit the window and the CLI show: GiB, with one decimal. nvidia-smi
 * reports MiB, and the JSON keeps MiB; only what people read is converted.
 */

/** MiB in a GiB. */
export const MIB_PER_GIB = 1024;

/** `12.3` for 12 595 MiB: the GiB number with one decimal, no unit. */
export function gibNumber(mib: number): string {
  return (mib / MIB_PER_GIB).toFixed(1);
}

/** "12.3 GiB"; `unknown` where the GPU does not say. */
export function gibText(mib: number | null, unknown: string): string {
  return mib === null ? unknown : `${gibNumber(mib)} GiB`;
}

/** "12.3 / 80.0 GiB" (one unit for both), with `unknown` for a side the GPU does not report. */
export function gibUsedOfTotal(
  usedMiB: number | null,
  totalMiB: number | null,
  unknown: string,
): string {
  const used = usedMiB === null ? unknown : gibNumber(usedMiB);
  const total = totalMiB === null ? unknown : gibNumber(totalMiB);
  return `${used} / ${total} GiB`;
}
