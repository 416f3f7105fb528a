import { absolutePathSchema } from './lab-config';

/**
 * Every system path LabDeck reads or writes on a host, under one root (issue 11): `/` on a real
 * host; a temporary directory in tests, named by `LABDECK_SYSTEM_ROOT` (or `host setup --root`),
 * so setup and the privileged helper run for real without touching the machine's own files.
 */

/** The environment variable that moves every system path under a root. */
export const SYSTEM_ROOT_ENV = 'LABDECK_SYSTEM_ROOT';

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
  /** `/opt/labdeck/agent/VERSION/`: the system-wide agent of one version. */
  agentDir(version: string): string;
  /** XFS's project files. */
  readonly projid: string;
  readonly projects: string;
  /** `/etc/sudoers.d/labdeck`: the rule that lets the `labdeck` group run the helper. */
  readonly sudoersFile: string;
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
    agentDir: (version) => {
      if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(version))
        throw new Error(`"${version}" is not a version`);
      return at(`/opt/labdeck/agent/${version}`);
    },
    projid: at('/etc/projid'),
    projects: at('/etc/projects'),
    sudoersFile: at('/etc/sudoers.d/labdeck'),
  };
}
