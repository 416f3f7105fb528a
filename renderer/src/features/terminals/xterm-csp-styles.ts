/**
 * xterm.js writes part of its styling into `<style>` elements it creates (the DOM renderer's row
 * sizes and colours, the scrollbar, selection), which the app's Content-Security-Policy
 * (`style-src 'self'`, no 'unsafe-inline') rightly refuses: the DOM renderer then draws without
 * them. This copies each such element's text into a constructed stylesheet adopted by the
 * document instead — CSSOM, which `style-src` does not govern — and keeps it in step as xterm
 * rewrites it (a theme or font change), so the CSP stays as strict as it is.
 * See https://developer.mozilla.org/en-US/docs/Web/API/Document/adoptedStyleSheets
 */

/** Mirrors the `<style>` elements under `root` into adopted stylesheets until the returned stop. */
export function adoptXtermStyles(root: HTMLElement): () => void {
  const sheets = new Map<HTMLStyleElement, CSSStyleSheet>();

  const sync = (): void => {
    const present = new Set(root.querySelectorAll('style'));
    for (const [element, sheet] of sheets) {
      if (present.has(element)) continue;
      sheets.delete(element);
      detach(sheet);
    }
    for (const element of present) {
      const text = element.textContent ?? '';
      let sheet = sheets.get(element);
      if (sheet === undefined) {
        sheet = new CSSStyleSheet();
        sheets.set(element, sheet);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }
      if (textOf.get(sheet) !== text) {
        sheet.replaceSync(text);
        textOf.set(sheet, text);
      }
    }
  };

  const observer = new MutationObserver(sync);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    for (const sheet of sheets.values()) detach(sheet);
    sheets.clear();
  };
}

/** The text each mirrored sheet holds, so an unchanged element is not parsed again. */
const textOf = new WeakMap<CSSStyleSheet, string>();

function detach(sheet: CSSStyleSheet): void {
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
}
