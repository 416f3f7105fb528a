import * as z from 'zod';
import { volumeNameSchema } from './lab-config';

/**
 * The arguments of the privileged helper's operations (issue 11), parsed before the helper acts:
 * folder names inside a volume, lab-state names, Unix group names. Pure, so the app can check the
 * same rules before it asks, and the helper refuses anything else with the field and the rule.
 */

/** Most `/`-separated parts a folder path may have: deeper trees are not LabDeck folders. */
const MAX_FOLDER_SEGMENTS = 16;
/** Longest folder path inside a volume, in characters. */
const MAX_FOLDER_CHARS = 1024;
/** One part of a relative path: letters, digits, `.`, `_`, `-`; never `.` or `..` alone. */
const SAFE_SEGMENT = /^[A-Za-z0-9._-]{1,255}$/;

/** Why `path` is not a safe relative path (segments of {@link SAFE_SEGMENT}), or undefined. */
export function relativePathProblem(path: string, maxSegments: number): string | undefined {
  if (path.startsWith('/')) return 'must be relative, not start with "/"';
  const segments = path.split('/');
  if (segments.length > maxSegments) return `must have at most ${maxSegments} parts`;
  for (const segment of segments) {
    if (segment === '') return 'must not have an empty part ("//" or a trailing "/")';
    if (segment === '.' || segment === '..') return `must not have a "${segment}" part`;
    if (!SAFE_SEGMENT.test(segment))
      return `part "${segment}" may have only letters, digits, ".", "_" and "-"`;
  }
  return undefined;
}

/** A folder inside a volume, relative to the volume's directory: `alice/data`. */
export const folderPathSchema = z
  .string()
  .min(1)
  .max(MAX_FOLDER_CHARS)
  .superRefine((path, context) => {
    const problem = relativePathProblem(path, MAX_FOLDER_SEGMENTS);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });

/** A folder the helper acts on: a configured volume's name and a path inside it. */
export const folderRefSchema = z
  .object({ volume: volumeNameSchema, folder: folderPathSchema })
  .strict();
export type FolderRef = z.infer<typeof folderRefSchema>;

/** A uid another user has: a non-negative 32-bit integer (4294967295 is "no user"). */
export const uidSchema = z.number().int().min(0).max(0xfffffffe);

/** Access a grant gives: read-only, read-write, read-write-delete (DESIGN.md §5). */
export const FOLDER_ACCESS = ['ro', 'rw', 'wd'] as const;
export type FolderAccess = (typeof FOLDER_ACCESS)[number];

/** A lab-state entry's name, unique per caller: `invitations`, `leases.gpu0`. */
export const stateNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'must be 1–64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

/** The biggest lab-state value, as JSON text in bytes: state is small records, not data. */
export const MAX_STATE_VALUE_BYTES = 64 * 1024;

/** Bytes of `text` in UTF-8, without Node's Buffer. */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Any JSON value up to {@link MAX_STATE_VALUE_BYTES} when written out. */
export const stateValueSchema = z.unknown().superRefine((value, context) => {
  const text = value === undefined ? undefined : JSON.stringify(value);
  if (text === undefined) context.addIssue({ code: 'custom', message: 'must be a JSON value' });
  else if (utf8Bytes(text) > MAX_STATE_VALUE_BYTES)
    context.addIssue({
      code: 'custom',
      message: `must be at most ${MAX_STATE_VALUE_BYTES} bytes as JSON (it is ${utf8Bytes(text)})`,
    });
});

/** A Unix group name (the portable set), as `groupAdmins` keys it. */
export const groupNameSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a Unix group name');

/**
 * Accepts anything, unparsed: what the helper's audit layer hands the shared dispatch, because
 * it parses each call's params itself (with the operation's schema) so that a malformed call is
 * logged like any other.
 */
export const unparsedSchema = z.unknown();
