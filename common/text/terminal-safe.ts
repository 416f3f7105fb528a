/**
 * Escape sequences a terminal acts on: CSI (`ESC [ … final`, or the 8-bit `U+009B`), OSC, DCS,
 * SOS, PM and APC strings (up to BEL or `ESC \`), and two-byte `ESC x` sequences.
 */
const ESCAPE_SEQUENCE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -~]?/g;
/** Every other C0 and C1 control, DEL included, except tab and newline. */
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from a host (keyboard-interactive instructions, the agent's stderr, process and container
 * names) made safe to print on the user's terminal: escape sequences and control characters are
 * dropped, tabs and newlines kept. Without this a host could move the cursor, retitle the window,
 * overwrite a prompt with `\r`, or plant a fake one, as OpenSSH guards against with strnvis().
 */
export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL_CHARACTER, '');
}
