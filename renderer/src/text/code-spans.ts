/** A run of text from a message: plain, or a command the user may type (between backticks). */
export interface TextSegment {
  readonly text: string;
  readonly code: boolean;
}

/**
 * Splits a message into plain text and `backtick` spans, so hints that name a command can show
 * it as code. An unmatched backtick is kept as plain text; empty spans are dropped.
 */
export function splitCodeSpans(message: string): readonly TextSegment[] {
  const segments: TextSegment[] = [];
  const pattern = /`([^`]+)`/g;
  let last = 0;
  for (const match of message.matchAll(pattern)) {
    if (match.index > last) segments.push({ text: message.slice(last, match.index), code: false });
    segments.push({ text: match[1] ?? '', code: true });
    last = match.index + match[0].length;
  }
  if (last < message.length) segments.push({ text: message.slice(last), code: false });
  return segments;
}
