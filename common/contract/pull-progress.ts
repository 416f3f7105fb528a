import * as z from 'zod';

/**
 * One summary of an image pull so far, as the `sessions:pull` stream sends it. Bytes count what
 * was downloaded (compressed layers); `bytesTotal` is null while a layer still to download has not
 * told its size (Docker says it only when that layer starts).
 */
export const pullProgressLineSchema = z
  .object({
    /** Docker's word for the latest step (`Downloading`, `Extracting`, `Pull complete`…). */
    status: z.string(),
    /** Layers that are in place: extracted now, or already on the host. */
    layersDone: z.number().int().nonnegative(),
    layersTotal: z.number().int().nonnegative(),
    bytesDone: z.number().int().nonnegative(),
    bytesTotal: z.number().int().nonnegative().nullable(),
  })
  .strict();
/** A progress summary of a pull (see {@link pullProgressLineSchema}). */
export type PullProgressLine = z.infer<typeof pullProgressLineSchema>;

/** The last line of a pull that succeeded: the image as pulled and its id (`sha256:…`). */
export const pullDoneLineSchema = z
  .object({ done: z.literal(true), image: z.string(), id: z.string() })
  .strict();
/** The last line of a successful pull. */
export type PullDoneLine = z.infer<typeof pullDoneLineSchema>;

/** Any line of the `sessions:pull` stream. A failed pull ends the stream with an AppError instead. */
export const pullLineSchema = z.union([pullDoneLineSchema, pullProgressLineSchema]);
/** Any line of the `sessions:pull` stream. */
export type PullLine = z.infer<typeof pullLineSchema>;

/** Whether `line` is the final line of a successful pull. */
export function isPullDone(line: PullLine): line is PullDoneLine {
  return 'done' in line;
}

/** The bytes of one line as the stream carries it: JSON and a newline. */
export function encodePullLine(line: PullLine): string {
  return `${JSON.stringify(line)}\n`;
}

/**
 * Turns the stream's chunks back into parsed lines. A chunk may end inside a line (or inside a
 * UTF-8 character); the rest is kept until the next chunk completes it. A line that is not a
 * pull line throws: the services and this reader are then from different LabDeck versions.
 */
export class PullLineReader {
  private readonly decoder = new TextDecoder();
  private pending = '';

  /** The lines `bytes` completes, in order. */
  push(bytes: Uint8Array): PullLine[] {
    this.pending += this.decoder.decode(bytes, { stream: true });
    const parts = this.pending.split('\n');
    this.pending = parts.pop() ?? '';
    return parts.filter((text) => text.trim() !== '').map(parsePullLine);
  }

  /** Call when the stream has ended: the last line if it lacked its newline. */
  end(): PullLine[] {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    return rest.trim() === '' ? [] : [parsePullLine(rest)];
  }
}

/** Parses one line of text; throws naming the line when it is not a pull line. */
export function parsePullLine(text: string): PullLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`not a pull progress line (not JSON): ${text.slice(0, 200)}`);
  }
  const parsed = pullLineSchema.safeParse(json);
  if (!parsed.success) throw new Error(`not a pull progress line: ${text.slice(0, 200)}`);
  return parsed.data;
}

/** Byte units for {@link formatBytes}, decimal as Docker prints them. */
const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;
const BYTES_PER_UNIT = 1000;

/** `1.07 MB`, `512 B`: a byte count as Docker's own progress shows it. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= BYTES_PER_UNIT && unit < BYTE_UNITS.length - 1) {
    value /= BYTES_PER_UNIT;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${BYTE_UNITS[unit]}`;
}

/**
 * One line of text for a progress summary, for the CLI and the form:
 * `Downloading: 1 of 3 layers, 12.5 MB of 80.1 MB (15%)`; `Pulling…` while no layer is known.
 */
export function describePullProgress(line: PullProgressLine): string {
  if (line.layersTotal === 0) return `${line.status}…`;
  const layers = `${line.layersDone} of ${line.layersTotal} layer${line.layersTotal === 1 ? '' : 's'}`;
  if (line.bytesTotal === null || line.bytesTotal === 0)
    return `${line.status}: ${layers}, ${formatBytes(line.bytesDone)}`;
  const percent = Math.floor((line.bytesDone * 100) / line.bytesTotal);
  return `${line.status}: ${layers}, ${formatBytes(line.bytesDone)} of ${formatBytes(line.bytesTotal)} (${percent}%)`;
}

/** Longest image reference LabDeck passes on (Docker's own limit on a name is 255 characters). */
export const IMAGE_REFERENCE_MAX_CHARS = 512;
/** Characters of an image reference: no spaces, control characters, quotes or leading dash. */
const IMAGE_REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/;

/**
 * Why `image` cannot be an image reference, or undefined when it may be one. A first check shared
 * by the form and main; Docker checks the full grammar (lowercase names, tag length) itself.
 */
export function imageReferenceProblem(image: string): string | undefined {
  if (image.length === 0) return 'Give an image to pull, like ubuntu:24.04.';
  if (image.length > IMAGE_REFERENCE_MAX_CHARS)
    return `An image reference is at most ${IMAGE_REFERENCE_MAX_CHARS} characters.`;
  if (!IMAGE_REFERENCE_PATTERN.test(image))
    return `"${image.replace(/[^\x20-\x7e]/g, '?')}" is not an image reference: it must start with a letter or digit and hold no spaces, quotes or control characters.`;
  return undefined;
}
