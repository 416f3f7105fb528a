import { StreamLanguage, StringStream, type StreamParser } from '@codemirror/language';
import { properties } from '@codemirror/legacy-modes/mode/properties';
import { shell } from '@codemirror/legacy-modes/mode/shell';

/**
 * Which syntax highlighting a dotfile's editor gets, chosen by its path (issue 13): shell for the
 * shell's start-up files, small modes of our own for vim and tmux (CodeMirror has none), and
 * the legacy `properties` mode for git's and other ini-like files.
 */

/** The kinds of dotfile the editor highlights. */
export const DOTFILE_LANGUAGES = ['shell', 'vim', 'tmux', 'ini', 'plain'] as const;
export type DotfileLanguage = (typeof DOTFILE_LANGUAGES)[number];

/** Each kind in words, as the editor's status line names it. */
export const DOTFILE_LANGUAGE_LABELS: Readonly<Record<DotfileLanguage, string>> = {
  shell: 'Shell',
  vim: 'Vim script',
  tmux: 'tmux',
  ini: 'INI / git config',
  plain: 'Plain text',
};

/** Shell start-up files by name, wherever they are (readline's inputrc reads alike). */
const SHELL_NAMES = new Set([
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.bash_logout',
  '.bash_aliases',
  '.profile',
  '.zshrc',
  '.zshenv',
  '.zprofile',
  '.zlogin',
  '.inputrc',
]);
const SHELL_PATHS = new Set(['/etc/bash.bashrc', '/etc/profile', '/etc/inputrc']);
const VIM_NAMES = new Set(['.vimrc', '.gvimrc', 'vimrc.local', 'init.vim']);
const TMUX_NAMES = new Set(['.tmux.conf', 'tmux.conf']);
const INI_PATHS = new Set(['.gitconfig', '.config/git/config', '/etc/gitconfig']);
const INI_NAMES = new Set(['.gitconfig', '.gitmodules', '.editorconfig', '.pypirc', '.npmrc']);

/** The highlighting `path` gets (home-relative or an absolute system file). */
export function languageOf(path: string): DotfileLanguage {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (SHELL_PATHS.has(path) || SHELL_NAMES.has(name) || name.endsWith('.sh')) return 'shell';
  if (VIM_NAMES.has(name) || name.endsWith('.vim')) return 'vim';
  if (TMUX_NAMES.has(name)) return 'tmux';
  if (INI_PATHS.has(path) || INI_NAMES.has(name) || /\.(ini|cfg|conf)$/.test(name)) return 'ini';
  return 'plain';
}

/** A state that only knows whether the line's first word is still to come. */
interface LineState {
  lineStart: boolean;
}

/** Vim commands the mode marks as keywords (`function!` and friends with their bang). */
const VIM_KEYWORDS = new Set([
  'set',
  'setlocal',
  'setglobal',
  'let',
  'unlet',
  'map',
  'nmap',
  'imap',
  'vmap',
  'xmap',
  'noremap',
  'nnoremap',
  'inoremap',
  'vnoremap',
  'xnoremap',
  'cnoremap',
  'syntax',
  'filetype',
  'autocmd',
  'augroup',
  'if',
  'elseif',
  'else',
  'endif',
  'for',
  'endfor',
  'while',
  'endwhile',
  'function',
  'endfunction',
  'return',
  'call',
  'source',
  'runtime',
  'colorscheme',
  'highlight',
  'command',
  'execute',
]);

/**
 * Vim script, enough for a vimrc: `"` starts a comment at a line's start, or where no closing
 * `"` follows on the line (`set nu " numbers`); otherwise it is a string, as `'…'` is.
 */
