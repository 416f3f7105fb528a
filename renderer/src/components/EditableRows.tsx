import { useRef, type JSX, type ReactNode } from 'react';

/** What {@link EditableRowsProps.renderRow} gets to draw the fields of one row. */
export interface EditableRow<Row> {
  readonly row: Row;
  readonly index: number;
  /** Replaces this row's value. */
  readonly set: (row: Row) => void;
}

/** Props of {@link EditableRows}. */
export interface EditableRowsProps<Row> {
  readonly rows: readonly Row[];
  readonly onChange: (rows: readonly Row[]) => void;
  /** The value "Add" appends. */
  readonly emptyRow: Row;
  /** Draws the fields of one row (a new row's first input takes focus); Remove follows them. */
  readonly renderRow: (row: EditableRow<Row>) => ReactNode;
  /** The accessible name of row `index`'s Remove button, e.g. "Remove variable 1". */
  readonly removeLabel: (index: number) => string;
  readonly addLabel: string;
  readonly addDisabled?: boolean;
  readonly listClassName: string;
  readonly rowClassName: string;
  readonly rowTestId?: string;
  readonly removeTestId?: (index: number) => string;
  readonly addTestId?: string;
  /** Drawn between the list and the Add button (errors about the list as a whole). */
  readonly children?: ReactNode;
}

/**
 * An editable list of rows inside a form's fieldset: the rows (only when there are any), each
 * with a Remove button, and an Add button. A new row's input takes focus; removing a row moves
 * focus to the Add button, so a keyboard user is never left on a button that vanished.
 */
export function EditableRows<Row>({
  rows,
  onChange,
  emptyRow,
  renderRow,
  removeLabel,
  addLabel,
  addDisabled,
  listClassName,
  rowClassName,
  rowTestId,
  removeTestId,
  addTestId,
  children,
}: EditableRowsProps<Row>): JSX.Element {
  const list = useRef<HTMLOListElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  const add = (): void => {
    onChange([...rows, emptyRow]);
    // The row exists after React renders; focus it then.
    requestAnimationFrame(() =>
      list.current?.children.item(rows.length)?.querySelector('input')?.focus(),
    );
  };
  const remove = (index: number): void => {
    onChange(rows.filter((_, i) => i !== index));
    addButton.current?.focus();
  };

  return (
    <>
      {rows.length > 0 && (
        <ol ref={list} className={listClassName}>
          {rows.map((row, i) => (
            <li key={i} className={rowClassName} data-testid={rowTestId}>
              {renderRow({
                row,
                index: i,
                set: (value) => onChange(rows.with(i, value)),
              })}
              <button
                type="button"
                className="button"
                aria-label={removeLabel(i)}
                data-testid={removeTestId?.(i)}
                onClick={() => remove(i)}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      {children}
      <button
        ref={addButton}
        type="button"
        className="button"
        disabled={addDisabled}
        data-testid={addTestId}
        onClick={add}
      >
        {addLabel}
      </button>
    </>
  );
}
