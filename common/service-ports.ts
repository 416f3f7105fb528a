/**
 * Service ports: the services a session's container offers (Jupyter, TensorBoard, a VNC desktop),
 * each a name, a protocol and one or more container ports. The text form is Backend.AI's image
 * label `ai.backend.service-ports` (`jupyter:http:8888,tensorboard:http:6006`), so images built for
 * Backend.AI work unchanged. The same rules check the form's rows as the user types, the request in
 * main before launch, and the agent on the host (DESIGN.md §5): one source of truth.
 */

/** The image label that declares service ports, as Backend.AI names it. */
export const SERVICE_PORTS_LABEL = 'ai.backend.service-ports';

/** Protocols a service port may have, lower case as the label writes them. */
export const SERVICE_PORT_PROTOCOLS = ['http', 'tcp', 'preopen', 'vnc', 'rdp'] as const;

/** A protocol a service port may have. */
export type ServicePortProtocol = (typeof SERVICE_PORT_PROTOCOLS)[number];

/**
 * The protocol Backend.AI images give their own in-container REPL: such an entry is left out with a
 * warning, not refused, so those images still launch.
 */
export const DROPPED_SERVICE_PORT_PROTOCOL = 'pty';

/** Lowest service port: 1–1024 are privileged ports, which a non-root service cannot bind. */
export const SERVICE_PORT_MIN = 1025;

/** Highest service port, as Backend.AI allows (65535 is left out there too). */
export const SERVICE_PORT_MAX = 65534;

/** Longest service name, in characters. */
export const SERVICE_NAME_MAX_LENGTH = 32;

/** What a service name looks like: a letter or digit, then letters, digits, `_` and `-`. */
export const SERVICE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Container ports no service may take, each with what holds it; a caller's `reservedPorts` are
 * added to these, never replace them.
 */
export const RESERVED_SERVICE_PORTS: ReadonlyMap<number, string> = new Map([
  [2000, 'the kernel runner of Backend.AI images'],
  [2001, 'the kernel runner of Backend.AI images'],
  [2002, 'the kernel runner of Backend.AI images'],
  [2003, 'the kernel runner of Backend.AI images'],
  [2200, 'the in-container SSH server of Backend.AI images'],
  [7681, "LabDeck's terminal"],
]);

/** Whether a string is one of {@link SERVICE_PORT_PROTOCOLS} (the form's protocol choices). */
export function isServicePortProtocol(value: string): value is ServicePortProtocol {
  return (SERVICE_PORT_PROTOCOLS as readonly string[]).includes(value);
}

/** One service a session offers. */
export interface ServicePort {
  readonly name: string;
  readonly protocol: ServicePortProtocol;
  /** Container ports, at least one, in the order written. */
  readonly ports: readonly number[];
}

/** One service as the form holds it: three text fields, `port` in the label's PORT syntax. */
export interface ServicePortRow {
  readonly name: string;
  readonly protocol: string;
  readonly port: string;
}

/** Which part of an entry an error is about; `entry` when the entry itself is malformed. */
export type ServicePortField = 'entry' | 'name' | 'protocol' | 'port';

/** One broken rule. */
export interface ServicePortError {
  /**
   * 0-based position of the entry in the text as written (or of the row), counting entries that are
   * dropped: a `pty` entry keeps its index, so the entry after it is still reported at its own.
   */
  readonly index: number;
  readonly field: ServicePortField;
  /** The rule and the value that broke it, e.g. `port 80 is below 1025`. */
  readonly message: string;
}

/** The services declared, with warnings for entries left out; or every broken rule at once. */
export type ServicePortsResult =
  | {
      readonly ok: true;
      readonly ports: readonly ServicePort[];
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly errors: readonly ServicePortError[] };

/** What a caller adds to the rules. */
export interface ServicePortOptions {
  /** Ports also refused, on top of {@link RESERVED_SERVICE_PORTS} (a host's own, say). */
  readonly reservedPorts?: readonly number[];
}

