import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { classifyDriverFailure } from '../../../agent-bundle/gpu/classify-driver-failure';
import { COMPUTE_APPS_FIELDS, GPU_QUERY_FIELDS } from '../../../agent-bundle/gpu/nvidia-smi-query';
import { parseComputeApps } from '../../../agent-bundle/gpu/parse-compute-apps';
import { parseGpuCsv } from '../../../agent-bundle/gpu/parse-gpu-csv';
import { parseGpuList } from '../../../agent-bundle/gpu/parse-gpu-list';
import {
  NVIDIA_SMI_FIXTURES_DIR,
  readNvidiaSmiCapture,
  selectCaptureColumns,
} from '../../harness/fake-nvidia-smi';

/** What must happen to one capture, fed raw to every parser. */
interface Outcome {
  /** The one parser that reads the raw file (absent: none does); every other must refuse it. */
  readonly parsedBy?: 'gpu-list';
  /** What parseGpuCsv's refusal says: expected vs found, and a guess at the format. */
  readonly queryRefusal: RegExp;
  /** What parseComputeApps's refusal says, for the compute-apps captures. */
  readonly appsRefusal?: RegExp;
  /** The code classifyDriverFailure gives when nvidia-smi printed this and failed. */
  readonly failure?: string;
  /** Its values reach LabDeck's shape after picking columns by header name (and must parse). */
  readonly derive?: 'query-gpu' | 'compute-apps';
  readonly why: string;
}

const APPS_HEADER =
  /line 1: expected 4 columns \(gpu_uuid, pid, used_gpu_memory, process_name\) but the line has 8; it looks like a header row/;
const TEN =
  /^`nvidia-smi --query-gpu=index,uuid,.*` printed output LabDeck cannot read: line \d+: expected 10 columns \(index, uuid, name, pci\.bus_id, memory\.total, memory\.used, utilization\.gpu, temperature\.gpu, power\.draw, mig\.mode\.current\) but the line has /;
/** The refusal for a line of `count` columns, then `guess` at its format, or nothing more. */
const columns = (count: number, guess = '') =>
  new RegExp(`${TEN.source}${count}${guess === '' ? '\\.$' : guess}`);

/** The guesses the refusal adds about which output a line comes from. */
const [LIST, ERROR, TEXT, XML, HEADER, UNITS, TABLE] = [
  '; it looks like `nvidia-smi -L`',
  '; it is an error message',
  '; it looks like the text report',
  '; it looks like XML',
  '; it looks like a header row',
  '; its values carry units',
  "; it looks like nvidia-smi's default table",
];

/**
 * Every file in the fixtures folder, and why it ends the way it does. No capture has LabDeck's
 * exact shape (10 columns, noheader, nounits): the query tests take their input from the
 * all-fields captures by header name instead (selectCaptureColumns), so the values are real.
 */
