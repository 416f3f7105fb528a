/**
 * Quotes one argument for a POSIX shell. SSH exec runs a command line through the remote user's
 * shell, so every argument we send is quoted here — never concatenated from user input.
 */
export function quoteArg(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

/** Joins an argv array into one safely quoted POSIX command line. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}
