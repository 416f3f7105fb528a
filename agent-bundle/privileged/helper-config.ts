import { readFile } from 'node:fs/promises';
import { labConfigSchema, type LabConfig } from '../../common/host-setup/lab-config';
import { describeIssues } from '../../common/contract/validation';
import { refuse, type PrivilegedRefusal } from './privileged-refusal';

/** The fix for a host whose configuration is missing or broken. */
const SETUP_HINT = 'Run `labdeck host setup HOST` (as an admin) to write it.';

/** The lab configuration, or why there is none to act on. */
export type HelperConfig =
  | { readonly ok: true; readonly config: LabConfig }
  | { readonly ok: false; readonly refusal: PrivilegedRefusal };

/**
 * Reads `ROOT/etc/labdeck/config.json` once, at start. Missing or invalid is not fatal (ping
 * still answers); every operation that needs volumes or admins is refused with the reason.
 */
export async function loadHelperConfig(configFile: string): Promise<HelperConfig> {
  let text: string;
  try {
    text = await readFile(configFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    return notReady(`${configFile} ${why}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return notReady(`${configFile} is not JSON (${(error as Error).message})`);
  }
  const parsed = labConfigSchema.safeParse(raw);
  if (!parsed.success)
    return notReady(`${configFile} is not valid: ${describeIssues(parsed.error)}`);
  return { ok: true, config: parsed.data };
}

function notReady(why: string): HelperConfig {
  return {
    ok: false,
    refusal: refuse(
      'privileged-config-missing',
      `LabDeck is not set up on this host: the lab configuration ${why}.`,
      SETUP_HINT,
    ),
  };
}

/** The configuration, or throws the refusal saying why there is none. */
export function requireConfig(config: HelperConfig): LabConfig {
  if (!config.ok) throw config.refusal;
  return config.config;
}
