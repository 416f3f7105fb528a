import { defaultHighlightStyle, type HighlightStyle } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { highlightTree } from '@lezer/highlight';
import { describe, expect, it } from 'vitest';
import {
  darkHighlightStyle,
  highlightFor,
} from '../../../../renderer/src/features/dotfiles/dotfile-highlight';
import {
  streamLanguageOf,
  type DotfileLanguage,
} from '../../../../renderer/src/features/dotfiles/dotfile-languages';

/** A file of each kind with every token its parser colours. */
const SAMPLES: readonly [DotfileLanguage, string][] = [
  ['shell', '# aliases\nexport DATA="/data" # where\nif [ -d "$DATA" ]; then echo 1; fi\n'],
  ['vim', '" my vimrc\nset number " numbers\nlet g:x = \'y\'\nnnoremap <leader>w :w<CR>\n'],
  [
    'tmux',
    '# prefix\nset -g mouse on\nbind-key r source-file "~/.tmux.conf"\nset -g history-limit 5000\n',
  ],
  ['ini', '# user\n[user]\n\tname = Ada\n'],
];

/** The colour of each class a style gives, from the rules it mounts. */
function coloursOf(style: HighlightStyle): Map<string, string> {
  const rules = style.module?.getRules() ?? '';
  return new Map(
    [...rules.matchAll(/\.(\S+) \{[^}]*?color: (#[0-9a-f]+)/gi)].map((m) => [m[1]!, m[2]!]),
  );
}

/** Each coloured token of `text` as `kind` highlights it with `style`: text → colour. */
function tokenColours(kind: DotfileLanguage, text: string, style: HighlightStyle) {
  const tree = streamLanguageOf(kind)!.parser.parse(text);
  const colours = coloursOf(style);
  const found: [string, string][] = [];
  highlightTree(tree, style, (from, to, classes) => {
    const colour = classes
      .split(' ')
      .map((c) => colours.get(c))
      .find((c) => c !== undefined);
    if (colour) found.push([text.slice(from, to), colour]);
  });
  return new Map(found);
}

/** The WCAG contrast of two `#rgb`/`#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string): number => {
    const full = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (d) => d + d) : hex;
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(full.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** base.css's dark `--surface` (the editor) and `--accent-soft` (its active line): what dark text is drawn on. */
const DARK_BACKGROUNDS = ['#1c1f23', '#252d45'];

describe('the dotfile editor’s dark colours', () => {
  it.each(SAMPLES)(
    '%s: every token the light palette colours gets a colour of its own in dark mode, readable on the dark surface',
    (kind, text) => {
      const light = tokenColours(kind, text, defaultHighlightStyle);
      const dark = tokenColours(kind, text, darkHighlightStyle);
      expect(light.size).toBeGreaterThan(1);
      expect([...dark.keys()]).toEqual([...light.keys()]);
      for (const [token, colour] of dark) {
        expect(colour, token).not.toBe(light.get(token));
        for (const background of DARK_BACKGROUNDS)
          expect(contrast(colour, background), `${token} on ${background}`).toBeGreaterThanOrEqual(
            4.5,
          );
      }
    },
  );

  it('tells CodeMirror which mode it is in, for its own dark selection, cursor and diff colours', () => {
    const darkOf = (dark: boolean) =>
      EditorState.create({ extensions: highlightFor(dark) }).facet(EditorView.darkTheme);
    expect(darkOf(true)).toBe(true);
    expect(darkOf(false)).toBe(false);
  });
});
