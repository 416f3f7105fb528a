import type { JSX } from 'react';
import { splitCodeSpans } from '../text/code-spans';

/** Props of {@link CodeText}. */
export interface CodeTextProps {
  readonly text: string;
}

/** Renders a message whose `backtick` spans are commands, showing those as `<code>`. */
export function CodeText({ text }: CodeTextProps): JSX.Element {
  return (
    <>
      {splitCodeSpans(text).map((segment, i) =>
        segment.code ? <code key={i}>{segment.text}</code> : <span key={i}>{segment.text}</span>,
      )}
    </>
  );
}
