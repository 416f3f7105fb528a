import { AppFailure, type AppError } from '../../common/contract/result';

/**
 * The helper said no: the caller may not do this, or asked for something outside the rules. A
 * refusal is thrown before anything changes on disk, and the log records it as `refused` (a
 * plain {@link AppFailure} is a tool that `failed` after the helper had agreed to act).
 */
export class PrivilegedRefusal extends AppFailure {
  constructor(error: AppError) {
    super(error);
    this.name = 'PrivilegedRefusal';
  }
}

/** Shorthand for `new PrivilegedRefusal({code, message, hint})`. */
export function refuse(code: string, message: string, hint?: string): PrivilegedRefusal {
  return new PrivilegedRefusal(hint === undefined ? { code, message } : { code, message, hint });
}
