import packageJson from '../../../package.json';
import type { CommandContext } from './command-table';

/** `labdeck version [--json]`: prints the version; imports nothing but package.json. */
export async function run(_args: string[], { io, parsed }: CommandContext): Promise<number> {
  io.out(
    parsed.flags.has('json')
      ? `${JSON.stringify({ version: packageJson.version })}\n`
      : `labdeck ${packageJson.version}\n`,
  );
  return 0;
}
