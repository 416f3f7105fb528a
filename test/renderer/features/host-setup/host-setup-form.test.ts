import { describe, expect, it } from 'vitest';
import {
  checkHostSetupForm,
  hostSetupFormFrom,
} from '../../../../renderer/src/features/host-setup/host-setup-form';
import { notSetUp, setUp } from './setup-fixtures';

describe('host setup form', () => {
  it('opens with the lab the host names and no volume rows', () => {
    expect(hostSetupFormFrom(setUp())).toEqual({ lab: 'vision', volumes: [] });
    expect(hostSetupFormFrom(notSetUp())).toEqual({ lab: '', volumes: [] });
    expect(hostSetupFormFrom(null)).toEqual({ lab: '', volumes: [] });
  });

  it('gives the request: trimmed values, blank rows and an empty lab left out', () => {
    expect(
      checkHostSetupForm({
        lab: '  vision ',
        volumes: [
          { name: ' scratch', path: '/data/scratch ' },
          { name: '', path: '  ' },
        ],
      }),
    ).toEqual({
      ok: true,
      request: { lab: 'vision', volumes: [{ name: 'scratch', path: '/data/scratch' }] },
    });
    expect(checkHostSetupForm({ lab: '', volumes: [] })).toEqual({
      ok: true,
      request: { volumes: [] },
    });
  });

  it("shows the shared validators' messages next to each field", () => {
    const checked = checkHostSetupForm({
      lab: 'x'.repeat(65),
      volumes: [
        { name: 'Scratch', path: 'data/scratch' },
        { name: 'data', path: '/' },
        { name: '', path: '/data/a/../b' },
        { name: 'ok', path: '' },
      ],
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual({
      lab: [expect.stringMatching(/64/)],
      'volumes.0.name': ['must be 1–32 lowercase letters, digits or "-", not starting with "-"'],
      'volumes.0.path': ['must be an absolute path without empty, "." or ".." parts'],
      'volumes.1.path': ['must not be the root directory'],
      'volumes.2.name': ['a name is needed'],
      'volumes.2.path': ['must be an absolute path without empty, "." or ".." parts'],
      'volumes.3.path': ['a path is needed'],
    });
  });

  it('refuses a name or a path given twice, on the later row', () => {
    const checked = checkHostSetupForm({
      lab: '',
      volumes: [
        { name: 'scratch', path: '/data/scratch' },
        { name: 'scratch', path: '/data/other' },
        { name: 'other', path: '/data/scratch' },
      ],
    });
    expect(checked).toEqual({
      ok: false,
      errors: {
        'volumes.1.name': ['"scratch" is already volume 1'],
        'volumes.2.path': ['/data/scratch is already volume 1'],
      },
    });
  });
});
