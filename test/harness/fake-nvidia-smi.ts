import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './labdeck-build';

/**
 * Real nvidia-smi captures (DESIGN.md §4), kept in the repository with their SOURCES.md so that a
 * plain clone passes its tests. New captures arrive elsewhere and are copied in here. Found from
 * the repository root, so the bundled benchmark (out/bench) finds them too.
 */
export const NVIDIA_SMI_FIXTURES_DIR = join(REPO_ROOT, 'test', 'fixtures', 'nvidia-smi');

/** The text of one capture in {@link NVIDIA_SMI_FIXTURES_DIR}, e.g. `L-mig-h100.txt`. */
export async function readNvidiaSmiCapture(name: string): Promise<string> {
  return readFile(join(NVIDIA_SMI_FIXTURES_DIR, name), 'utf8');
}

/**
 * Turns a `--format=csv` capture (header row, values with units) into what `--format=csv,
 * noheader,nounits` with only `fields` would have printed: columns picked by header name, and the
 * header's unit (`[MiB]`) cut from each value (`81559 MiB` → `81559`). `[N/A]` stays as it is.
 * This is how tests get LabDeck's query shape from real values: no capture has that shape.
 * @throws Error when a field is not in the header or a row does not match the header.
 */
export function selectCaptureColumns(capture: string, fields: readonly string[]): string {
  const [header = '', ...rows] = capture.split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = header.split(',').map((column) => {
    const [, name = '', unit] = /^\s*(\S+)(?: \[(.+)\])?\s*$/.exec(column) ?? [];
    return { name, unit };
  });
  const picked = fields.map((field) => {
    const at = columns.findIndex((column) => column.name === field);
    if (at === -1) throw new Error(`field ${field} is not in the capture's header`);
    return { at, unit: columns[at]?.unit };
  });
  const lines = rows.map((row) => {
    const values = row.split(',').map((value) => value.trim());
    if (values.length !== columns.length) {
      throw new Error(`a row has ${values.length} values but the header ${columns.length}`);
    }
    return picked
      .map(({ at, unit }) => {
        const value = values[at] ?? '';
        return unit !== undefined && value.endsWith(` ${unit}`)
          ? value.slice(0, -unit.length - 1)
          : value;
      })
      .join(', ');
  });
  return lines.map((line) => `${line}\n`).join('');
}

/** What the fake answers with; each capture is printed byte for byte. */
export interface FakeNvidiaSmiCaptures {
  /** Output of LabDeck's `--query-gpu`; also what `-lms` repeats each period. */
  readonly gpus: string;
  /** Output of `-L`; without it `-L` exits 2. */
  readonly list?: string;
  /** Output of LabDeck's `--query-compute-apps` (empty text: no process); without it, exit 2. */
  readonly apps?: string;
  /** A driver failure: every known command prints `stderr` and exits with `exitCode`. */
  readonly failure?: { readonly stderr: string; readonly exitCode: number };
}

/**
 * The argv the fake answers, written out here rather than imported from agent-bundle: when
 * LabDeck's query changes, the fake exits 2 and the tests say so, until someone checks the
 * captures against the new query and updates these lines.
 */
const FORMAT = '--format=csv,noheader,nounits';
const KNOWN_ARGV = {
  query: [
    '--query-gpu=index,uuid,name,pci.bus_id,memory.total,memory.used,utilization.gpu,temperature.gpu,power.draw,mig.mode.current',
    FORMAT,
  ],
  apps: ['--query-compute-apps=gpu_uuid,pid,used_gpu_memory,process_name', FORMAT],
  list: ['-L'],
} as const;

const CONFIG_FILE = 'fake-nvidia-smi.json';
const PROGRAM_FILE = 'fake-nvidia-smi.cjs';

/** The fake itself, CommonJS so Node runs it the same wherever it is installed. */
const PROGRAM = `'use strict';
const { appendFileSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const config = JSON.parse(readFileSync(join(__dirname, ${JSON.stringify(CONFIG_FILE)}), 'utf8'));
const args = process.argv.slice(2);
if (config.log) appendFileSync(config.log, JSON.stringify({ pid: process.pid, argv: args }) + '\\n');
const same = (a, b) => a.length === b.length && a.every((arg, i) => arg === b[i]);
process.stdout.on('error', () => process.exit(0)); // the reader went away (EPIPE)
function refuse(why) {
  process.stderr.write('fake nvidia-smi: ' + why + '\\n');
  process.exitCode = 2;
  return false;
}
function reply(text, what) {
  if (config.failure) {
    process.stderr.write(config.failure.stderr);
    process.exitCode = config.failure.exitCode;
    return false;
  }
  if (typeof text !== 'string') return refuse('no ' + what + ' capture is installed');
  process.stdout.write(text);
  return true;
}
const period = args.length === config.argv.query.length + 2 && same(args.slice(0, -2), config.argv.query)
  && args[args.length - 2] === '-lms' && /^[1-9][0-9]*$/.test(args[args.length - 1])
  ? Number(args[args.length - 1]) : null;
if (same(args, config.argv.query)) reply(config.gpus, 'query-gpu');
else if (same(args, config.argv.list)) reply(config.list, '-L');
else if (same(args, config.argv.apps)) reply(config.apps, 'compute-apps');
else if (period !== null) {
  if (reply(config.gpus, 'query-gpu')) setInterval(() => process.stdout.write(config.gpus), period);
} else refuse('unknown arguments ' + JSON.stringify(args) + '; known: ' + JSON.stringify(config.argv));
`;

/** Quotes `text` as one word for /bin/sh. */
function shellWord(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** How the fake behaves besides its captures. */
export interface FakeNvidiaSmiOptions {
  /**
   * A file the fake appends one JSON line to per start, `{"pid":…,"argv":[…]}`, before it
   * answers: how tests count spawns (see {@link readFakeNvidiaSmiLog}). Absent: no log.
   */
  readonly invocationLog?: string;
}

/** One start of the fake, as its invocation log recorded it. */
export interface FakeNvidiaSmiInvocation {
  readonly pid: number;
  readonly argv: readonly string[];
}

/** The starts an invocation log holds so far, oldest first; none when it does not exist yet. */
export async function readFakeNvidiaSmiLog(path: string): Promise<FakeNvidiaSmiInvocation[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as FakeNvidiaSmiInvocation);
}

/**
 * Installs an executable `nvidia-smi` into `dir` that replays `captures` for LabDeck's exact
 * argv (query, `-L`, compute apps, and the query with `-lms N`, repeated every N ms until killed)
 * and exits 2 with a message on stderr for any other argv. Returns the executable's path; put
 * `dir` first on PATH. The GPU stand-in DESIGN.md §6 allows, and the only one.
 */
export async function installFakeNvidiaSmi(
  dir: string,
  captures: FakeNvidiaSmiCaptures,
  options: FakeNvidiaSmiOptions = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const { gpus, list = null, apps = null, failure = null } = captures;
  await writeFile(
    join(dir, CONFIG_FILE),
    JSON.stringify({ argv: KNOWN_ARGV, gpus, list, apps, failure, log: options.invocationLog }),
  );
  await writeFile(join(dir, PROGRAM_FILE), PROGRAM);
  const path = join(dir, 'nvidia-smi');
  // A shell wrapper names this Node and the .cjs file, so neither PATH nor a package.json
  // "type" near `dir` changes how the fake runs.
  const node = shellWord(process.execPath);
  await writeFile(path, `#!/bin/sh\nexec ${node} ${shellWord(join(dir, PROGRAM_FILE))} "$@"\n`);
  await chmod(path, 0o755);
  return path;
}
