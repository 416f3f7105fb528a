import * as z from 'zod';

/** An error written for the researcher: what failed (`message`), and what to do (`hint`). */
export interface AppError {
  /** Stable, machine-readable code in `kebab-case`, e.g. `docker-permission-denied`. */
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

/** The outcome of every request that crosses a boundary; nothing throws across one. */
export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppError };

/** Runtime schema of {@link AppError}, used where an error arrives from another process. */
export const appErrorSchema = z.object({
  code: z.string().min(1),
  message: z.string(),
  hint: z.string().optional(),
});

/** Wraps a value as a successful {@link Result}. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Wraps an error as a failed {@link Result}. */
export function fail<T = never>(error: AppError): Result<T> {
  return { ok: false, error };
}

/**
 * An error a service throws on purpose: it carries the code and hint that reach the user unchanged.
 * Anything else thrown inside a handler is reported as `internal-error`.
 */
export class AppFailure extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(error: AppError) {
    super(error.message);
    this.name = 'AppFailure';
    this.code = error.code;
    this.hint = error.hint;
  }

  /** The plain, serialisable form sent over the wire. */
  toAppError(): AppError {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }
}

/** Converts anything thrown into an {@link AppError} without leaking stack traces to the UI. */
export function toAppError(thrown: unknown): AppError {
  if (thrown instanceof AppFailure) return thrown.toAppError();
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return {
    code: 'internal-error',
    message: `LabDeck hit an unexpected error: ${message}`,
    hint: 'This is a bug in LabDeck. Try again; if it repeats, report it with the steps that led here.',
  };
}
