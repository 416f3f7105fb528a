import { absolutePathSchema } from './lab-config';

/**
 * Every system path LabDeck reads or writes on a host, under one root (issue 11): `/` on a real
 * host; a temporary directory in tests, named by `LABDECK_SYSTEM_ROOT` (or `host setup --root`),
 * so setup and the privileged helper run for real without touching the machine's own files.
 */

/** The environment variable that moves every system path under a root. */
export const SYSTEM_ROOT_ENV = 'LABDECK_SYSTEM_ROOT';

/** The installed bundle's file name in its version directory. */
export const AGENT_FILE_NAME = 'labdeck-agent.cjs';

const VERSION_PATTERN = /^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

function checkedVersion(version: string): string {
  if (!VERSION_PATTERN.test(version)) throw new Error(`"${version}" is not a version`);
  return version;
}

/** Where LabDeck's system files are, under one root. */
export interface SystemPaths {
  readonly root: string;
  /** `/etc/labdeck` and its `config.json`. */
  readonly configDir: string;
  readonly configFile: string;
  /** `/var/lib/labdeck`: lab-wide state (locks, invitations). */
  readonly stateDir: string;
  /** `/var/log/labdeck` and the helper's `privileged.log`. */
  readonly logDir: string;
  readonly privilegedLog: string;
  /** `/var/lib/labdeck/locks`: the allocation lease directory every user's agent shares (0777). */
  readonly locksDir: string;
  /** `/var/lib/labdeck/setup`: what host setup changed and the files it replaced, for `--undo`. */
  readonly setupDir: string;
  /** `/opt/labdeck/agent/VERSION/`: the system-wide agent of one version. */
  agentDir(version: string): string;
  /** `/opt/labdeck/agent/VERSION/labdeck-agent.cjs`: the bundle the sudo rule names. */
  agentFile(version: string): string;
  /** `/opt/labdeck/agent/VERSION/install.json`: the Node and helper the sudo rule names. */
  installRecord(version: string): string;
  /** `/opt/labdeck/node/vVERSION/bin/node`: the Node setup installs where the host has none. */
  nodeFile(nodeVersion: string): string;
  /** `/etc/sudoers.d`, where the rule goes. */
  readonly sudoersDir: string;
  /** XFS's project files. */
  readonly projid: string;
  readonly projects: string;
  /** `/etc/sudoers.d/labdeck`: the rule that lets the `labdeck` group run the helper. */
  readonly sudoersFile: string;
  /** `/var/lib/labdeck/folders.json`: every folder and invitation (root's, 0644; issue 12). */
  readonly foldersFile: string;
}

/** `base` + `/` + `tail` for absolute posix paths, without a doubled slash under `/`. */
function under(root: string, absolute: string): string {
  return root === '/' ? absolute : `${root}${absolute}`;
}

/**
 * The system paths under `root` (absolute and normalized; `/` by default). Throws for a root
 * that is relative or has `..` in it: every path derived from it must stay inside it.
 */
export function systemPaths(root = '/'): SystemPaths {
  const checked = absolutePathSchema.parse(root);
  const at = (absolute: string): string => under(checked, absolute);
  return {
    root: checked,
    configDir: at('/etc/labdeck'),
    configFile: at('/etc/labdeck/config.json'),
    stateDir: at('/var/lib/labdeck'),
    logDir: at('/var/log/labdeck'),
    privilegedLog: at('/var/log/labdeck/privileged.log'),
    locksDir: at('/var/lib/labdeck/locks'),
    setupDir: at('/var/lib/labdeck/setup'),
    agentDir: (version) => at(`/opt/labdeck/agent/${checkedVersion(version)}`),
    agentFile: (version) => at(`/opt/labdeck/agent/${checkedVersion(version)}/${AGENT_FILE_NAME}`),
    installRecord: (version) => at(`/opt/labdeck/agent/${checkedVersion(version)}/install.json`),
    nodeFile: (nodeVersion) => at(`/opt/labdeck/node/v${checkedVersion(nodeVersion)}/bin/node`),
    sudoersDir: at('/etc/sudoers.d'),
    projid: at('/etc/projid'),
    projects: at('/etc/projects'),
    sudoersFile: at('/etc/sudoers.d/labdeck'),
    foldersFile: at('/var/lib/labdeck/folders.json'),
  };
}

/**
 * The root a helper installed at `bundlePath` (a real path) serves, or undefined when the bundle
 * is not where host setup installs version `version` under any root. The privileged helper takes
 * its root from here, never from the environment: sudo does not pass `LABDECK_SYSTEM_ROOT`, and
 * a caller must not be able to point root's work at files of their choosing.
 */
export function rootOfInstalledAgent(bundlePath: string, version: string): string | undefined {
  const tail = `/opt/labdeck/agent/${checkedVersion(version)}/${AGENT_FILE_NAME}`;
  if (!bundlePath.endsWith(tail)) return undefined;
  const root = bundlePath.slice(0, -tail.length) || '/';
  return absolutePathSchema.safeParse(root).success ? root : undefined;
}