/**
 * Parses service-port text (the label's form): entries separated by commas, whitespace around an
 * entry ignored, one trailing comma allowed, empty text an empty list. An entry is
 * `NAME:PROTOCOL:PORT` where PORT is one port or `[P,P,...]` — the commas inside brackets separate
 * ports, not entries. Every error is reported, each with its entry's index and field. A `pty`
 * entry is dropped with a warning before its name and port are checked (it is never forwarded, so
 * its port cannot clash), and still counts for the indexes of the entries after it.
 */
export function parseServicePorts(text: string, options?: ServicePortOptions): ServicePortsResult {
  const entries = splitEntries(text);
  const errors: ServicePortError[] = [];
  const rows: { readonly index: number; readonly row: ServicePortRow }[] = [];
  entries.forEach((entry, index) => {
    const fields = entry.split(':');
    const [name, protocol, port] = fields;
    if (entry === '') {
      errors.push({ index, field: 'entry', message: 'entry is empty: remove the extra comma' });
    } else if (
      name === undefined ||
      protocol === undefined ||
      port === undefined ||
      fields.length !== 3
    ) {
      errors.push({ index, field: 'entry', message: malformedEntryMessage(entry) });
    } else {
      rows.push({ index, row: { name, protocol, port } });
    }
  });
  return checkRows(rows, options, errors);
}

/**
 * Checks the form's rows by the same rules as {@link parseServicePorts}, each error at its row's
 * index and field so the form can show it beside that field. Fields are taken as typed (a caller
 * that forgives stray spaces trims them first).
 */
export function validateServicePortRows(
  rows: readonly ServicePortRow[],
  options?: ServicePortOptions,
): ServicePortsResult {
  return checkRows(
    rows.map((row, index) => ({ index, row })),
    options,
    [],
  );
}

/** The label text for these services; {@link parseServicePorts} reads it back to the same list. */
export function formatServicePorts(ports: readonly ServicePort[]): string {
  return ports.map((p) => `${p.name}:${p.protocol}:${formatPortField(p.ports)}`).join(',');
}

/** The form's rows for these services, to prefill the form from an image's label. */
export function servicePortRows(ports: readonly ServicePort[]): ServicePortRow[] {
  return ports.map((p) => ({ name: p.name, protocol: p.protocol, port: formatPortField(p.ports) }));
}

/** Every error on one line, `entry 1: …; entry 3: …`, counting entries from 1 for people. */
export function describeServicePortErrors(errors: readonly ServicePortError[]): string {
  return errors.map((e) => `entry ${e.index + 1}: ${e.message}`).join('; ');
}

/** PORT as the label writes it: a lone port bare, several in brackets. */
function formatPortField(ports: readonly number[]): string {
  return ports.length === 1 ? String(ports[0]) : `[${ports.join(',')}]`;
}

/** Entries split at commas outside brackets, trimmed, with one trailing empty entry dropped. */
function splitEntries(text: string): string[] {
  if (text.trim() === '') return [];
  const entries: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      entries.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '' || entries.length === 0) entries.push(last);
  return entries;
}

/** Why an entry is not `NAME:PROTOCOL:PORT`, naming the likeliest slip. */
function malformedEntryMessage(entry: string): string {
  const shown = JSON.stringify(entry);
  if (entry.split('[').length !== entry.split(']').length) {
    return `entry ${shown} has a "[" without its "]" (or the other way round)`;
  }
  return `entry ${shown} is not NAME:PROTOCOL:PORT`;
}

