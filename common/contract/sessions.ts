import * as z from 'zod';
import { dotfileReportSchema } from '../dotfiles/dotfile-store';
import { groupNameSchema } from '../host-setup/privileged-ops';
import { SERVICE_PORT_PROTOCOLS } from '../service-ports';
import type { RequestSpec, StreamSpec } from './specs';

/** How strongly a session's GPU fractions are held to (DESIGN.md §4). */
export const ENFORCEMENT_TIERS = ['exclusive', 'mig', 'mps', 'hami', 'none'] as const;
/** A session's enforcement tier: `none` is "shared, not enforced". */
export type EnforcementTier = (typeof ENFORCEMENT_TIERS)[number];

/** A session's state as Docker reports it (`created`, `running`, `exited`…). */
export const sessionStatusSchema = z.enum([
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
]);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

/** One service port of a session and where the laptop reaches it. */
export const sessionPortSchema = z.object({
  name: z.string(),
  protocol: z.enum(SERVICE_PORT_PROTOCOLS),
  containerPort: z.number().int(),
  /** `http://127.0.0.1:PORT/` (or `tcp://…`) while forwarded to the laptop; null when not. */
  localUrl: z.string().nullable(),
});
export type SessionPort = z.infer<typeof sessionPortSchema>;

/**
 * A session as lists, detail views and `--json` show it. Every key is always present (null where
 * unknown); keys are only ever added.
 */
export const sessionSchema = z.object({
  /** LabDeck's id of the session (the container's `labdeck.session` label), 12 hex digits. */
  id: z.string(),
  name: z.string(),
  /** The LabDeck host it runs on, by name. */
  host: z.string(),
  /** The Unix user on that host who started it. */
  owner: z.string(),
  /** Whether the owner is the user LabDeck acts as there: others' sessions are read-only. */
  mine: z.boolean(),
  image: z.string(),
  status: sessionStatusSchema,
  /** Docker's own words for the state (`Up 3 minutes`, `Exited (0) 2 hours ago`). */
  statusText: z.string(),
  /** GPU (or MIG device) UUID → share, as a decimal string; `{}` for a session without GPUs. */
  gpuShares: z.record(z.string(), z.string()),
  enforcement: z.enum(ENFORCEMENT_TIERS).nullable(),
  ports: z.array(sessionPortSchema),
  /** ISO 8601. */
  createdAt: z.string(),
  containerId: z.string(),
  /** The folders it mounts (issue 12), as its labels record them; `[]` for none. */
  mounts: z.array(
    z.object({ name: z.string(), folderId: z.string(), target: z.string(), readOnly: z.boolean() }),
  ),
});
export type Session = z.infer<typeof sessionSchema>;

/** One `K=V` environment entry; K as a shell variable name. */
const envEntry = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*=/, 'must be NAME=VALUE, NAME of letters, digits and _');

/** What Start sends: the form's fields, or the CLI's flags, as typed (main checks them all). */
export const sessionStartSchema = z
  .object({
    hostId: z.string().min(1),
    image: z.string().min(1).max(512),
    /** GPU shares as a decimal string ("1.5"); "0" or absent for no GPU. */
    gpus: z.string().max(32).optional(),
    /** CPUs as a decimal ("4", "0.5"). */
    cpus: z.string().max(32).optional(),
    /** Memory limit: bytes or with a unit (`16g`, `512m`, `64GiB`). */
    memory: z.string().max(32).optional(),
    /** Size of /dev/shm, same syntax as memory. */
    shm: z.string().max(32).optional(),
    env: z.array(envEntry).max(256).optional(),
    /** Service ports in the label's text form (`jupyter:http:8888,tb:http:6006`). */
    ports: z.string().max(4096).optional(),
    /** Run `/bin/sh -c COMMAND` instead of the image's command or the keep-alive. */
    command: z.string().max(16_384).optional(),
    name: z.string().max(64).optional(),
    /** Forward its service ports to the laptop at once (the window does; the CLI has `forward`). */
    forward: z.boolean().optional(),
    /**
     * Folders mounted at `/home/work/NAME` (issue 12): read-only when asked or when the user's
     * permission is `ro`. The user's dot-folders (`.local`) are mounted without being named.
     */
    mounts: z
      .array(
        z
          .object({ name: z.string().min(1).max(64), readOnly: z.boolean().default(false) })
          .strict(),
      )
      .max(64)
      .optional(),
    /**
     * The Unix group whose dotfiles apply (issue 13), besides the user's own and the lab's;
     * default the user's primary group. The user must be in it.
     */
    group: groupNameSchema.optional(),
  })
  .strict();
export type SessionStartInput = z.input<typeof sessionStartSchema>;

