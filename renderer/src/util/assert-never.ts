/** Compile-time exhaustiveness check for `switch` over a union: unreachable when every case is handled. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