export const vimParser: StreamParser<LineState> = {
  name: 'vim',
  startState: () => ({ lineStart: true }),
  token(stream: StringStream, state: LineState): string | null {
    if (stream.sol()) state.lineStart = true;
    if (stream.eatSpace()) return null;
    const first = state.lineStart;
    state.lineStart = false;
    if (stream.peek() === '"') {
      if (first || !/^"(?:[^"\\]|\\.)*"/.test(stream.string.slice(stream.pos))) {
        stream.skipToEnd();
        return 'comment';
      }
      stream.match(/^"(?:[^"\\]|\\.)*"/);
      return 'string';
    }
    if (stream.match(/^'(?:[^']|'')*'/)) return 'string';
    if (stream.match(/^<[A-Za-z][\w-]*>/)) return 'atom';
    if (stream.match(/^[gbwtslav]:\w+/) || stream.match(/^&\w+/)) return 'variableName';
    if (stream.match(/^\d+/)) return 'number';
    const word = stream.match(/^[A-Za-z_]\w*!?/);
    if (word && typeof word !== 'boolean') {
      return VIM_KEYWORDS.has(word[0].replace(/!$/, '')) ? 'keyword' : null;
    }
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '"' } },
};

/** tmux commands the mode marks as keywords. */
const TMUX_COMMANDS = new Set([
  'set',
  'set-option',
  'setw',
  'set-window-option',
  'set-hook',
  'set-environment',
  'setenv',
  'bind',
  'bind-key',
  'unbind',
  'unbind-key',
  'run',
  'run-shell',
  'source',
  'source-file',
  'if',
  'if-shell',
  'display',
  'display-message',
  'new-session',
  'new-window',
  'split-window',
  'select-pane',
  'send-keys',
  'send-prefix',
]);

/** tmux.conf: `#` comments (where a word starts; `bg=#112233` is none), quoted strings, commands and their `-g`-like flags, numbers. */
export const tmuxParser: StreamParser<LineState> = {
  name: 'tmux',
  startState: () => ({ lineStart: true }),
  token(stream: StringStream, state: LineState): string | null {
    if (stream.sol()) state.lineStart = true;
    if (stream.eatSpace()) return null;
    state.lineStart = false;
    const ch = stream.peek();
    if (ch === '#') {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/) || stream.match(/^'[^']*'?/)) return 'string';
    if (stream.match(/^-[A-Za-z]+(?=\s|$)/)) return 'attribute';
    if (stream.match(/^\d+(?=\s|$|;)/)) return 'number';
    const word = stream.match(/^[^\s"';#][^\s"';]*/);
    if (word && typeof word !== 'boolean') return TMUX_COMMANDS.has(word[0]) ? 'keyword' : null;
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '#' } },
};

/** The parsers by kind; plain text has none. */
const PARSERS: Readonly<Record<Exclude<DotfileLanguage, 'plain'>, StreamParser<unknown>>> = {
  shell: shell as StreamParser<unknown>,
  vim: vimParser as StreamParser<unknown>,
  tmux: tmuxParser as StreamParser<unknown>,
  ini: properties as StreamParser<unknown>,
};

const languages = new Map<DotfileLanguage, StreamLanguage<unknown>>();

/** The CodeMirror language of a kind (made once), or null for plain text. */
export function streamLanguageOf(kind: DotfileLanguage): StreamLanguage<unknown> | null {
  if (kind === 'plain') return null;
  let language = languages.get(kind);
  if (language === undefined) {
    language = StreamLanguage.define(PARSERS[kind]);
    languages.set(kind, language);
  }
  return language;
}

/** Columns of a tab and of an indent level, as the editor has them. */
const INDENT_UNIT = 2;

/** One token of a line as a parser sees it: its text and style (null for none). */
export interface DotfileToken {
  readonly text: string;
  readonly style: string | null;
}

/**
 * The tokens `kind`'s parser finds in `text`, line by line, blanks left out: what the editor
 * colours, without an editor (the tests read it).
 */
export function tokenize(kind: DotfileLanguage, text: string): DotfileToken[] {
  if (kind === 'plain') return [];
  const parser = PARSERS[kind];
  const state = parser.startState?.(INDENT_UNIT) ?? {};
  const tokens: DotfileToken[] = [];
  for (const line of text.split('\n')) {
    const stream = new StringStream(line, INDENT_UNIT, INDENT_UNIT);
    while (!stream.eol()) {
      const style = parser.token(stream, state);
      const piece = line.slice(stream.start, stream.pos);
      if (stream.pos === stream.start) stream.next();
      else if (piece.trim() !== '') tokens.push({ text: piece, style: style ?? null });
      stream.start = stream.pos;
    }
  }
  return tokens;
}
