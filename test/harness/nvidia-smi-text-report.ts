/**
 * Reads the GPUs of an `nvidia-smi -q` text report (e.g. `q-text-8xh100.txt`, an 8-GPU host) into
 * the lines LabDeck's `--query-gpu=index,uuid,name,pci.bus_id,memory.total,memory.used,
 * utilization.gpu,temperature.gpu,power.draw,mig.mode.current --format=csv,noheader,nounits`
 * would have printed on that host: the same values, in the query's shape. No capture of a host
 * with many GPUs exists in that shape, and the report is the real thing.
 */

/** One GPU's block of the report: `GPU 00000000:19:00.0` up to the next such line. */
function gpuBlocks(report: string): string[][] {
  const blocks: string[][] = [];
  for (const line of report.split(/\r?\n/)) {
    if (/^GPU [0-9A-Fa-f]{8}:/.test(line)) blocks.push([]);
    else blocks.at(-1)?.push(line);
  }
  return blocks;
}

/** The value of `key` in the section `section` (a line with no value, e.g. `FB Memory Usage`). */
function field(block: readonly string[], section: string | null, key: string): string {
  let inSection = section === null;
  for (const line of block) {
    const match = /^(\s*)([^:]+?)\s*(?::\s*(.*))?$/.exec(line);
    if (!match) continue;
    const [, indent = '', name = '', value] = match;
    if (indent.length === 4)
      inSection = section === null || (name === section && value === undefined);
    if (inSection && name === key && value !== undefined && indent.length === (section ? 8 : 4)) {
      return value;
    }
  }
  throw new Error(`the report has no "${section ?? ''} ${key}" for a GPU`);
}

/** A measured value without its unit (`29 C` → `29`); `N/A` as the CSV prints it. */
function number(value: string): string {
  if (value === 'N/A') return '[N/A]';
  const [digits = ''] = value.split(' ');
  return digits;
}

/** The `--query-gpu` CSV lines of the report's GPUs, in the report's order (index 0, 1, …). */
export function queryCsvFromTextReport(report: string): string {
  return gpuBlocks(report)
    .map((block, index) =>
      [
        String(index),
        field(block, null, 'GPU UUID'),
        field(block, null, 'Product Name'),
        field(block, 'PCI', 'Bus Id'),
        number(field(block, 'FB Memory Usage', 'Total')),
        number(field(block, 'FB Memory Usage', 'Used')),
        number(field(block, 'Utilization', 'Gpu')),
        number(field(block, 'Temperature', 'GPU Current Temp')),
        number(field(block, 'GPU Power Readings', 'Power Draw')),
        field(block, 'MIG Mode', 'Current'),
      ].join(', '),
    )
    .map((line) => `${line}\n`)
    .join('');
}
