import * as z from 'zod';
import { ENFORCEMENT_TIERS, type EnforcementTier } from '../../common/contract/sessions';
import { parseMicroShares } from '../../common/allocator-decimal';

/**
 * The Docker labels that make a container a LabDeck session. They are the truth of who holds
 * which GPU shares on a host (DESIGN.md §4): every laptop and every user reads the same labels,
 * so no allocation state lives anywhere else. Labels of other users' containers are untrusted
 * input: they are parsed, and a malformed one never throws.
 */

/** The session's id: 12 hex digits. */
export const SESSION_LABEL = 'labdeck.session';
/** The name the user gave (or LabDeck chose). */
export const NAME_LABEL = 'labdeck.name';
/** The Unix user who started it (also what the GPU list shows as a process's owner). */
export const OWNER_LABEL = 'labdeck.user';
/** JSON object: GPU (or MIG device) UUID → share as a decimal string. */
export const SHARES_LABEL = 'labdeck.gpu-shares';
/** The enforcement tier the session got. */
export const ENFORCEMENT_LABEL = 'labdeck.enforcement';
/** The service ports in the `ai.backend.service-ports` text form. */
export const PORTS_LABEL = 'labdeck.service-ports';
/** The LabDeck version that started it. */
export const VERSION_LABEL = 'labdeck.version';
/**
 * JSON array of the folders it mounts (issue 12): `{name, folderId, target, readOnly}` each, so
 * `sessions:list` shows them and `folders:trash` finds which session mounts a folder.
 */
export const MOUNTS_LABEL = 'labdeck.mounts';

/** One folder a session mounts, as its label records it. */
export interface SessionMountLabel {
  readonly name: string;
  readonly folderId: string;
  readonly target: string;
  readonly readOnly: boolean;
}

/** What a session's labels say. */
export interface SessionLabels {
  readonly id: string;
  readonly name: string;
  readonly owner: string;
  readonly shares: Readonly<Record<string, string>>;
  readonly enforcement: EnforcementTier | null;
  readonly servicePorts: string;
  /** The folders it mounts; `[]` for none (and for containers older than folders). */
  readonly mounts: readonly SessionMountLabel[];
}

/** 12 lowercase hex digits. */
export const SESSION_ID_PATTERN = /^[0-9a-f]{12}$/;

const mountsSchema = z
  .array(
    z.object({
      name: z.string().min(1).max(64),
      folderId: z.string().min(1).max(64),
      target: z.string().min(1).max(4096),
      readOnly: z.boolean(),
    }),
  )
  .max(256);

const sharesSchema = z.record(
  z.string().min(1).max(128),
  z.string().refine((text) => typeof parseMicroShares(text) === 'number'),
);

/** The labels to create a session's container with. */
export function sessionLabels(labels: SessionLabels, version: string): Record<string, string> {
  return {
    [SESSION_LABEL]: labels.id,
    [NAME_LABEL]: labels.name,
    [OWNER_LABEL]: labels.owner,
    [SHARES_LABEL]: JSON.stringify(labels.shares),
    ...(labels.enforcement ? { [ENFORCEMENT_LABEL]: labels.enforcement } : {}),
    [PORTS_LABEL]: labels.servicePorts,
    [VERSION_LABEL]: version,
    ...(labels.mounts.length > 0
      ? {
          [MOUNTS_LABEL]: JSON.stringify(
            labels.mounts.map(({ name, folderId, target, readOnly }) => ({
              name,
              folderId,
              target,
              readOnly,
            })),
          ),
        }
      : {}),
  };
}

/** The shares a label claims; `{}` for a missing or malformed one (it holds nothing). */
export function parseShares(text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  try {
    const parsed = sharesSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** The mounts a label records; `[]` for a missing or malformed one. */
export function parseMounts(text: string | undefined): SessionMountLabel[] {
  if (text === undefined) return [];
  try {
    const parsed = mountsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** What a container's labels say of it as a session; undefined when it is not one. */
export function readSessionLabels(
  labels: Readonly<Record<string, string>> | undefined,
): SessionLabels | undefined {
  const id = labels?.[SESSION_LABEL];
  if (!labels || id === undefined || !SESSION_ID_PATTERN.test(id)) return undefined;
  const tier = labels[ENFORCEMENT_LABEL];
  return {
    id,
    name: labels[NAME_LABEL] ?? id,
    owner: labels[OWNER_LABEL] ?? '',
    shares: parseShares(labels[SHARES_LABEL]),
    enforcement: (ENFORCEMENT_TIERS as readonly string[]).includes(tier ?? '')
      ? (tier as EnforcementTier)
      : null,
    servicePorts: labels[PORTS_LABEL] ?? '',
    mounts: parseMounts(labels[MOUNTS_LABEL]),
  };
}
