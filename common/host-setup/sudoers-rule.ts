import { absolutePathSchema } from './lab-config';

/** The Unix group whose members may run the privileged helper through `sudo -n`. */
export const LABDECK_GROUP = 'labdeck';

/**
 * Characters a path in the sudo rule may have. sudoers gives `,` `:` `=` `\` `*` `?` `[` `!` and
 * white space meanings (lists, wildcards, negation), so a path with any of them is refused
 * rather than escaped: the rule must name exactly one program.
 */
const SUDOERS_SAFE_PATH = /^[A-Za-z0-9/._+-]+$/;

/** One helper the rule lets run: a system-wide Node and the agent bundle setup installed. */
export interface HelperCommand {
  readonly nodePath: string;
  readonly helperPath: string;
}

/** What the rule lets run: this version's helper, and those of other versions still installed. */
export interface SudoersRuleInput extends HelperCommand {
  readonly group?: string;
  /**
   * Helpers of other LabDeck versions installed beside this one, so laptops on another version
   * keep theirs while the lab upgrades (each exactly, with `--privileged`).
   */
  readonly also?: readonly HelperCommand[];
}

/**
 * The text of `/etc/sudoers.d/labdeck`: members of the `labdeck` group may run exactly
 * `NODE HELPER --privileged` as root without a password, and nothing else (sudo matches the
 * arguments exactly when a rule lists them). Throws for a path that is not absolute and plain.
 * Setup checks the file with `visudo -cf` before it moves it into place (0440, root).
 */
export function sudoersRule(input: SudoersRuleInput): string {
  const group = input.group ?? LABDECK_GROUP;
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(group)) throw new Error(`"${group}" is not a group name`);
  const commands: string[] = [];
  for (const helper of [input, ...(input.also ?? [])]) {
    for (const [field, path] of [
      ['nodePath', helper.nodePath],
      ['helperPath', helper.helperPath],
    ] as const) {
      if (!absolutePathSchema.safeParse(path).success || !SUDOERS_SAFE_PATH.test(path))
        throw new Error(
          `${field} must be an absolute path of letters, digits and / . _ + - only, not ${JSON.stringify(path)}`,
        );
    }
    const command = `${helper.nodePath} ${helper.helperPath} --privileged`;
    if (!commands.includes(command)) commands.push(command);
  }
  return [
    '# Written by LabDeck host setup; `labdeck host setup --undo` removes it.',
    `# Members of group ${group} may run LabDeck's privileged helper as root, and nothing else.`,
    `%${group} ALL=(root) NOPASSWD: ${commands.join(', ')}`,
    '',
  ].join('\n');
}
