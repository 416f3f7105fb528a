import type { JSX } from 'react';
import type { AppError } from '../../../common/contract/result';
import { CodeText } from './CodeText';

/** Props of {@link FormError}. */
export interface FormErrorProps {
  /** What failed; nothing is shown without one. */
  readonly error: AppError | null | undefined;
  readonly testId?: string;
}

/** A dialog's failure, above its buttons: what failed, then what to do, `code` set as code. */
export function FormError({ error, testId }: FormErrorProps): JSX.Element | null {
  if (!error) return null;
  return (
    <div className="form-error" role="alert" data-testid={testId}>
      <p>
        <CodeText text={error.message} />
      </p>
      {error.hint && (
        <p className="muted">
          <CodeText text={error.hint} />
        </p>
      )}
    </div>
  );
}
