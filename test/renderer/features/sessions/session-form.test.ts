import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../../common/contract/result';
import { planSession } from '../../../../main/sessions/session-plan';
import {
  checkSessionForm,
  emptySessionForm,
  errorsFromServer,
  portRowsOfLabel,
} from '../../../../renderer/src/features/sessions/session-form';

const base = { ...emptySessionForm('lab'), image: 'busybox:1', gpus: '0.5' };

/** What main answers to `input`: the AppFailure planSession throws, as the form receives it. */
function refusal(input: Parameters<typeof planSession>[0]) {
  try {
    planSession(input);
  } catch (error) {
    if (error instanceof AppFailure) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('planSession accepted the input');
}

describe('checkSessionForm', () => {
  it('checks sizes, CPUs and the name as the user types, with the messages main gives', () => {
    const checked = checkSessionForm({
      ...base,
      cpus: 'four',
      memory: '16 gigs',
      shm: '1k',
      name: 'my session',
    });
    expect(checked).toEqual({
      ok: false,
      errors: {
        cpus: ['"four" is not a number of CPUs: use a decimal like 4 or 0.5.'],
        memory: ['"16 gigs" is not a size: use bytes or 512m, 16g, 64GiB.'],
        shm: ['1k is below the 6 MiB Docker allows.'],
        name: [expect.stringMatching(/^"my session" is not a session name/)],
      },
    });
    const main = refusal({ hostId: 'lab', image: 'busybox:1', cpus: 'four', memory: '16 gigs' });
    expect(main.message).toContain('cpus: "four" is not a number of CPUs');
    expect(main.message).toContain('memory: "16 gigs" is not a size');
  });

  it('gives the request main takes, blank rows left out and ports in the label form', () => {
    const checked = checkSessionForm({
      ...base,
      memory: ' 16g ',
      env: ['A=1', ''],
      ports: [
        { name: 'jupyter', protocol: 'http', port: '8888' },
        { name: '', protocol: 'http', port: '' },
        { name: 'tb', protocol: 'http', port: '6006' },
      ],
    });
    expect(checked).toEqual({
      ok: true,
      input: {
        hostId: 'lab',
        image: 'busybox:1',
        gpus: '0.5',
        memory: '16g',
        env: ['A=1'],
        ports: 'jupyter:http:8888,tb:http:6006',
      },
    });
    if (checked.ok) expect(() => planSession(checked.input)).not.toThrow();
  });

  it('puts each service-port error at its own row and field, counting blank rows', () => {
    const checked = checkSessionForm({
      ...base,
      ports: [
        { name: 'web', protocol: 'http', port: '80' },
        { name: '', protocol: 'http', port: '' },
        { name: 'web', protocol: 'http', port: '8081' },
        { name: 'ssh', protocol: 'tcp', port: '2200' },
      ],
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual({
      'ports.0.port': ['port 80 is below 1025'],
      'ports.2.name': ['name "web" is used twice'],
      'ports.3.port': ['port 2200 is reserved (the in-container SSH server of Backend.AI images)'],
    });
  });

  it('refuses a GPU amount and env entries by the rules main uses', () => {
    const checked = checkSessionForm({ ...base, gpus: '1,5', env: ['1X=2', 'OK=1'] });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors).sort()).toEqual(['env.0', 'gpus']);
    expect(() => planSession({ hostId: 'lab', image: 'busybox:1', gpus: '1,5' })).toThrow(
      /gpus: "1,5" is not an amount/,
    );
  });
});

describe('errorsFromServer', () => {
  it("splits main's invalid-session message into the fields it names", () => {
    const error = refusal({
      hostId: 'lab',
      image: 'busybox:1',
      memory: 'lots',
      ports: 'a:http:80,b:http:90',
      name: '-x',
    });
    const errors = errorsFromServer(error);
    expect(Object.keys(errors).sort()).toEqual(['memory', 'name', 'ports']);
    // The ports message has semicolons of its own; it stays whole.
    expect(errors.ports).toEqual([
      'entry 1: port 80 is below 1025; entry 2: port 90 is below 1025',
    ]);
    expect(errors.memory?.[0]).toMatch(/^"lots" is not a size/);
    expect(errors.name?.[0]).toMatch(/^"-x" is not a session name/);
  });

  it('puts a dotfile refusal beside the group picker, with its hint: only another group mends a group the user is not in', () => {
    const notMember = {
      code: 'dotfile-group-not-member',
      message:
        'You (ada) are not in group cv, so its dotfiles are not yours to read or start a session with.',
      hint: 'Your groups here: ada, ml. Pick one of them.',
    };
    expect(errorsFromServer(notMember)).toEqual({
      group: [`${notMember.message} ${notMember.hint}`],
    });
    expect(
      errorsFromServer({
        code: 'dotfile-store-unreadable',
        message: 'Group ml’s dotfiles cannot be read.',
      }),
    ).toEqual({ dotfiles: ['Group ml’s dotfiles cannot be read.'] });
  });

  it('keeps any other failure at the foot of the form, with its hint', () => {
    expect(
      errorsFromServer({
        code: 'insufficient',
        message: 'Not enough GPUs.',
        hint: 'Ask for less.',
      }),
    ).toEqual({ form: ['Not enough GPUs. Ask for less.'] });
  });
});

describe('portRowsOfLabel', () => {
  it("prefills the rows from an image's label, and nothing from a broken one", () => {
    expect(portRowsOfLabel('jupyter:http:8888,vnc:vnc:[5900,5901]')).toEqual([
      { name: 'jupyter', protocol: 'http', port: '8888' },
      { name: 'vnc', protocol: 'vnc', port: '[5900,5901]' },
    ]);
    expect(portRowsOfLabel('jupyter:http')).toBeNull();
    expect(portRowsOfLabel(null)).toBeNull();
  });
});
