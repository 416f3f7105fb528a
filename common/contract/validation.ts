import type * as z from 'zod';
import type { AppError } from './result';

/** Formats one schema issue as `field: rule`, naming the field the user or caller got wrong. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)';
  return `${field}: ${issue.message}`;
}

/** Every problem of a failed parse, as `field: rule; field: rule`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map(describeIssue).join('; ');
}

/**
 * Turns a failed parse into an {@link AppError} listing every problem at once, so a caller can fix
 * them all in one go rather than one per attempt.
 */
export function invalidInput(what: string, error: z.ZodError): AppError {
  return {
    code: 'invalid-input',
    message: `Invalid ${what}: ${describeIssues(error)}`,
    hint: 'Correct the fields named above and try again.',
  };
}
