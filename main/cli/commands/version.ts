import packageJson from '../../../package.json';
import type { CommandContext } from './command-table';

/** `labdeck version [--json]`: prints the version; imports nothing but package.json. */
export async function run(args: string[], { io }: CommandContext): Promise<number> {
  io.out(
    args.includes('--json')
      ? `${JSON.stringify({ version: packageJson.version })}\n`
      : `labdeck ${packageJson.version}\n`,
  );
  return 0;
}
