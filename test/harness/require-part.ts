import { accessSync, constants, readFileSync } from 'node:fs';
import { describe } from 'vitest';

/** One real part a test can need: how to tell it is here, and how to install it when it is not. */
export interface PartSpec {
  /** Synchronous so that it can decide at collection time, before `describe` bodies run. */
  readonly present: () => boolean;
  /** What a developer runs to get the part (shown in skip titles and CI failures). */
  readonly install: string;
}

/** True when `path` exists and may be executed by this process. */
function isExecutableSync(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A file's text, or '' when it cannot be read. */
function readTextSync(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Spec for a part that is one Debian binary at a fixed path; the harness runs that path. */
function debianBinary(path: string, aptPackage: string): PartSpec & { readonly path: string } {
  return { path, present: () => isExecutableSync(path), install: `apt-get install ${aptPackage}` };
}

/**
 * The real parts the integration and e2e suites use, by the name tests ask for.
 * Paths are Debian 12's; `.ci/run` installs every one of them.
 */
export const PARTS = {
  root: {
    present: () => process.getuid?.() === 0,
    install: 'run the tests as root (sshd privilege separation, useradd and dockerd need it)',
  },
  sshd: debianBinary('/usr/sbin/sshd', 'openssh-server'),
  'ssh-keygen': debianBinary('/usr/bin/ssh-keygen', 'openssh-client'),
  dockerd: debianBinary('/usr/sbin/dockerd', 'docker.io'),
  /** The distribution registry, which tests push to and pull from on 127.0.0.1. */
  'docker-registry': debianBinary('/usr/bin/docker-registry', 'docker-registry'),
  busybox: debianBinary('/usr/bin/busybox', 'busybox-static'),
  tar: debianBinary('/usr/bin/tar', 'tar'),
  chromium: debianBinary('/usr/bin/chromium', 'chromium'),
  xfs: debianBinary('/usr/sbin/mkfs.xfs', 'xfsprogs'),
  acl: debianBinary('/usr/bin/setfacl', 'acl'),
  sudo: debianBinary('/usr/bin/sudo', 'sudo'),
  /** util-linux `script`: runs the CLI in a real pseudo-terminal. */
  script: debianBinary('/usr/bin/script', 'bsdutils'),
  /** NSS answers from userdb drop-ins (/run/userdb): users that exist outside /etc/passwd. */
  'nss-systemd': {
    present: () =>
      isExecutableSync('/usr/bin/getent') &&
      /^passwd:.*\bsystemd\b/m.test(readTextSync('/etc/nsswitch.conf')),
    install:
      "apt-get install libnss-systemd (and 'systemd' on the passwd: line of /etc/nsswitch.conf)",
  },
} as const satisfies Record<string, PartSpec>;

/** Name of a part in {@link PARTS}. */
export type PartName = keyof typeof PARTS;

/** True when the run is CI's, where a missing part must fail instead of skip. */
export function isCi(): boolean {
  return process.env.CI === 'true';
}

/**
 * Decide whether a test that needs a real part runs.
 *
 * Returns true when the part is available, false when it is not (the caller skips). Under
 * `CI=true` a missing part throws an Error naming it and `remedy` instead, so CI can never go
 * green by skipping the tests that matter (DESIGN.md §6: "no test is skipped in CI").
 */
export function requirePart(name: string, available: boolean, remedy: string): boolean {
  if (available) return true;
  if (isCi()) {
    throw new Error(
      `Required test part "${name}" is missing: ${remedy}. ` +
        'CI=true, so the run fails instead of skipping (see .ci/run).',
    );
  }
  return false;
}

/** The names among `names` whose part is missing here (none under CI: there it throws). */
export function missingParts(names: readonly PartName[]): PartName[] {
  return names.filter((name) => {
    const part: PartSpec = PARTS[name];
    return !requirePart(name, part.present(), part.install);
  });
}

/** True when every named part is here; for `it.skipIf(!haveParts('sshd'))` or `ctx.skip()`. */
export function haveParts(...names: PartName[]): boolean {
  return missingParts(names).length === 0;
}

/**
 * `describe` that runs only where every named part is present.
 *
 * Locally a missing part skips the block and says why in its title, e.g.
 * `sshd harness [skipped, missing: sshd (apt-get install openssh-server)]`. Under CI=true the
 * missing part throws while the file is collected, which fails the file and the run.
 *
 * @example
 * describeWithParts(['root', 'sshd'], 'known hosts over a real sshd', () => { ... });
 */
export function describeWithParts(names: readonly PartName[], title: string, fn: () => void): void {
  const missing = missingParts(names);
  if (missing.length === 0) {
    describe(title, fn);
    return;
  }
  const why = missing.map((name) => `${name} (${PARTS[name].install})`).join(', ');
  describe.skip(`${title} [skipped, missing: ${why}]`, fn);
}
