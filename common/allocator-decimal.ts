/**
 * Exact decimal amounts of GPU shares for the allocator: parsed from strings into integers of
 * millionths of a GPU and written back, so no binary float ever rounds a share.
 */

/** Decimal places an amount may have: a millionth of a GPU is finer than any quantum in use. */
export const SHARE_DECIMALS = 6;

/** Millionths in one GPU share: the integer unit amounts are parsed into. */
export const MICRO_SHARES_PER_GPU = 1_000_000;

/**
 * Digits an amount's whole part may have (up to 999 999 GPUs). With six decimals every amount is
 * below 10^12 micro-shares, so sums over thousands of devices stay exact safe integers.
 */
export const SHARE_INTEGER_DIGITS = 6;

/** Why a string is not an amount, for a message that names the rule broken. */
export type DecimalProblem = 'not-decimal' | 'too-precise' | 'too-large';

const DOT = 46;
const ZERO = 48;
/** A char code minus ZERO is a digit when, taken unsigned, it is at most this. */
const LAST_DIGIT = 9;
const POWERS = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
/** The least whole part that has too many digits. */
const TOO_LARGE_WHOLE = 10 ** SHARE_INTEGER_DIGITS;

/**
 * Parses `"1.25"` into micro-shares (1 250 000). Accepts only plain decimals: digits, optionally a
 * dot and more digits; no sign, exponent, spaces or bare dot. A hand loop, not a regex, with one
 * unsigned comparison per character: the allocator parses two strings per GPU on every decision.
 * Where a text breaks two rules, the one met first from the left is the one reported.
 */
export function parseMicroShares(text: string): number | DecimalProblem {
  const length = text.length;
  let whole = 0;
  let digit = 0;
  let i = 0;
  for (; i < length; i++) {
    digit = text.charCodeAt(i) - ZERO;
    if (digit >>> 0 > LAST_DIGIT) break;
    whole = whole * 10 + digit;
  }
  if (i === length) {
    if (i === 0) return 'not-decimal';
    return whole < TOO_LARGE_WHOLE ? whole * MICRO_SHARES_PER_GPU : 'too-large';
  }
  if (i === 0 || digit !== DOT - ZERO) return 'not-decimal';
  if (whole >= TOO_LARGE_WHOLE) return 'too-large';
  const fractionStart = i + 1;
  if (fractionStart === length) return 'not-decimal';
  const exactEnd = Math.min(length, fractionStart + SHARE_DECIMALS);
  let fraction = 0;
  for (i = fractionStart; i < exactEnd; i++) {
    digit = text.charCodeAt(i) - ZERO;
    if (digit >>> 0 > LAST_DIGIT) return 'not-decimal';
    fraction = fraction * 10 + digit;
  }
  // Past the sixth place only zeros: "0.5000000" is fine, "0.0000001" is not.
  for (; i < length; i++) {
    digit = text.charCodeAt(i) - ZERO;
    if (digit !== 0) return digit >>> 0 > LAST_DIGIT ? 'not-decimal' : 'too-precise';
  }
  const scale = POWERS[SHARE_DECIMALS - (exactEnd - fractionStart)]!;
  return whole * MICRO_SHARES_PER_GPU + fraction * scale;
}

/** Zeros that lead a fraction's digits, by count: "0.05" is "0." + "0" + "5". */
const LEADING_ZEROS = ['', '0', '00', '000', '0000', '00000'];

/** Writes micro-shares as the shortest exact decimal: 1 250 000 → "1.25", 1 000 000 → "1". */
export function formatMicroShares(micro: number): string {
  let fraction = micro % MICRO_SHARES_PER_GPU;
  const whole = (micro - fraction) / MICRO_SHARES_PER_GPU;
  if (fraction === 0) return String(whole);
  // Drop the trailing zeros as arithmetic (exact: each division leaves no remainder).
  let places = SHARE_DECIMALS;
  while (fraction % 10 === 0) {
    fraction /= 10;
    places--;
  }
  const digits = String(fraction);
  return `${whole}.${LEADING_ZEROS[places - digits.length]!}${digits}`;
}