/** A session just started, with what became of its dotfiles (written, skipped and why). */
export const startedSessionSchema = sessionSchema.extend({ dotfiles: dotfileReportSchema });
export type StartedSession = z.infer<typeof startedSessionSchema>;

/** A request about one session: its id or name, optionally on a given host. */
const sessionRef = z
  .object({ session: z.string().min(1).max(128), hostId: z.string().min(1).optional() })
  .strict();

/** One GPU as the start form's preview shows it. */
export const sessionGpuSchema = z.object({
  uuid: z.string(),
  index: z.number().int(),
  name: z.string(),
  memoryTotalMiB: z.number().int().nullable(),
  /** Shares held by sessions now, as a decimal string. */
  allocated: z.string(),
  /** Shares still free. */
  free: z.string(),
});

/** What the allocator would give: the form shows it before Start. */
export const sessionPreviewSchema = z.object({
  gpus: z.array(sessionGpuSchema),
  /** UUID → share; absent when the amount cannot be given (then `error` says why). */
  shares: z.record(z.string(), z.string()).nullable(),
  /** GiB of the chosen GPUs' memory that the shares stand for, per UUID. */
  memoryGiB: z.record(z.string(), z.number()).nullable(),
  enforcement: z.enum(ENFORCEMENT_TIERS).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type SessionPreview = z.infer<typeof sessionPreviewSchema>;

/** An image on a host, for the form's list. */
export const sessionImageSchema = z.object({
  /** `repo:tag`, or the short id for an untagged image. */
  ref: z.string(),
  id: z.string(),
  sizeBytes: z.number(),
  /** Its `ai.backend.service-ports` label, which prefills the form; null without one. */
  servicePorts: z.string().nullable(),
});

/** A forward from the laptop to one service port of a session. */
export const sessionForwardSchema = z.object({
  name: z.string(),
  localPort: z.number().int(),
  localUrl: z.string(),
});

/** Requests about sessions: containers LabDeck starts on a host with GPU shares and services. */
export const sessionsRequests = {
  'sessions:list': {
    input: z.object({ hostId: z.string().min(1).optional() }).strict(),
    output: z.object({
      sessions: z.array(sessionSchema),
      /** Connected hosts whose sessions could not be listed, and why (never silently empty). */
      unreachable: z.array(z.object({ hostId: z.string(), host: z.string(), message: z.string() })),
    }),
    summary:
      "Every LabDeck session on one host (or on every connected host), others' included, read-only; hosts that could not be asked are named.",
  },
  'sessions:start': {
    input: sessionStartSchema,
    output: startedSessionSchema,
    summary:
      'Checks the form, allocates GPU shares under the host-wide lease, creates and starts the container.',
  },
  'sessions:preview': {
    input: z.object({ hostId: z.string().min(1), gpus: z.string().max(32) }).strict(),
    output: sessionPreviewSchema,
    summary: "Each GPU's free share now and the shares a request for `gpus` would get.",
  },
  'sessions:images': {
    input: z.object({ hostId: z.string().min(1) }).strict(),
    output: z.array(sessionImageSchema),
    summary: "The host's images, with the service ports each declares.",
  },
  'sessions:stop': {
    input: sessionRef,
    output: sessionSchema,
    summary: 'Stops a session of yours (its container stays, with its shares released).',
  },
  'sessions:restart': {
    input: sessionRef,
    output: sessionSchema,
    summary: 'Restarts a session of yours, checking its GPU shares are still free.',
  },
  'sessions:remove': {
    input: sessionRef,
    output: z.object({ id: z.string() }),
    summary: 'Stops and removes a session of yours and its forwards.',
  },
  'sessions:forward': {
    input: sessionRef.extend({
      name: z.string().min(1).max(32),
      localPort: z.number().int().min(0).max(65535).optional(),
    }),
    output: sessionForwardSchema,
    summary:
      "Forwards one service port to 127.0.0.1 on the laptop through the host's connection (kept while LabDeck runs).",
  },
  'sessions:wait-service': {
    input: sessionRef.extend({ name: z.string().min(1).max(32) }),
    output: sessionForwardSchema,
    summary:
      'Forwards an http service and waits until it answers (what Open does before the browser).',
  },
} as const satisfies Record<string, RequestSpec>;

/** Byte streams of sessions. */
export const sessionsStreams = {
  'sessions:logs': {
    input: sessionRef.extend({ follow: z.boolean().default(false) }),
    summary: "A session's output (stdout and stderr as the container wrote them), then follows it.",
  },
  'sessions:pull': {
    input: z.object({ hostId: z.string().min(1), image: z.string().min(1).max(512) }).strict(),
    summary:
      'Pulls an image onto a host from its registry; the bytes are JSON lines of progress (common/contract/pull-progress.ts).',
  },
} as const satisfies Record<string, StreamSpec>;
