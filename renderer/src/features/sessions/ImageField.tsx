import { useId, type JSX } from 'react';
import type { SessionImage } from './sessions-store';

/** Props of {@link ImageField}. */
export interface ImageFieldProps {
  readonly value: string;
  readonly images: readonly SessionImage[];
  readonly errors: readonly string[] | undefined;
  readonly onChange: (value: string) => void;
  readonly onBlur: () => void;
}

/**
 * The image: any reference typed, with the host's own images offered as suggestions (a
 * `<datalist>`, so the keyboard and the browser's own filtering work as for any text field).
 */
export function ImageField({
  value,
  images,
  errors = [],
  onChange,
  onBlur,
}: ImageFieldProps): JSX.Element {
  const id = useId();
  const invalid = errors.length > 0;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        Image
      </label>
      <p className="field-help" id={`${id}-help`}>
        {images.length > 0
          ? `One of the host's ${images.length === 1 ? 'image' : `${images.length} images`}; pull another there first with \`labdeck session pull\`.`
          : 'An image the host has, like ubuntu:24.04; pull one there first with `labdeck session pull`.'}
      </p>
      <input
        id={id}
        className="input"
        list={`${id}-images`}
        value={value}
        autoComplete="off"
        spellCheck={false}
        placeholder="pytorch/pytorch:latest"
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-help ${id}-errors` : `${id}-help`}
        data-testid="session-form-image"
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
      />
      <datalist id={`${id}-images`}>
        {images.map((image) => (
          <option key={image.ref} value={image.ref}>
            {image.servicePorts ? `${image.ref} — ${image.servicePorts}` : image.ref}
          </option>
        ))}
      </datalist>
      {invalid && (
        <ul className="field-errors" id={`${id}-errors`} data-testid="session-form-image-errors">
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