const OUTCOMES: Readonly<Record<string, Outcome>> = {
  'L-8x-quadro-rtx8000.txt': {
    parsedBy: 'gpu-list',
    queryRefusal: columns(1, LIST),
    why: '-L, 8 GPUs without MIG',
  },
  'L-mig-a100-4gpu-partial-mig.txt': {
    parsedBy: 'gpu-list',
    queryRefusal: columns(1, LIST),
    why: '-L, MIG on GPU 0 only',
  },
  'L-mig-a100-legacy-uuid-450.txt': {
    parsedBy: 'gpu-list',
    queryRefusal: columns(1, LIST),
    why: '-L, legacy MIG-GPU-…/gi/ci UUIDs',
  },
  'L-mig-h100.txt': {
    parsedBy: 'gpu-list',
    queryRefusal: columns(1, LIST),
    why: '-L, MIG-<uuid> form',
  },
  'L-mig-h200-ci-profiles.txt': {
    parsedBy: 'gpu-list',
    queryRefusal: columns(1, LIST),
    why: '-L, 1c.3g.71gb profiles',
  },
  'SOURCES.md': {
    queryRefusal: columns(1),
    why: 'provenance notes, not a capture; still must not parse',
  },
  'error-device-handle-unknown.txt': {
    queryRefusal: columns(1, ERROR),
    failure: 'gpu-device-unreachable',
    why: 'a GPU fell off the bus',
  },
  'error-no-driver.txt': {
    queryRefusal: columns(1, ERROR),
    failure: 'gpu-driver-not-loaded',
    why: 'kernel module not loaded',
  },
  'error-nvml-version-mismatch.txt': {
    queryRefusal: columns(1, ERROR),
    failure: 'gpu-nvml-version-mismatch',
    why: 'driver upgraded without reboot',
  },
  'q-text-8xh100.txt': { queryRefusal: columns(1, TEXT), why: '`-q` text report' },
  'q-x-a100-sxm4-40gb-mig.xml': { queryRefusal: columns(1, XML), why: '`-q -x` XML' },
  'q-x-rtx3080-v13.xml': { queryRefusal: columns(1, XML), why: '`-q -x` XML, DTD v13' },
  'q-x-tesla-t4.xml': { queryRefusal: columns(1, XML), why: '`-q -x` XML' },
  'query-compute-apps-csv-empty-h100-mig.txt': {
    queryRefusal: columns(8, HEADER),
    appsRefusal: APPS_HEADER,
    derive: 'compute-apps',
    why: 'csv with header: 8 fields incl. timestamp; header only',
  },
  'query-compute-apps-csv-h100-mig.txt': {
    queryRefusal: columns(8, HEADER),
    appsRefusal: APPS_HEADER,
    derive: 'compute-apps',
    why: 'csv with header and units, 8 fields',
  },
  'query-compute-apps-csv-windows-rtx2080super.txt': {
    queryRefusal: columns(8, HEADER),
    appsRefusal: APPS_HEADER,
    derive: 'compute-apps',
    why: 'csv with header, 8 fields, WDDM [N/A] memory',
  },
  'query-gpu-csv-allfields-h100-mig.txt': {
    queryRefusal: columns(212, HEADER),
    derive: 'query-gpu',
    why: 'all 212 fields, header, units',
  },
  'query-gpu-csv-allfields-rtx2080super-windows.txt': {
    queryRefusal: columns(239, HEADER),
    derive: 'query-gpu',
    why: 'all 239 fields, header, units',
  },
  'query-gpu-csv-allfields-rtx4080super-linux.txt': {
    queryRefusal: columns(202, HEADER),
    derive: 'query-gpu',
    why: 'all 202 fields, header, units',
  },
  'query-gpu-csv-noheader-notsupported-gtx770-windows.txt': {
    queryRefusal: columns(12, UNITS),
    why: 'other 12 fields, with units (`52 %`)',
  },
  'query-gpu-csv-noheader-nounits-na.txt': {
    queryRefusal: columns(7),
    why: 'other 7 fields; same flags as LabDeck',
  },
  'query-gpu-csv-nounits-tesla-p100.txt': {
    queryRefusal: columns(15, HEADER),
    why: 'other 15 fields, header kept',
  },
  'table-8xh100.txt': { queryRefusal: columns(1, TABLE), why: 'plain `nvidia-smi`' },
  'table-mig-h100.txt': { queryRefusal: columns(1, TABLE), why: 'plain `nvidia-smi` with MIG' },
};

describe('every nvidia-smi capture in the fixtures folder', () => {
  it('has an expected outcome in this table (a new capture needs a decision)', async () => {
    const files = (await readdir(NVIDIA_SMI_FIXTURES_DIR)).sort();
    expect(files).toEqual(Object.keys(OUTCOMES).sort());
  });

  describe.each(Object.entries(OUTCOMES))('%s', (file, outcome) => {
    it(`${outcome.parsedBy === undefined ? 'is refused by every parser' : `parses as ${outcome.parsedBy} only`}: ${outcome.why}`, async () => {
      const text = await readNvidiaSmiCapture(file);
      const query = parseGpuCsv(text);
      expect(query.ok).toBe(false);
      if (!query.ok) expect(query.error.message).toMatch(outcome.queryRefusal);
      expect(parseGpuList(text).ok).toBe(outcome.parsedBy === 'gpu-list');
      const apps = parseComputeApps(text);
      expect(apps.ok).toBe(false);
      if (!apps.ok && outcome.appsRefusal) expect(apps.error.message).toMatch(outcome.appsRefusal);
    });

    if (outcome.failure !== undefined) {
      it(`is classified as ${outcome.failure}, on stdout or stderr`, async () => {
        const text = await readNvidiaSmiCapture(file);
        for (const run of [
          { exitCode: 255, stdout: text, stderr: '' },
          { exitCode: 255, stdout: '', stderr: text },
        ]) {
          expect(classifyDriverFailure(run)?.code).toBe(outcome.failure);
        }
      });
    }

    if (outcome.derive !== undefined) {
      it(`parses once its ${outcome.derive} columns are picked by header name`, async () => {
        const text = await readNvidiaSmiCapture(file);
        const picked =
          outcome.derive === 'query-gpu'
            ? parseGpuCsv(selectCaptureColumns(text, GPU_QUERY_FIELDS))
            : parseComputeApps(selectCaptureColumns(text, COMPUTE_APPS_FIELDS));
        expect(picked).toMatchObject({ ok: true });
      });
    }
  });
});
