import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Dialog } from '../../components/Dialog';
import { TextField } from '../../components/TextField';
import { reportText } from '../dotfiles/dotfile-view';
import { sessionsStore, uiStore, useHosts } from '../../stores/stores';
import { EnvRows } from './EnvRows';
import { FolderMountPicker } from './FolderMountPicker';
import { GpuPreview } from './GpuPreview';
import { findImage, imageListName } from './image-pull';
import { ImageField } from './ImageField';
import { ServicePortRows } from './ServicePortRows';
import { SessionDotfiles } from './SessionDotfiles';
import {
  checkSessionForm,
  emptySessionForm,
  errorsFromServer,
  hasErrors,
  portRowsOfLabel,
  type SessionFormErrors,
  type SessionFormTextField,
  type SessionFormValues,
} from './session-form';
import { startableHosts } from './session-format';
import type { SessionImage } from './sessions-store';
import { useImagePull } from './use-image-pull';
import { useSessionPreview } from './use-session-preview';

/** Props of {@link NewSessionDialog}. */
export interface NewSessionDialogProps {
  readonly onClose: () => void;
}

/** Errors of empty required fields wait until the field was left, or Start was tried. */
const SHOWN_WHEN_TOUCHED: ReadonlySet<string> = new Set(['hostId', 'image']);

/**
 * Starts a session. Every field is checked as it is typed, with main's own rules where they are
 * shared (service ports, env entries, the GPU amount), each error beside its field; the GPUs'
 * preview shows what the amount would get. Start stays disabled while anything is invalid; a
 * field main refuses (`invalid-session`) gets main's words beside it. Enter starts, Escape closes.
 */
