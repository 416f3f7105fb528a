import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeServicePortErrors,
  formatServicePorts,
  parseServicePorts,
  RESERVED_SERVICE_PORTS,
  SERVICE_NAME_PATTERN,
  SERVICE_PORT_MAX,
  SERVICE_PORT_MIN,
  SERVICE_PORT_PROTOCOLS,
  type ServicePort,
  servicePortRows,
  type ServicePortError,
  type ServicePortOptions,
  type ServicePortsResult,
  validateServicePortRows,
} from '../../common/service-ports';

/** The ports of a text that must parse. */
function ok(text: string, options?: ServicePortOptions) {
  const result = parseServicePorts(text, options);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${errorsOf(result)}`);
  return result;
}

/** The errors of a text that must not parse. */
function errors(text: string, options?: ServicePortOptions): readonly ServicePortError[] {
  const result = parseServicePorts(text, options);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  return result.errors;
}

function errorsOf(result: ServicePortsResult): string {
  return result.ok ? '(none)' : describeServicePortErrors(result.errors);
}

describe('parseServicePorts: the text form', () => {
  it('reads a Backend.AI label into services, in order', () => {
    expect(ok('jupyter:http:8888,tensorboard:http:6006,vnc:vnc:[5900,5901]')).toEqual({
      ok: true,
      ports: [
        { name: 'jupyter', protocol: 'http', ports: [8888] },
        { name: 'tensorboard', protocol: 'http', ports: [6006] },
        { name: 'vnc', protocol: 'vnc', ports: [5900, 5901] },
      ],
      warnings: [],
    });
  });

  it('takes the empty text, and text of only whitespace, as no services', () => {
    expect(ok('')).toEqual({ ok: true, ports: [], warnings: [] });
    expect(ok('  \n ')).toEqual({ ok: true, ports: [], warnings: [] });
  });

  it('ignores whitespace around entries, not inside them', () => {
    expect(ok('  a:http:8080 ,\n b:tcp:[9000,9001]  ').ports).toEqual([
      { name: 'a', protocol: 'http', ports: [8080] },
      { name: 'b', protocol: 'tcp', ports: [9000, 9001] },
    ]);
    expect(errors('a: http:8080')).toEqual([
      {
        index: 0,
        field: 'protocol',
        message: 'protocol " http" is not one of http, tcp, preopen, vnc, rdp',
      },
    ]);
    expect(errors('a:http: 8080')).toEqual([
      { index: 0, field: 'port', message: 'port " 8080" is not a decimal number' },
    ]);
  });

  it('allows one trailing comma and refuses two, or an empty entry between', () => {
    expect(ok('a:http:8080,').ports).toHaveLength(1);
    expect(errors('a:http:8080,,')).toEqual([
      { index: 1, field: 'entry', message: 'entry is empty: remove the extra comma' },
    ]);
    expect(errors('a:http:8080,,b:http:8081')).toEqual([
      { index: 1, field: 'entry', message: 'entry is empty: remove the extra comma' },
    ]);
    expect(errors(',')).toEqual([
      { index: 0, field: 'entry', message: 'entry is empty: remove the extra comma' },
    ]);
  });

  it('calls an entry that is not NAME:PROTOCOL:PORT malformed, naming it', () => {
    expect(errors('jupyter:8888')).toEqual([
      { index: 0, field: 'entry', message: 'entry "jupyter:8888" is not NAME:PROTOCOL:PORT' },
    ]);
    expect(errors('a:http:80:81')[0]?.message).toBe(
      'entry "a:http:80:81" is not NAME:PROTOCOL:PORT',
    );
    expect(errors('jupyter')[0]?.field).toBe('entry');
  });

  it('does not split at the commas inside brackets, and names an unclosed bracket', () => {
    expect(ok('a:tcp:[9000,9001,9002],b:http:8080').ports.map((p) => p.ports)).toEqual([
      [9000, 9001, 9002],
      [8080],
    ]);
    expect(errors('a:tcp:[9000,b:http:8080')).toEqual([
      {
        index: 0,
        field: 'entry',
        message:
          'entry "a:tcp:[9000,b:http:8080" has a "[" without its "]" (or the other way round)',
      },
    ]);
  });
});

describe('parseServicePorts: names', () => {
  it('accepts 1 to 32 characters and refuses 33', () => {
    const name32 = 'a'.repeat(32);
    expect(ok(`x:http:8080,${name32}:http:8081`).ports[1]?.name).toBe(name32);
    expect(errors(`${'a'.repeat(33)}:http:8080`)).toEqual([
      {
        index: 0,
        field: 'name',
        message: `name "${'a'.repeat(33)}" is longer than 32 characters (33)`,
      },
    ]);
    expect(errors(':http:8080')).toEqual([{ index: 0, field: 'name', message: 'name is empty' }]);
  });

  it('takes letters, digits, "_" and "-" after a first letter or digit', () => {
    expect(ok('Jupyter_Lab-2:http:8080,9lives:tcp:9000').ports.map((p) => p.name)).toEqual([
      'Jupyter_Lab-2',
      '9lives',
    ]);
    expect(errors('_lab:http:8080')).toEqual([
      { index: 0, field: 'name', message: 'name "_lab" must start with a letter or digit' },
    ]);
    expect(errors('-lab:http:8080')[0]?.message).toBe(
      'name "-lab" must start with a letter or digit',
    );
    expect(errors('jupyter.lab:http:8080')).toEqual([
      {
        index: 0,
        field: 'name',
        message: 'name "jupyter.lab" may contain only A-Z, a-z, 0-9, "_" and "-"',
      },
    ]);
    expect(errors('café:http:8080')[0]?.field).toBe('name');
  });

  it('refuses a name used twice, at the second use', () => {
    expect(errors('jupyter:http:8888,jupyter:http:8889')).toEqual([
      { index: 1, field: 'name', message: 'name "jupyter" is used twice' },
    ]);
    // Names are case-sensitive, as the label is.
    expect(ok('jupyter:http:8888,Jupyter:http:8889').ports).toHaveLength(2);
  });
});

describe('parseServicePorts: protocols', () => {
  it('accepts each protocol in lower case', () => {
    const text = SERVICE_PORT_PROTOCOLS.map((p, i) => `s${i}:${p}:${8000 + i}`).join(',');
    expect(ok(text).ports.map((p) => p.protocol)).toEqual([...SERVICE_PORT_PROTOCOLS]);
  });

  it('refuses upper case, naming the lower-case spelling, and unknown or empty protocols', () => {
    expect(errors('jupyter:HTTP:8888')).toEqual([
      { index: 0, field: 'protocol', message: 'protocol "HTTP" must be lower case ("http")' },
    ]);
    expect(errors('ssh:ssh:2222')[0]?.message).toBe(
      'protocol "ssh" is not one of http, tcp, preopen, vnc, rdp',
    );
    expect(errors('a::8080')[0]?.message).toBe(
      'protocol is empty; use one of http, tcp, preopen, vnc, rdp',
    );
  });

  it('drops a pty entry with a warning, keeps the rest, and does not hold its port or name', () => {
    const result = ok('ipython:pty:3000,jupyter:http:8888,ipython:tcp:3000');
    expect(result.ports).toEqual([
      { name: 'jupyter', protocol: 'http', ports: [8888] },
      { name: 'ipython', protocol: 'tcp', ports: [3000] },
    ]);
    expect(result.warnings).toEqual([
      'service "ipython" (protocol pty) is left out: pty marks an image\'s own REPL, not a service to forward',
    ]);
  });

  it('counts a dropped pty entry in the indexes of the entries after it', () => {
    expect(errors('ipython:pty:3000,jupyter:http:80')).toEqual([
      { index: 1, field: 'port', message: 'port 80 is below 1025' },
    ]);
  });
});

describe('parseServicePorts: ports', () => {
  it('accepts 1025 and 65534, refuses 1024 and 65535', () => {
    expect(ok('a:tcp:1025,b:tcp:65534').ports.map((p) => p.ports)).toEqual([[1025], [65534]]);
    expect(errors('a:tcp:1024,b:tcp:65535')).toEqual([
      { index: 0, field: 'port', message: 'port 1024 is below 1025' },
      { index: 1, field: 'port', message: 'port 65535 is above 65534' },
    ]);
    expect(errors('a:tcp:99999999999999999999')[0]?.message).toBe(
      'port 99999999999999999999 is above 65534',
    );
  });

  it('takes decimal digits only', () => {
    for (const port of ['80a', '-8080', '+8080', '0x1f90', '8080.0', '8e3']) {
      expect(errors(`a:tcp:${port}`)).toEqual([
        { index: 0, field: 'port', message: `port "${port}" is not a decimal number` },
      ]);
    }
    expect(errors('a:tcp:')).toEqual([{ index: 0, field: 'port', message: 'port is empty' }]);
  });

  it('refuses every reserved port, saying what holds it', () => {
    for (const [port, holder] of RESERVED_SERVICE_PORTS) {
      expect(errors(`a:tcp:${port}`)).toEqual([
        { index: 0, field: 'port', message: `port ${port} is reserved (${holder})` },
      ]);
    }
    expect(errors('ttyd:http:7681')[0]?.message).toBe("port 7681 is reserved (LabDeck's terminal)");
    expect([...RESERVED_SERVICE_PORTS.keys()]).toEqual([2000, 2001, 2002, 2003, 2200, 7681]);
  });

  it("adds a caller's reserved ports to the defaults, never in their place", () => {
    const options = { reservedPorts: [9000] };
    expect(errors('a:tcp:9000', options)).toEqual([
      { index: 0, field: 'port', message: 'port 9000 is reserved on this host' },
    ]);
    expect(errors('a:tcp:7681', options)[0]?.message).toBe(
      "port 7681 is reserved (LabDeck's terminal)",
    );
    expect(ok('a:tcp:9000').ports).toHaveLength(1);
  });

  it('reads port lists, refusing spaces, empty lists and empty items', () => {
    expect(ok('a:tcp:[8080]').ports).toEqual([{ name: 'a', protocol: 'tcp', ports: [8080] }]);
    expect(errors('a:tcp:[8080, 8081]')).toEqual([
      {
        index: 0,
        field: 'port',
        message: 'port list "[8080, 8081]" has spaces; write it "[8080,8081]"',
      },
    ]);
    expect(errors('a:tcp:[]')).toEqual([
      { index: 0, field: 'port', message: 'port list "[]" is empty; give at least one port' },
    ]);
    expect(errors('a:tcp:[8080,]')).toEqual([
      { index: 0, field: 'port', message: 'port list "[8080,]" has an empty item' },
    ]);
    expect(errors('a:tcp:[,8080]')[0]?.message).toBe('port list "[,8080]" has an empty item');
    expect(errors('a:tcp:[8080')[0]?.message).toBe('port list "[8080" must be written [P,P,...]');
    expect(errors('a:tcp:8080]')[0]?.message).toBe('port list "8080]" must be written [P,P,...]');
    expect(errors('a:tcp:[80,x,8080]')).toEqual([
      { index: 0, field: 'port', message: 'port 80 is below 1025' },
      { index: 0, field: 'port', message: 'port "x" is not a decimal number' },
    ]);
  });

  it('refuses a port used twice, across entries and lists and within one list', () => {
    expect(errors('a:tcp:[9000,9001],b:http:9001')).toEqual([
      { index: 1, field: 'port', message: 'port 9001 is used twice (also by "a")' },
    ]);
    expect(errors('a:tcp:9001,b:tcp:[9000,9001]')).toEqual([
      { index: 1, field: 'port', message: 'port 9001 is used twice (also by "a")' },
    ]);
    expect(errors('a:tcp:[9000,9000]')).toEqual([
      { index: 0, field: 'port', message: 'port 9000 is used twice (also by "a")' },
    ]);
    expect(errors('a:tcp:8080,b:tcp:08080')[0]?.message).toBe(
      'port 8080 is used twice (also by "a")',
    );
  });
});

describe('parseServicePorts: every error at once', () => {
  it('reports each broken rule of each entry with its index and field, in entry order', () => {
    const text = [
      'jupyter:http:8888',
      '_bad:HTTP:80',
      'ipython:pty:2000',
      'jupyter:ssh:[8888,7681]',
      'nocolon',
      ',',
    ].join(',');
    expect(errors(text)).toEqual([
      { index: 1, field: 'name', message: 'name "_bad" must start with a letter or digit' },
      { index: 1, field: 'protocol', message: 'protocol "HTTP" must be lower case ("http")' },
      { index: 1, field: 'port', message: 'port 80 is below 1025' },
      { index: 3, field: 'name', message: 'name "jupyter" is used twice' },
      {
        index: 3,
        field: 'protocol',
        message: 'protocol "ssh" is not one of http, tcp, preopen, vnc, rdp',
      },
      { index: 3, field: 'port', message: 'port 8888 is used twice (also by "jupyter")' },
      { index: 3, field: 'port', message: "port 7681 is reserved (LabDeck's terminal)" },
      { index: 4, field: 'entry', message: 'entry "nocolon" is not NAME:PROTOCOL:PORT' },
      { index: 5, field: 'entry', message: 'entry is empty: remove the extra comma' },
    ]);
  });

  it('puts them on one line for the CLI, counting entries from 1', () => {
    const result = parseServicePorts('a:http:80,b:HTTP:8081');
    expect(errorsOf(result)).toBe(
      'entry 1: port 80 is below 1025; entry 2: protocol "HTTP" must be lower case ("http")',
    );
  });
});

describe('validateServicePortRows', () => {
  it('checks the form rows by the same rules, each error at its row and field', () => {
    const result = validateServicePortRows([
      { name: 'jupyter', protocol: 'http', port: '8888' },
      { name: 'jupyter', protocol: 'Tcp', port: '1024' },
      { name: '', protocol: 'vnc', port: '[5900, 5901]' },
      { name: 'tb', protocol: 'http', port: '8888' },
    ]);
    expect(result).toEqual({
      ok: false,
      errors: [
        { index: 1, field: 'name', message: 'name "jupyter" is used twice' },
        { index: 1, field: 'protocol', message: 'protocol "Tcp" must be lower case ("tcp")' },
        { index: 1, field: 'port', message: 'port 1024 is below 1025' },
        { index: 2, field: 'name', message: 'name is empty' },
        {
          index: 2,
          field: 'port',
          message: 'port list "[5900, 5901]" has spaces; write it "[5900,5901]"',
        },
        { index: 3, field: 'port', message: 'port 8888 is used twice (also by "jupyter")' },
      ],
    });
  });

  it('gives the same services as the text for rows that are fine, pty dropped alike', () => {
    const rows = [
      { name: 'jupyter', protocol: 'http', port: '8888' },
      { name: 'ipython', protocol: 'pty', port: '3000' },
      { name: 'ports', protocol: 'tcp', port: '[9000,9001]' },
    ];
    const text = rows.map((r) => `${r.name}:${r.protocol}:${r.port}`).join(',');
    expect(validateServicePortRows(rows, { reservedPorts: [1] })).toEqual(
      parseServicePorts(text, { reservedPorts: [1] }),
    );
    expect(validateServicePortRows(rows, { reservedPorts: [9001] })).toEqual({
      ok: false,
      errors: [{ index: 2, field: 'port', message: 'port 9001 is reserved on this host' }],
    });
  });

  it('takes fields as typed, so a stray space is named rather than trimmed', () => {
    expect(validateServicePortRows([{ name: 'a', protocol: 'http', port: '8888 ' }])).toEqual({
      ok: false,
      errors: [{ index: 0, field: 'port', message: 'port "8888 " is not a decimal number' }],
    });
  });
});

describe('formatServicePorts and servicePortRows', () => {
  it('write the label text and the form rows, a lone port bare and several in brackets', () => {
    const { ports } = ok('jupyter:http:[8888], vnc:vnc:[5900,5901],');
    expect(formatServicePorts(ports)).toBe('jupyter:http:8888,vnc:vnc:[5900,5901]');
    expect(servicePortRows(ports)).toEqual([
      { name: 'jupyter', protocol: 'http', port: '8888' },
      { name: 'vnc', protocol: 'vnc', port: '[5900,5901]' },
    ]);
    expect(formatServicePorts([])).toBe('');
  });

  it('round-trip: parse, format, parse gives the same services, and rows validate to them', () => {
    const texts = [
      '',
      'jupyter:http:8888',
      ' a:tcp:[1025,65534] ,b-2:preopen:[3000],C_3:rdp:3389,d:vnc:5900, ',
      'ipython:pty:3000,jupyter:http:8080,tensorboard:http:6006,',
    ];
    for (const text of texts) {
      const first = ok(text);
      const formatted = formatServicePorts(first.ports);
      const second = ok(formatted);
      expect(second.ports).toEqual(first.ports);
      expect(formatServicePorts(second.ports)).toBe(formatted);
      expect(validateServicePortRows(servicePortRows(first.ports))).toEqual(second);
    }
  });
});

/** A port every rule accepts. */
const validPort = fc
  .integer({ min: SERVICE_PORT_MIN, max: SERVICE_PORT_MAX })
  .filter((port) => !RESERVED_SERVICE_PORTS.has(port));

/** Lists of services every rule accepts: unique names, ports unique across all of them. */
const validServices: fc.Arbitrary<ServicePort[]> = fc
  .uniqueArray(
    fc.record({
      name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/),
      protocol: fc.constantFrom(...SERVICE_PORT_PROTOCOLS),
      ports: fc.array(validPort, { minLength: 1, maxLength: 4 }),
    }),
    { selector: (s) => s.name, maxLength: 6 },
  )
  .filter((services) => {
    const all = services.flatMap((s) => s.ports);
    return new Set(all).size === all.length;
  });

/** Text made of the pieces the rules care about, so most of it is nearly valid. */
const labelLikeText = fc.string({
  unit: fc.constantFrom(
    ...['a', 'Z', '7', '_', '-', ':', ',', '[', ']', ' ', '\n', 'http', 'HTTP', 'tcp', 'pty'],
    ...['8080', '1024', '1025', '65534', '65535', '7681', '80', 'x'],
  ),
  maxLength: 40,
});

describe('service ports: properties', () => {
  it('any valid list formats to text that parses back to the same list', () => {
    fc.assert(
      fc.property(validServices, (services) => {
        const result = parseServicePorts(formatServicePorts(services));
        expect(result).toEqual({ ok: true, ports: services, warnings: [] });
        expect(validateServicePortRows(servicePortRows(services))).toEqual(result);
      }),
    );
  });

  it('any text either fails with errors in entry order or gives services that keep every rule', () => {
    fc.assert(
      fc.property(labelLikeText, (text) => {
        const result = parseServicePorts(text);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          const indexes = result.errors.map((e) => e.index);
          expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
          for (const e of result.errors) {
            expect(Number.isInteger(e.index) && e.index >= 0).toBe(true);
            expect(['entry', 'name', 'protocol', 'port']).toContain(e.field);
          }
          return;
        }
        const names = result.ports.map((p) => p.name);
        const ports = result.ports.flatMap((p) => p.ports);
        expect(new Set(names).size).toBe(names.length);
        expect(new Set(ports).size).toBe(ports.length);
        for (const p of result.ports) {
          expect(p.name).toMatch(SERVICE_NAME_PATTERN);
          expect(p.name.length).toBeLessThanOrEqual(32);
          expect(SERVICE_PORT_PROTOCOLS).toContain(p.protocol);
          expect(p.ports.length).toBeGreaterThan(0);
        }
        for (const port of ports) {
          expect(port >= SERVICE_PORT_MIN && port <= SERVICE_PORT_MAX).toBe(true);
          expect(RESERVED_SERVICE_PORTS.has(port)).toBe(false);
        }
        expect(parseServicePorts(formatServicePorts(result.ports))).toEqual({
          ...result,
          warnings: [],
        });
      }),
    );
  });

  it('rows and the text they spell give the same result, errors included', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', 'Z', '9', '_', '-', '.', 'http', 'HTTP', 'pty', 'tcp', ' '),
      maxLength: 6,
    });
    const port = fc.oneof(
      fc.constantFrom('80', '1025', '7681', '8080', '65535', '', 'x'),
      fc
        .array(fc.constantFrom('8080', '9000', '2200', '', ' 1'), { maxLength: 3 })
        .map((items) => `[${items.join(',')}]`),
    );
    const row = fc.record({ name: field, protocol: field, port });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 5 }), (rows) => {
        // Whitespace around a text entry is ignored, so the rows are spelled without it.
        fc.pre(rows.every((r) => r.name.trimStart() === r.name && r.port.trimEnd() === r.port));
        fc.pre(rows.length > 0);
        const text = rows.map((r) => `${r.name}:${r.protocol}:${r.port}`).join(',');
        expect(validateServicePortRows(rows)).toEqual(parseServicePorts(text));
      }),
    );
  });

  it('a bad entry among good ones is reported at its own index only, pty entries counted', () => {
    const bad = fc.constantFrom(
      { entry: 'zz-bad:tcp:1024', fields: ['port'] },
      { entry: 'zz-bad:Tcp:[2000,65535]', fields: ['protocol', 'port', 'port'] },
      { entry: '_zz:rdp:[]', fields: ['name', 'port'] },
      { entry: 'zz-bad', fields: ['entry'] },
    );
    const services = validServices.filter((list) => list.every((s) => s.name !== 'zz-bad'));
    fc.assert(
      fc.property(services, bad, fc.nat(), fc.nat(), (list, { entry, fields }, at, ptyAt) => {
        const entries = list.map((s) => formatServicePorts([s]));
        const badIndex = at % (entries.length + 1);
        entries.splice(badIndex, 0, entry);
        const ptyIndex = ptyAt % (entries.length + 1);
        entries.splice(ptyIndex, 0, 'ipython:pty:2000');
        const expectedIndex = ptyIndex <= badIndex ? badIndex + 1 : badIndex;
        const result = parseServicePorts(entries.join(','));
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.errors.map((e) => e.index)).toEqual(fields.map(() => expectedIndex));
        expect(result.errors.map((e) => e.field)).toEqual(fields);
      }),
    );
  });
});
