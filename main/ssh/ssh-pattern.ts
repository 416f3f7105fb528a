/**
 * OpenSSH's host pattern language, shared by known_hosts host lists and ssh_config `Host` lines.
 * Mirrors match_pattern() and match_pattern_list() in OpenSSH's match.c:
 * https://github.com/openssh/openssh-portable/blob/master/match.c
 */

/** Marks a pattern that excludes the hosts it matches. */
const NEGATION = '!';

/**
 * Whether `text` matches one pattern: `*` matches any run of characters (including none), `?`
 * exactly one, every other character itself. Case-sensitive, like OpenSSH's match_pattern().
 *
 * Greedy matching with one backtrack point: linear in practice, never exponential on `a*a*a*b`.
 */
export function matchPattern(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let starAt = -1;
  let starText = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === '*') {
      starAt = p;
      starText = t;
      p += 1;
    } else if (c !== undefined && (c === '?' || c === text[t])) {
      p += 1;
      t += 1;
    } else if (starAt >= 0) {
      p = starAt + 1;
      starText += 1;
      t = starText;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/** Whether a pattern contains a wildcard or a negation, so it names no single host. */
export function isPattern(pattern: string): boolean {
  return pattern.startsWith(NEGATION) || /[*?]/.test(pattern);
}

/**
 * Whether `text` is selected by a list of patterns: at least one plain pattern matches and no
 * `!negated` one does. A negated match wins over any positive one; a list of negations alone
 * selects nothing (OpenSSH's match_pattern_list returning 1, not 0 or -1).
 */
export function matchPatternList(text: string, patterns: readonly string[]): boolean {
  let selected = false;
  for (const pattern of patterns) {
    if (pattern.startsWith(NEGATION)) {
      if (matchPattern(text, pattern.slice(NEGATION.length))) return false;
    } else if (matchPattern(text, pattern)) {
      selected = true;
    }
  }
  return selected;
}
