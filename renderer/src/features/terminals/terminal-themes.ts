import type { ITheme } from '@xterm/xterm';
import type { TerminalSettings } from '../../../../common/terminals/terminal-settings';

/** The dark terminal theme: the app's dark surface, with a readable ANSI palette. */
export const DARK_TERMINAL_THEME: ITheme = {
  background: '#16181d',
  foreground: '#d8dee9',
  cursor: '#d8dee9',
  selectionBackground: '#3b4252',
  black: '#2e3440',
  red: '#e06c75',
  green: '#98c379',
  yellow: '#e5c07b',
  blue: '#61afef',
  magenta: '#c678dd',
  cyan: '#56b6c2',
  white: '#d8dee9',
  brightBlack: '#5c6370',
  brightRed: '#ef8891',
  brightGreen: '#b5e890',
  brightYellow: '#f0d197',
  brightBlue: '#8cc6f7',
  brightMagenta: '#dba0ee',
  brightCyan: '#7fd3dc',
  brightWhite: '#ffffff',
};

/** The light terminal theme, with ANSI colours dark enough to read on white. */
export const LIGHT_TERMINAL_THEME: ITheme = {
  background: '#fbfbfc',
  foreground: '#24292f',
  cursor: '#24292f',
  selectionBackground: '#c8d7f0',
  black: '#24292f',
  red: '#cf222e',
  green: '#116329',
  yellow: '#8a6100',
  blue: '#0550ae',
  magenta: '#8250df',
  cyan: '#1b7c83',
  white: '#6e7781',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#1a7f37',
  brightYellow: '#633c01',
  brightBlue: '#218bff',
  brightMagenta: '#a475f9',
  brightCyan: '#3192aa',
  brightWhite: '#8c959f',
};

/** The xterm theme for a setting; `system` follows the OS's dark or light mode. */
export function terminalTheme(theme: TerminalSettings['theme'], systemDark: boolean): ITheme {
  if (theme === 'dark' || (theme === 'system' && systemDark)) return DARK_TERMINAL_THEME;
  return LIGHT_TERMINAL_THEME;
}