/** Checks name, protocol and port of every row, adding to `errors`; uniqueness across all rows. */
function checkRows(
  rows: readonly { readonly index: number; readonly row: ServicePortRow }[],
  options: ServicePortOptions | undefined,
  errors: ServicePortError[],
): ServicePortsResult {
  const extraReserved = new Set(options?.reservedPorts ?? []);
  const nameSeen = new Set<string>();
  const portOwner = new Map<number, string>();
  const ports: ServicePort[] = [];
  const warnings: string[] = [];
  for (const { index, row } of rows) {
    if (row.protocol === DROPPED_SERVICE_PORT_PROTOCOL) {
      warnings.push(
        `service ${JSON.stringify(row.name)} (protocol pty) is left out: pty marks an image's ` +
          'own REPL, not a service to forward',
      );
      continue;
    }
    const before = errors.length;
    const fail = (field: ServicePortField, message: string): void => {
      errors.push({ index, field, message });
    };

    const nameError = nameRule(row.name);
    if (nameError !== null) fail('name', nameError);
    else if (nameSeen.has(row.name)) fail('name', `name ${JSON.stringify(row.name)} is used twice`);
    nameSeen.add(row.name);

    const { protocol } = row;
    if (!isServicePortProtocol(protocol)) fail('protocol', protocolError(protocol));

    const items = portItems(row.port);
    const numbers: number[] = [];
    if (typeof items === 'string') fail('port', items);
    else {
      for (const item of items) {
        const portError = portRule(item, extraReserved);
        const port = Number(item);
        const owner = portOwner.get(port);
        if (portError !== null) fail('port', portError);
        else if (owner !== undefined) {
          fail('port', `port ${port} is used twice (also by ${JSON.stringify(owner)})`);
        } else portOwner.set(port, row.name);
        numbers.push(port);
      }
    }
    if (errors.length === before && isServicePortProtocol(protocol)) {
      ports.push({ name: row.name, protocol, ports: numbers });
    }
  }
  if (errors.length > 0)
    return { ok: false, errors: [...errors].sort((a, b) => a.index - b.index) };
  return { ok: true, ports, warnings };
}

/** What is wrong with a name, or null. */
function nameRule(name: string): string | null {
  const shown = JSON.stringify(name);
  if (name === '') return 'name is empty';
  if (name.length > SERVICE_NAME_MAX_LENGTH) {
    return `name ${shown} is longer than ${SERVICE_NAME_MAX_LENGTH} characters (${name.length})`;
  }
  if (SERVICE_NAME_PATTERN.test(name)) return null;
  if (!/^[A-Za-z0-9]/.test(name)) return `name ${shown} must start with a letter or digit`;
  return `name ${shown} may contain only A-Z, a-z, 0-9, "_" and "-"`;
}

/** What is wrong with a protocol that is not one of {@link SERVICE_PORT_PROTOCOLS}. */
function protocolError(protocol: string): string {
  const shown = JSON.stringify(protocol);
  const lower = protocol.toLowerCase();
  if (isServicePortProtocol(lower)) {
    return `protocol ${shown} must be lower case ("${lower}")`;
  }
  const allowed = SERVICE_PORT_PROTOCOLS.join(', ');
  if (protocol === '') return `protocol is empty; use one of ${allowed}`;
  return `protocol ${shown} is not one of ${allowed}`;
}

/** The port strings of a PORT field (`8080` or `[8080,8081]`), or what is wrong with its shape. */
function portItems(field: string): readonly string[] | string {
  if (field === '') return 'port is empty';
  if (!field.startsWith('[') && !field.endsWith(']')) return [field];
  const shown = JSON.stringify(field);
  if (!field.startsWith('[') || !field.endsWith(']') || field.length < 2) {
    return `port list ${shown} must be written [P,P,...]`;
  }
  const inner = field.slice(1, -1);
  if (/\s/.test(inner)) {
    return `port list ${shown} has spaces; write it ${JSON.stringify(field.replace(/\s/g, ''))}`;
  }
  if (inner === '') return `port list ${shown} is empty; give at least one port`;
  const items = inner.split(',');
  if (items.includes('')) return `port list ${shown} has an empty item`;
  return items;
}

/** What is wrong with one port as written, or null. */
function portRule(item: string, extraReserved: ReadonlySet<number>): string | null {
  if (!/^[0-9]+$/.test(item)) return `port ${JSON.stringify(item)} is not a decimal number`;
  const port = Number(item);
  if (port < SERVICE_PORT_MIN) return `port ${item} is below ${SERVICE_PORT_MIN}`;
  if (port > SERVICE_PORT_MAX) return `port ${item} is above ${SERVICE_PORT_MAX}`;
  const holder = RESERVED_SERVICE_PORTS.get(port);
  if (holder !== undefined) return `port ${port} is reserved (${holder})`;
  if (extraReserved.has(port)) return `port ${port} is reserved on this host`;
  return null;
}
