import { defaultHighlightStyle, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';

/**
 * The dotfile editor's token colours in light and dark mode. CodeMirror's own palette is made
 * for white (its comment brown and keyword purple are hard to read on the window's dark
 * surface); the dark one below colours the same tags, readable on `--surface` and on the active
 * line's `--accent-soft` of base.css's dark tokens. Which one applies follows the OS, as the
 * window's own colours do (base.css's `prefers-color-scheme`).
 */

/** The dark palette: CodeMirror's default tags (One Dark's hues), each at least 4.5:1 on the dark surface. */
export const darkHighlightStyle = HighlightStyle.define([
  { tag: tags.meta, color: '#a5afbd' },
  { tag: tags.link, textDecoration: 'underline' },
  { tag: tags.heading, textDecoration: 'underline', fontWeight: 'bold' },
  { tag: tags.emphasis, fontStyle: 'italic' },
  { tag: tags.strong, fontWeight: 'bold' },
  { tag: tags.strikethrough, textDecoration: 'line-through' },
  { tag: tags.keyword, color: '#d38ee8' },
  {
    tag: [tags.atom, tags.bool, tags.url, tags.contentSeparator, tags.labelName],
    color: '#56c2cf',
  },
  { tag: [tags.literal, tags.inserted], color: '#e0a872' },
  { tag: [tags.string, tags.deleted], color: '#a3cf84' },
  { tag: [tags.regexp, tags.escape, tags.special(tags.string)], color: '#f0c674' },
  { tag: tags.definition(tags.variableName), color: '#6cb8f5' },
  { tag: tags.local(tags.variableName), color: '#ef8a92' },
  { tag: [tags.typeName, tags.namespace], color: '#e5c07b' },
  { tag: tags.className, color: '#e5c07b' },
  { tag: [tags.special(tags.variableName), tags.macroName], color: '#7fd3c9' },
  { tag: tags.definition(tags.propertyName), color: '#6cb8f5' },
  { tag: tags.comment, color: '#959fae', fontStyle: 'italic' },
  { tag: tags.invalid, color: '#ff7b82' },
]);

/** The OS's dark-mode preference, which the window's colours follow. */
export const DARK_QUERY = '(prefers-color-scheme: dark)';

/**
 * The editor's colours for light or dark mode: the token palette, and CodeMirror's own dark
 * variants (selection, cursor, the diff's changed text) through `EditorView.darkTheme`.
 */
export function highlightFor(dark: boolean): Extension {
  return [
    syntaxHighlighting(dark ? darkHighlightStyle : defaultHighlightStyle),
    EditorView.darkTheme.of(dark),
  ];
}
