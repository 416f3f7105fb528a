#!/usr/bin/env node
/**
 * `npm run security`: the Electron shell's security scan. Fails (exit 1) on any HIGH finding of
 * @doyensec/electronegativity that is not on the allow-list below, on any file the scanner could
 * not parse, and on a built preload that needs a module a sandboxed preload cannot load.
 *
 * Coverage, and why it is scanned this way:
 * - Electronegativity runs once over a staged copy of main/, preload/, common/ (the CSP),
 *   renderer/index.html and renderer/src, and package.json, so its global checks (CSP, navigation
 *   limits, permission handlers) see the whole app at once; a run per folder would report "no
 *   CSP" for main/ alone. Tests, scripts and node_modules are left out.
 * - TypeScript source, not out/: the scanner parses our TS (its Babel parser handles TS 5 syntax;
 *   its TS 4.2 estree parser is only the fallback) and reports source paths. Scanning the built
 *   out/main and out/preload was tried and gave exactly the same findings, pointing into bundles.
 * - It is called through its documented programmatic API, not the CLI: the CLI exits 0 whatever it
 *   finds and, when writing a report file, hides parse errors, which would silently drop a file's
 *   checks. The API returns findings with severity and parse errors. Its CSV report is still
 *   written to out/security/electronegativity.csv for CI artifacts.
 * - The built out/preload/index.cjs is checked for `require`s: a sandboxed preload can load only
 *   electron, events, timers and url, and anything else (e.g. zod pulled in through an import)
 *   breaks window.api at runtime, which no test without the Electron binary would notice.
 *   Needs `npx electron-vite build` first (`npm test` builds before it scans).
 *   https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** What is scanned, relative to the repository root. */
const SCANNED = [
  'main',
  'preload',
  'common',
  'renderer/index.html',
  'renderer/src',
  'package.json',
];

/** Where the scanner's own CSV report goes. */
const REPORT = join(ROOT, 'out', 'security', 'electronegativity.csv');

/** The built preload, and the only modules a sandboxed preload may `require`. */
const BUILT_PRELOAD = join(ROOT, 'out', 'preload', 'index.cjs');
const SANDBOXED_PRELOAD_MODULES = new Set(['electron', 'events', 'timers', 'url']);

/**
 * HIGH findings that are false positives the code cannot avoid without giving up a tested design.
 * Each entry names the check, the file and the exact source line it fires on: if that line
 * changes, the entry stops matching and the scan fails until someone looks again.
 */
const ALLOW_LIST = [];

const SEVERITY_ORDER = ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];

function stage() {
  const dir = mkdtempSync(join(tmpdir(), 'labdeck-scan-'));
  for (const path of SCANNED) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  }
  return dir;
}

async function scan(input) {
  const run = require('@doyensec/electronegativity');
  const electronVersion = require('electron/package.json').version;
  mkdirSync(dirname(REPORT), { recursive: true });
  return run({
    input,
    output: REPORT,
    isSarif: false,
    customScan: [],
    excludeFromScan: [],
    isRelative: true,
    isVerbose: true,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  });
}

function allowance(issue) {
  const sample = (issue.sample ?? '').trim();
  return ALLOW_LIST.find(
    (entry) => entry.check === issue.id && entry.file === issue.file && entry.line.test(sample),
  );
}

function printTable(rows) {
  const headers = ['severity', 'confidence', 'check', 'where', 'finding'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
}

function preloadProblems() {
  if (!existsSync(BUILT_PRELOAD)) {
    return [`${BUILT_PRELOAD} is missing: run \`npx electron-vite build\` first.`];
  }
  // Block and whole-line comments go first: bundles keep doc comments that may mention require().
  const source = readFileSync(BUILT_PRELOAD, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const modules = [...source.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
  return modules
    .filter((name) => !SANDBOXED_PRELOAD_MODULES.has(name))
    .map(
      (name) => `out/preload/index.cjs requires "${name}", which a sandboxed preload cannot load.`,
    );
}

const staged = stage();
let result;
try {
  result = await scan(staged);
} finally {
  rmSync(staged, { recursive: true, force: true });
}

const failures = [];
const issues = [...result.issues].sort(
  (a, b) => SEVERITY_ORDER.indexOf(a.severity.name) - SEVERITY_ORDER.indexOf(b.severity.name),
);
const used = new Set();
const rows = issues.map((issue) => {
  const allowed = issue.severity.name === 'HIGH' ? allowance(issue) : undefined;
  if (allowed) used.add(allowed);
  else if (issue.severity.name === 'HIGH') failures.push(`${issue.id} in ${issue.file}`);
  const where = issue.file === 'N/A' ? '(global)' : `${issue.file}:${issue.location.line}`;
  const note = allowed ? ' [allowed, see below]' : issue.manualReview ? ' [review]' : '';
  return [
    issue.severity.name,
    issue.confidence.name,
    issue.id,
    where,
    `${issue.description}${note}`,
  ];
});

console.log(
  `\nElectronegativity: ${result.atomicChecks} atomic and ${result.globalChecks} global checks over ${SCANNED.join(', ')}\n`,
);
if (rows.length > 0) printTable(rows);
else console.log('No findings.');
const counts = SEVERITY_ORDER.map(
  (s) => `${s} ${issues.filter((i) => i.severity.name === s).length}`,
);
console.log(`\nBy severity: ${counts.join(', ')} (HIGH allowed: ${used.size})`);
for (const entry of used) console.log(`Allowed ${entry.check} in ${entry.file}: ${entry.reason}`);

for (const error of result.errors) {
  const message = `could not parse ${error.file}: ${error.message}`;
  if (error.tolerable) console.warn(`warning: ${message}`);
  else failures.push(`${message} (its checks did not run)`);
}
for (const entry of ALLOW_LIST) {
  if (!used.has(entry))
    failures.push(`allow-list entry ${entry.check} in ${entry.file} no longer matches; remove it`);
}
failures.push(...preloadProblems());

if (failures.length > 0) {
  console.error(`\nSecurity scan failed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
console.log('\nSecurity scan passed.');
