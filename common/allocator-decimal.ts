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
const NINE = 57;
const POWERS = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/**
 * Parses `"1.25"` into micro-shares (1 250 000). Accepts only plain decimals: digits, optionally a
 * dot and more digits; no sign, exponent, spaces or bare dot. A hand loop, not a regex: the
 * allocator parses two strings per GPU on every decision.
 */
export function parseMicroShares(text: string): number | DecimalProblem {
  const length = text.length;
  let whole = 0;
  let i = 0;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) break;
    if (c < ZERO || c > NINE) return 'not-decimal';
    whole = whole * 10 + (c - ZERO);
  }
  if (i === 0) return 'not-decimal';
  if (i > SHARE_INTEGER_DIGITS && whole >= 10 ** SHARE_INTEGER_DIGITS) return 'too-large';
  if (i === length) return whole * MICRO_SHARES_PER_GPU;
  const fractionStart = i + 1;
  if (fractionStart === length) return 'not-decimal';
  let fraction = 0;
  for (i = fractionStart; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return 'not-decimal';
    if (i - fractionStart < SHARE_DECIMALS) fraction = fraction * 10 + (c - ZERO);
    else if (c !== ZERO) return 'too-precise'; // "0.5000000" is fine, "0.0000001" is not
  }
  const digits = Math.min(length - fractionStart, SHARE_DECIMALS);
  return whole * MICRO_SHARES_PER_GPU + fraction * POWERS[SHARE_DECIMALS - digits]!;
}

/** Writes micro-shares as the shortest exact decimal: 1 250 000 → "1.25", 1 000 000 → "1". */
export function formatMicroShares(micro: number): string {
  const fraction = micro % MICRO_SHARES_PER_GPU;
  const whole = (micro - fraction) / MICRO_SHARES_PER_GPU;
  if (fraction === 0) return String(whole);
  let digits = String(fraction).padStart(SHARE_DECIMALS, '0');
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === ZERO) end--;
  digits = digits.slice(0, end);
  return `${whole}.${digits}`;
}
