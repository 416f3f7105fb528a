import { useId, type JSX } from 'react';
import { ImagePull } from './ImagePull';
import type { SessionImage } from './sessions-store';
import type { ImagePull as ImagePullHandle } from './use-image-pull';

/** Props of {@link ImageField}. */
export interface ImageFieldProps {
  readonly value: string;
  /** The host's images; null until they are known. */
  readonly images: readonly SessionImage[] | null;
  readonly hostName: string;
  readonly pull: ImagePullHandle;
  readonly errors: readonly string[] | undefined;
  readonly onChange: (value: string) => void;
  readonly onBlur: () => void;
}

/**
 * The image: any reference typed, with the host's own images offered as suggestions (a
 * `<datalist>`, so the keyboard and the browser's own filtering work as for any text field), and
 * Pull below it for one the host does not have.
 */
export function ImageField({
  value,
  images,
  hostName,
  pull,
  errors = [],
  onChange,
  onBlur,
}: ImageFieldProps): JSX.Element {
  const id = useId();
  const invalid = errors.length > 0;
  const known = images ?? [];
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        Image
      </label>
      <p className="field-help" id={`${id}-help`}>
        {known.length > 0
          ? `One of the host's ${known.length === 1 ? 'image' : `${known.length} images`}, or another to pull there.`
          : 'An image the host has, like ubuntu:24.04, or one to pull there.'}
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
        {known.map((image) => (
          <option key={image.ref} value={image.ref}>
            {image.servicePorts ? `${image.ref} — ${image.servicePorts}` : image.ref}
          </option>
        ))}
      </datalist>
      <ImagePull value={value} inputId={id} images={images} hostName={hostName} pull={pull} />
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