export function NewSessionDialog({ onClose }: NewSessionDialogProps): JSX.Element {
  const hosts = useHosts(useShallow((s) => startableHosts(s.hosts)));
  const [values, setValues] = useState<SessionFormValues>(() => emptySessionForm(''));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [serverErrors, setServerErrors] = useState<SessionFormErrors>({});
  const [loaded, setLoaded] = useState<{ hostId: string; images: readonly SessionImage[] }>();
  const [prefilled, setPrefilled] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  const hostFieldId = useId();
  const previewId = useId();

  // A host that connects while the form is open becomes the choice if there was none.
  const hostId = values.hostId || (hosts.find((h) => h.kind === 'ssh')?.id ?? hosts[0]?.id ?? '');
  const hostName = hosts.find((h) => h.id === hostId)?.name ?? hostId;
  const preview = useSessionPreview(hostId, values.gpus);
  const images = loaded?.hostId === hostId ? loaded.images : null;

  useEffect(() => {
    if (hostId === '') return;
    let current = true;
    void sessionsStore
      .getState()
      .images(hostId)
      .then((result) => current && setLoaded({ hostId, images: result.ok ? result.value : [] }));
    return () => {
      current = false;
    };
  }, [hostId]);

  const checked = useMemo(() => checkSessionForm({ ...values, hostId }), [values, hostId]);
  const errors = useMemo(() => {
    const own = checked.ok ? {} : checked.errors;
    const shown: Record<string, readonly string[]> = { ...serverErrors };
    for (const [field, list] of Object.entries(own))
      if (!SHOWN_WHEN_TOUCHED.has(field) || touched.has(field)) shown[field] = list;
    return shown;
  }, [checked, serverErrors, touched]);
  const refused = preview?.gpus === values.gpus && preview.preview?.error != null;
  // A field main refused blocks Start until it is edited; a failure of no field (the host
  // went away, the GPUs were taken meanwhile, a dotfile store unreadable) may be tried again.
  const { form: _retryable, dotfiles: _dotfilesRetryable, ...serverFieldErrors } = serverErrors;
  const blocked = !checked.ok || hasErrors(serverFieldErrors) || refused || starting;

  const set = (patch: Partial<SessionFormValues>, fields: readonly string[]): void => {
    setValues((v) => ({ ...v, ...patch }));
    setServerErrors((e) => {
      const kept = { ...e };
      for (const field of [...fields, 'form']) delete kept[field];
      return kept;
    });
  };
  const touch = (field: string): void => setTouched((t) => new Set(t).add(field));

  const chooseImage = (image: string, list = images ?? []): void => {
    const label = findImage(list, image)?.servicePorts ?? null;
    const rows = portRowsOfLabel(label);
    // An image's services fill the rows unless the user typed rows of their own.
    const untouched = values.ports.length === 0 || JSON.stringify(values.ports) === prefilled;
    if (rows && untouched) {
      setPrefilled(JSON.stringify(rows));
      set({ image, ports: rows }, ['image', 'ports']);
    } else set({ image }, ['image']);
  };

  // A pulled image is now one of the host's: still typed, it fills the rows as choosing it does.
  const pull = useImagePull(hostId, (done, list) => {
    if (list) setLoaded({ hostId, images: list });
    if (imageListName(values.image) === imageListName(done.image))
      chooseImage(values.image, list ?? undefined);
  });

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setTouched(new Set(SHOWN_WHEN_TOUCHED));
    if (blocked || !checked.ok) return;
    setStarting(true);
    const result = await sessionsStore.getState().start(checked.input);
    setStarting(false);
    if (!result.ok) return setServerErrors(errorsFromServer(result.error));
    uiStore.getState().showToast({
      kind: 'success',
      message: `Started ${result.value.name}.`,
      hint: reportText(result.value.dotfiles),
    });
    onClose();
  };

  const field = (name: SessionFormTextField) => ({
    value: values[name],
    errors: errors[name],
    testId: `session-form-${name}`,
    name,
    onChange: (value: string) => set({ [name]: value }, [name]),
  });

  return (
    <Dialog
      title="New session"
      onDismiss={onClose}
      initialFocus={first}
      className="session-dialog"
      testId="session-form"
    >
      <form className="form" noValidate aria-busy={starting} onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label className="field-label" htmlFor={hostFieldId}>
            Host
          </label>
          <select
            ref={first}
            id={hostFieldId}
            className="input"
            value={hostId}
            aria-invalid={errors.hostId ? true : undefined}
            data-testid="session-form-hostId"
            onChange={(e) =>
              set({ hostId: e.target.value, mounts: [], group: '' }, [
                'hostId',
                'mounts',
                'group',
                'dotfiles',
              ])
            }
            onBlur={() => touch('hostId')}
          >
            {hosts.length === 0 && <option value="">No host is connected</option>}
            {hosts.map((host) => (
              <option key={host.id} value={host.id}>
                {host.name}
              </option>
            ))}
          </select>
          {errors.hostId && <p className="field-errors">{errors.hostId.join(' ')}</p>}
        </div>
        <ImageField
          value={values.image}
          images={images}
          hostName={hostName}
          pull={pull}
          errors={errors.image}
          onChange={(image) => chooseImage(image)}
          onBlur={() => touch('image')}
        />
        <TextField
          label="GPUs"
          inputMode="decimal"
          help="Shares of GPUs, spread evenly over the freest: 0.5, 1, 1.5 (0 for none)."
          {...field('gpus')}
        />
        <GpuPreview id={previewId} state={preview} gpus={values.gpus} />
        <div className="field-row session-sizes">
          <TextField label="CPUs" inputMode="decimal" placeholder="all" {...field('cpus')} />
          <TextField label="Memory" placeholder="no limit, or 16g" {...field('memory')} />
          <TextField label="Shared memory" placeholder="64m, or 8g" {...field('shm')} />
        </div>
        <ServicePortRows
          rows={values.ports}
          errors={errors}
          onChange={(ports) => set({ ports }, ['ports'])}
        />
        <EnvRows rows={values.env} errors={errors} onChange={(env) => set({ env }, ['env'])} />
        {hostId !== '' && (
          <FolderMountPicker
            hostId={hostId}
            mounts={values.mounts}
            onChange={(mounts) => set({ mounts }, ['mounts'])}
          />
        )}
        {hostId !== '' && (
          <SessionDotfiles
            hostId={hostId}
            group={values.group}
            errors={[...(errors.group ?? []), ...(errors.dotfiles ?? [])]}
            onChange={(group) => set({ group }, ['group', 'dotfiles'])}
          />
        )}
        <TextField
          label="Command"
          help="Optional. Run with /bin/sh -c instead of the image's own command."
          {...field('command')}
        />
        <TextField
          label="Name"
          help="Optional. Letters, digits, “.”, “_” and “-”."
          {...field('name')}
        />
        {errors.form && (
          <div className="form-error" role="alert" data-testid="session-form-error">
            {errors.form.map((message) => (
              <p key={message}>{message}</p>
            ))}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={blocked}
            data-testid="session-form-submit"
          >
            {starting && <span className="spinner" aria-hidden="true" />}
            Start
          </button>
        </div>
      </form>
    </Dialog>
  );
}
