import { describe, expect, it } from 'vitest';
import {
  LAB_CONFIG_VERSION,
  labConfigSchema,
  mergeLabConfig,
  type LabConfig,
} from '../../../common/host-setup/lab-config';

const scratch = { name: 'scratch', path: '/srv/scratch', kind: 'xfs-prjquota' } as const;

describe('labConfigSchema', () => {
  it('fills defaults for a minimal file', () => {
    expect(labConfigSchema.parse({ version: LAB_CONFIG_VERSION, lab: 'vision' })).toEqual({
      version: 1,
      lab: 'vision',
      volumes: [],
      gpuQuantum: '0.01',
      reservedPorts: [],
      groupAdmins: {},
      labAdmins: [],
    });
  });

  it('keeps up to 64 extra dotfile system paths, absent meaning none', () => {
    const paths = Array.from({ length: 64 }, (_, index) => `/etc/x${index}`);
    expect(
      labConfigSchema.parse({ version: 1, lab: 'vision', dotfileSystemPaths: paths })
        .dotfileSystemPaths,
    ).toEqual(paths);
    expect(labConfigSchema.parse({ version: 1, lab: 'vision' }).dotfileSystemPaths).toBeUndefined();
  });

  it.each([
    [
      'a relative volume path',
      { volumes: [{ ...scratch, path: 'srv/scratch' }] },
      'volumes.0.path',
    ],
    [
      'a ".." in a volume path',
      { volumes: [{ ...scratch, path: '/srv/../etc' }] },
      'volumes.0.path',
    ],
    ['the root as a volume', { volumes: [{ ...scratch, path: '/' }] }, 'volumes.0.path'],
    ['a volume name with a slash', { volumes: [{ ...scratch, name: 'a/b' }] }, 'volumes.0.name'],
    ['a float quantum', { gpuQuantum: 0.01 }, 'gpuQuantum'],
    ['a zero quantum', { gpuQuantum: '0.000' }, 'gpuQuantum'],
    [
      'a volume declared twice',
      { volumes: [scratch, { ...scratch, path: '/srv/b' }] },
      'volumes.1.name',
    ],
    ['a port listed twice', { reservedPorts: [22, 22] }, 'reservedPorts'],
    [
      'a relative dotfile system path',
      { dotfileSystemPaths: ['etc/screenrc'] },
      'dotfileSystemPaths.0',
    ],
    [
      'a ".." in a dotfile system path',
      { dotfileSystemPaths: ['/etc/../root/x'] },
      'dotfileSystemPaths.0',
    ],
    [
      'an empty part in a dotfile system path',
      { dotfileSystemPaths: ['/etc//x'] },
      'dotfileSystemPaths.0',
    ],
    ['the root as a dotfile system path', { dotfileSystemPaths: ['/'] }, 'dotfileSystemPaths.0'],
    [
      '65 dotfile system paths',
      { dotfileSystemPaths: Array.from({ length: 65 }, (_, index) => `/etc/x${index}`) },
      'dotfileSystemPaths',
    ],
    ['an unknown key', { extra: true }, ''],
  ])('refuses %s, naming the field', (_what, fields, path) => {
    const parsed = labConfigSchema.safeParse({ version: 1, lab: 'vision', ...fields });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});

describe('mergeLabConfig', () => {
  it('creates the file on a fresh host, then reports no change for the same run', () => {
    const first = mergeLabConfig(undefined, { volumes: [scratch] }, 'gpu-lab');
    expect(first.changes).toEqual([
      'create the configuration for lab "gpu-lab"',
      'add volume "scratch" at /srv/scratch (xfs-prjquota)',
    ]);
    const second = mergeLabConfig(first.config, { volumes: [scratch] }, 'gpu-lab');
    expect(second.changes).toEqual([]);
    expect(second.config).toEqual(first.config);
  });

  it('keeps what the file holds that the run does not name, and updates a volume by name', () => {
    const current: LabConfig = labConfigSchema.parse({
      version: 1,
      lab: 'vision',
      volumes: [scratch, { name: 'home', path: '/home', kind: 'plain' }],
      reservedPorts: [22],
      groupAdmins: { vision: ['ada'] },
    });
    const merged = mergeLabConfig(
      current,
      { lab: 'vision-lab', volumes: [{ ...scratch, kind: 'xfs' }] },
      'ignored',
    );
    expect(merged.changes).toEqual([
      'rename the lab from "vision" to "vision-lab"',
      'update volume "scratch": /srv/scratch (xfs-prjquota) → /srv/scratch (xfs)',
    ]);
    expect(merged.config).toMatchObject({
      lab: 'vision-lab',
      volumes: [
        { ...scratch, kind: 'xfs' },
        { name: 'home', path: '/home', kind: 'plain' },
      ],
      reservedPorts: [22],
      groupAdmins: { vision: ['ada'] },
    });
  });

  it('refuses a volume whose path another volume already has', () => {
    const current = mergeLabConfig(undefined, { volumes: [scratch] }, 'lab').config;
    expect(() =>
      mergeLabConfig(current, { volumes: [{ ...scratch, name: 'other' }] }, 'lab'),
    ).toThrow(/declared as two volumes/);
  });
});
