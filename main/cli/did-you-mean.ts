/**
 * "Did you mean …?" for mistyped commands and options, as git and cargo suggest: the closest
 * known word by edit distance (a swap of two neighbours counts as one edit), or the one known word
 * that starts with what was typed.
 */

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** How many edits a suggestion may be away: one for short words, a third of the length beyond. */
function allowedEdits(word: string): number {
  return Math.max(1, Math.floor(word.length / 3));
}

/**
 * The known word `typed` most likely meant, or undefined when none is close. Compared without
 * case and without leading dashes, so `-json` and `--JSN` both find `--json`. `synonyms` maps
 * words of other tools (`list`, `remove`) to the known word they stand for.
 */
export function didYouMean(
  typed: string,
  known: readonly string[],
  synonyms: Readonly<Record<string, string>> = {},
): string | undefined {
  const bare = (word: string): string => word.replace(/^-+/, '').toLowerCase();
  const word = bare(typed);
  if (word === '') return undefined;
  const synonym = synonyms[word];
  if (synonym !== undefined && known.includes(synonym)) return synonym;
  let best: { word: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(word, bare(candidate));
    if (distance <= allowedEdits(word) && (best === undefined || distance < best.distance))
      best = { word: candidate, distance };
  }
  if (best) return best.word;
  const prefixed = known.filter((candidate) => bare(candidate).startsWith(word));
  return word.length >= 2 && prefixed.length === 1 ? prefixed[0] : undefined;
}
