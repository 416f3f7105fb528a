import { refuse } from './privileged-refusal';
import { runTool } from './system-tools';

/** Root's uid: the caller when root runs the helper itself, without sudo. */
export const ROOT_UID = 0;

/**
 * Who asked: `SUDO_UID`, which sudo sets to the invoking user's uid (and which a user cannot
 * choose: sudo's env_reset replaces it). Without it the helper serves only root running it
 * directly (real uid 0). Decimal digits only; anything else is refused.
 */
export function callerUidFrom(env: NodeJS.ProcessEnv, realUid: number): number {
  const sudoUid = env.SUDO_UID;
  if (sudoUid === undefined) {
    if (realUid === ROOT_UID) return ROOT_UID;
    throw refuse(
      'privileged-no-caller',
      `The privileged LabDeck helper runs only through sudo (SUDO_UID is not set and the real uid is ${realUid}, not root).`,
      'Let LabDeck run it: sudo -n NODE HELPER --privileged, as the sudo rule of host setup allows.',
    );
  }
  const uid = Number(sudoUid);
  if (!/^\d{1,10}$/.test(sudoUid) || !Number.isSafeInteger(uid) || uid > 0xfffffffe)
    throw refuse(
      'privileged-no-caller',
      `The privileged LabDeck helper cannot tell who called it: SUDO_UID is ${JSON.stringify(sudoUid)}, not a decimal uid.`,
    );
  return uid;
}

/** A passwd entry's name and primary group, as getent prints it. */
export interface PasswdUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * The user with `uid`, or undefined when NSS knows none: `getent passwd UID` (argv, no shell), so
 * LDAP and SSSD users count like /etc/passwd ones.
 */
export async function lookupUid(uid: number): Promise<PasswdUser | undefined> {
  const { code, stdout } = await runTool('getent', ['passwd', String(uid)]);
  if (code !== 0) return undefined;
  const [name, , uidText, gidText] = stdout.split('\n')[0]?.split(':') ?? [];
  if (name === undefined || Number(uidText) !== uid) return undefined;
  return { name, uid, gid: Number(gidText) };
}
