import { describe, expect, it } from 'vitest';
import {
  checkHostForm,
  emptyHostForm,
  fieldErrorsFromServer,
  formatHop,
  hostFormFrom,
  parseHop,
  type HostFormValues,
} from '../../../../renderer/src/features/hosts/host-form';
import { sshHost } from '../../host-fixtures';

const GOOD: HostFormValues = {
  name: 'gpu-7',
  user: 'ana',
  hostname: 'gpu-7.lab.example',
  port: '22',
  identityFile: '',
  identitiesOnly: false,
  jump: [],
};

describe('checkHostForm', () => {
  it('turns a valid form into the input main expects', () => {
    const checked = checkHostForm({
      ...GOOD,
      port: ' 2222 ',
      identityFile: '~/.ssh/id_ed25519',
      jump: ['bob@bastion.example.org', 'carl@10.0.0.2:2200'],
    });
    expect(checked).toEqual({
      ok: true,
      input: {
        name: 'gpu-7',
        user: 'ana',
        hostname: 'gpu-7.lab.example',
        port: 2222,
        identityFile: '~/.ssh/id_ed25519',
        identitiesOnly: false,
        jump: [
          { user: 'bob', hostname: 'bastion.example.org', port: 22 },
          { user: 'carl', hostname: '10.0.0.2', port: 2200 },
        ],
      },
    });
  });

  it('reports every error at once, each next to its field', () => {
    const checked = checkHostForm({
      name: 'local',
      user: '',
      hostname: 'gpu 7',
      port: '70000',
      identityFile: '',
      identitiesOnly: false,
      jump: ['nobody-at-all', 'bob@bastion:0'],
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual({
      name: ['Name is reserved for "This computer".'],
      user: ['User is required.'],
      hostname: [
        'Hostname may contain only letters, digits, dots, colons, dashes and underscores.',
      ],
      port: ['Port must be 1–65535.'],
      'jump.0': ['Jump host 1: write it as user@host or user@host:port.'],
      'jump.1': ['Jump host 2: port must be 1–65535.'],
    });
  });

  it('says a port that is not a number must be one, in words rather than zod jargon', () => {
    for (const port of ['ssh', '']) {
      const checked = checkHostForm({ ...GOOD, port });
      expect(checked).toEqual({ ok: false, errors: { port: ['Port must be a number.'] } });
    }
  });

  it('starts a new form on port 22 with no jump hosts', () => {
    expect(emptyHostForm()).toMatchObject({ port: '22', jump: [], identityFile: '' });
  });
});

describe('fieldErrorsFromServer', () => {
  it('puts a taken name next to the name field', () => {
    const errors = fieldErrorsFromServer({
      code: 'host-name-taken',
      message: 'name: a host named "gpu-7" already exists.',
      hint: 'Pick another name, or edit the existing host.',
    });
    expect(errors).toEqual({ name: ['A host named "gpu-7" already exists.'] });
  });

  it("spreads main's invalid-input list over the fields it names", () => {
    const errors = fieldErrorsFromServer({
      code: 'invalid-input',
      message: 'Invalid input: port: must be 1–65535; jump.0.user: is required; extra: unknown',
    });
    expect(errors).toEqual({
      port: ['Port must be 1–65535.'],
      'jump.0': ['Jump host 1: user is required.'],
      form: ['extra: unknown.'],
    });
  });

  it('keeps any other error for the form as a whole, unchanged', () => {
    const message = 'LabDeck could not write its settings.';
    expect(fieldErrorsFromServer({ code: 'settings-unwritable', message })).toEqual({
      form: [message],
    });
  });
});

describe('hostFormFrom, parseHop and formatHop', () => {
  it('fills the edit form from the stored settings, identity file and jump hosts included', () => {
    const host = sshHost();
    const config = {
      id: host.id,
      name: 'gpu-7',
      user: 'ana',
      hostname: 'gpu-7.lab.example',
      port: 2222,
      identityFile: '/home/ana/.ssh/lab_ed25519',
      identitiesOnly: true,
      jump: [
        { user: 'bob', hostname: 'bastion.example.org', port: 22 },
        { user: 'carl', hostname: 'fd00::2', port: 2200 },
      ],
    };
    const values = hostFormFrom({ ...host, config });
    expect(values).toEqual({
      name: 'gpu-7',
      user: 'ana',
      hostname: 'gpu-7.lab.example',
      port: '2222',
      identityFile: '/home/ana/.ssh/lab_ed25519',
      identitiesOnly: true,
      jump: ['bob@bastion.example.org', 'carl@[fd00::2]:2200'],
    });
    // Saving the form unchanged sends exactly the stored settings back.
    const { id: _id, ...stored } = config;
    expect(checkHostForm(values)).toEqual({ ok: true, input: stored });
  });

  it('falls back to the address for a summary without settings', () => {
    expect(hostFormFrom({ ...sshHost(), config: null })).toEqual({
      ...emptyHostForm(),
      name: 'gpu-7',
      user: 'ana',
      hostname: 'gpu-7.lab.example',
      port: '2222',
    });
  });

  it('reads user@host, user@host:port and bracketed IPv6, and nothing else', () => {
    expect(parseHop('ana@h')).toEqual({ user: 'ana', hostname: 'h', port: 22 });
    expect(parseHop('ana@[::1]:2200')).toEqual({ user: 'ana', hostname: '::1', port: 2200 });
    expect(parseHop('h:22')).toBeNull();
    expect(parseHop('ana@')).toBeNull();
    expect(parseHop('ana@h:port')).toBeNull();
  });

  it('writes hops that parse back to themselves', () => {
    for (const hop of [
      { user: 'ana', hostname: 'h', port: 22 },
      { user: 'ana', hostname: '10.0.0.2', port: 2200 },
      { user: 'ana', hostname: '::1', port: 22 },
    ]) {
      expect(parseHop(formatHop(hop))).toEqual(hop);
    }
  });
});
