import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { unifiedMergeView } from '@codemirror/merge';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { useEffect, useRef, type JSX } from 'react';
import { DARK_QUERY, highlightFor } from './dotfile-highlight';
import { streamLanguageOf, type DotfileLanguage } from './dotfile-languages';

/** Props of {@link CodeEditor}. */
export interface CodeEditorProps {
  /** The text the editor starts with; later changes come from the editor only (remount to reset). */
  readonly initial: string;
  readonly language: DotfileLanguage;
  readonly readOnly: boolean;
  /** Shows the text against this one (deleted lines above, changed ones marked); null for none. */
  readonly compareWith: string | null;
  /** The label of each changed chunk's button that puts the other text back ("Revert"). */
  readonly revertLabel: string;
  readonly onChange: (text: string) => void;
  /** The editor's accessible name: "Text of ~/.bashrc". */
  readonly label: string;
  /** Ids of what describes the text (its errors), for `aria-describedby`. */
  readonly describedBy?: string;
  readonly invalid: boolean;
}

/**
 * The editor's look, in the window's tokens (custom properties inherit into the shadow root).
 * Page stylesheets do not reach into the shadow root: everything the editor needs is here.
 */
const theme = EditorView.theme({
  '&': {
    backgroundColor: 'var(--surface)',
    color: 'var(--text)',
    border: '1px solid var(--border-strong)',
    borderRadius: 'var(--radius)',
    fontSize: '13px',
    minHeight: '260px',
    maxHeight: '60vh',
  },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '1px' },
  '.cm-scroller': { overflow: 'auto', fontFamily: 'var(--font-mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--text)', minHeight: '260px' },
  '.cm-gutters': {
    backgroundColor: 'var(--surface-sunken)',
    color: 'var(--text-muted)',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--accent-soft)' },
  // CodeMirror's own selection colours are grey on grey in dark mode: the accent, see-through.
  '.cm-selectionBackground, &.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground':
    { backgroundColor: 'color-mix(in srgb, var(--accent) 30%, transparent)' },
  '&.cm-editor.cm-readonly .cm-activeLine': { backgroundColor: 'transparent' },
});

/**
 * A CodeMirror 6 editor for one dotfile: line numbers, undo history, syntax highlighting for
 * its kind (in light or dark colours as the OS is), read-only when the level may not be changed, and a unified diff against another
 * text (the saved version, or theirs after a conflict) with buttons to take a chunk back.
 * The EditorView lives outside React; its compartments follow the props.
 *
 * It is mounted in a shadow root of its own: CodeMirror (style-mod) writes its styles into a
 * `<style>` element in a document's head, which the app's Content-Security-Policy
 * (`style-src 'self'`) refuses, but into a constructed stylesheet adopted by a shadow root —
 * CSSOM, which the policy does not govern. So the editor is styled and the policy stays strict.
 * See https://github.com/marijnh/style-mod (StyleSet) and
 * https://developer.mozilla.org/en-US/docs/Web/API/ShadowRoot/adoptedStyleSheets
 */
export function CodeEditor({
  initial,
  language,
  readOnly,
  compareWith,
  revertLabel,
  onChange,
  label,
  describedBy,
  invalid,
}: CodeEditorProps): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const compartments = useRef({
    language: new Compartment(),
    readOnly: new Compartment(),
    diff: new Compartment(),
    aria: new Compartment(),
    colors: new Compartment(),
  });
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  });

  // One view per mount: its text is the editor's own from then on.
  useEffect(() => {
    const c = compartments.current;
    const state = EditorState.create({
      doc: initial,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        c.colors.of(highlightFor(window.matchMedia(DARK_QUERY).matches)),
        // Ctrl/Cmd+S bubbles to the page, which saves from wherever the focus is.
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        theme,
        c.language.of([]),
        c.readOnly.of([]),
        c.diff.of([]),
        c.aria.of([]),
        replaceAcrossLines,
        EditorView.updateListener.of((update) => {
          if (update.docChanged) changed.current(update.state.doc.toString());
        }),
      ],
    });
    const shadow = host.current!.shadowRoot ?? host.current!.attachShadow({ mode: 'open' });
    const parent = document.createElement('div');
    shadow.replaceChildren(parent);
    const editor = new EditorView({ state, parent, root: shadow });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The text is the editor's after mount; a new file remounts it (its key).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Light or dark tokens as the OS switches, without a remount (the text and undo stay).
  useEffect(() => {
    const query = window.matchMedia(DARK_QUERY);
    const follow = (): void =>
      reconfigure(view.current, compartments.current.colors, highlightFor(query.matches));
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);

  useEffect(() => {
    reconfigure(view.current, compartments.current.language, languageExtension(language));
  }, [language]);

  useEffect(() => {
    reconfigure(view.current, compartments.current.readOnly, [
      EditorState.readOnly.of(readOnly),
      EditorView.editable.of(!readOnly),
      EditorView.editorAttributes.of(readOnly ? { class: 'cm-readonly' } : {}),
    ]);
  }, [readOnly]);

  useEffect(() => {
    reconfigure(
      view.current,
      compartments.current.diff,
      compareWith === null
        ? []
        : unifiedMergeView({
            original: compareWith,
            mergeControls: readOnly ? false : revertButton(revertLabel),
            gutter: true,
          }),
    );
  }, [compareWith, readOnly, revertLabel]);

  useEffect(() => {
    reconfigure(
      view.current,
      compartments.current.aria,
      EditorView.contentAttributes.of({
        'aria-label': label,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(invalid ? { 'aria-invalid': 'true' } : {}),
      }),
    );
  }, [label, describedBy, invalid]);

  return <div ref={host} className="dotfile-code" data-testid="dotfile-code" />;
}

/**
 * Text typed over a selection that spans lines is put in by the editor itself, not left to the
 * browser: Chrome's own contenteditable editing merges the lines' elements and gives the merged
 * one a `style` attribute, which the app's Content-Security-Policy refuses (and reports) before
 * CodeMirror redraws the line anyway. Composition (IME) input is left to the browser.
 */
const replaceAcrossLines = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (event.inputType !== 'insertText' || event.data === null) return false;
    const { state } = view;
    const spans = state.selection.ranges.some(
      (range) => state.doc.lineAt(range.from).number !== state.doc.lineAt(range.to).number,
    );
    if (!spans) return false;
    event.preventDefault();
    view.dispatch(state.replaceSelection(event.data), {
      scrollIntoView: true,
      userEvent: 'input.type',
    });
    return true;
  },
});

/**
 * A changed chunk's one button: put the other text back. The merge view's "Accept" would only
 * move the comparison's baseline (nothing is saved by it), so it is left out.
 */
function revertButton(label: string) {
  return (type: 'accept' | 'reject', action: (event: MouseEvent) => void): HTMLElement => {
    if (type === 'accept') return document.createElement('span');
    const button = document.createElement('button');
    button.type = 'button';
    button.name = 'reject';
    button.textContent = label;
    button.onmousedown = action;
    return button;
  };
}

function languageExtension(kind: DotfileLanguage): Extension {
  return streamLanguageOf(kind) ?? [];
}

function reconfigure(view: EditorView | null, compartment: Compartment, ext: Extension): void {
  view?.dispatch({ effects: compartment.reconfigure(ext) });
}
