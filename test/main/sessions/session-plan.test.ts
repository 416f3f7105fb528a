import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../common/contract/result';
import { planSession } from '../../../main/sessions/session-plan';
import { parseByteSize, parseNanoCpus } from '../../../common/session-fields';

/** The failure planSession throws for `input`, as the user reads it. */
function refusal(input: Parameters<typeof planSession>[0]): string {
  try {
    planSession(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).code).toBe('invalid-session');
    return (error as AppFailure).message;
  }
  throw new Error('planSession accepted it');
}

describe('planSession', () => {
  it('turns a good form into what Docker wants', () => {
    expect(
      planSession({
        hostId: 'lab',
        image: ' pytorch/pytorch:2.4 ',
        gpus: '1.5',
        cpus: '0.5',
        memory: '16g',
        shm: '512m',
        env: ['A=1'],
        ports: 'jupyter:http:8888, tb:http:6006,',
        name: 'train',
        mounts: [{ name: 'data', readOnly: true }, { name: 'code' }],
      }),
    ).toEqual({
      image: 'pytorch/pytorch:2.4',
      gpus: '1.5',
      nanoCpus: 500_000_000,
      memoryBytes: 16 * 1024 ** 3,
      shmBytes: 512 * 1024 ** 2,
      env: ['A=1'],
      ports: [
        { name: 'jupyter', protocol: 'http', ports: [8888] },
        { name: 'tb', protocol: 'http', ports: [6006] },
      ],
      command: undefined,
      name: 'train',
      mounts: [
        { name: 'data', readOnly: true },
        { name: 'code', readOnly: false },
      ],
      warnings: [],
    });
  });

  it('defaults to no GPU, no limits and no ports', () => {
    expect(planSession({ hostId: 'lab', image: 'ubuntu' })).toMatchObject({
      gpus: '0',
      nanoCpus: undefined,
      memoryBytes: undefined,
      ports: [],
    });
  });

  it('names every broken field at once', () => {
    const message = refusal({
      hostId: 'lab',
      image: '-it',
      gpus: '1,5',
      cpus: 'four',
      memory: '1k',
      shm: 'big',
      ports: 'jupyter:http:80',
      name: 'my session',
    });
    expect(message).toMatch(/image: "-it" is not an image reference/);
    expect(message).toMatch(/gpus: "1,5" is not an amount of GPUs/);
    expect(message).toMatch(/cpus: "four" is not a number of CPUs/);
    expect(message).toMatch(/memory: 1k is below the 6 MiB/);
    expect(message).toMatch(/shm: "big" is not a size/);
    expect(message).toMatch(/ports: entry 1: .*80/);
    expect(message).toMatch(/name: "my session" is not a session name/);
  });

  it('refuses bad folder names and a folder asked for twice, with the other fields', () => {
    const message = refusal({
      hostId: 'lab',
      image: 'ubuntu',
      gpus: 'lots',
      mounts: [
        { name: '..' },
        { name: 'a/b' },
        { name: '.bashrc' },
        { name: 'x'.repeat(65) },
        { name: 'data' },
        { name: 'data', readOnly: true },
      ],
    });
    expect(message).toContain('gpus: "lots"');
    expect(message).toContain('mounts: folder ".." may have only letters');
    expect(message).toContain('mounts: folder "a/b" may have only letters');
    expect(message).toContain('mounts: folder ".bashrc" is reserved');
    expect(message).toContain('must be at most 64 characters (it has 65)');
    expect(message).toContain('mounts: folder "data" is asked for twice');
  });

  it('refuses environment names that carry the GPUs and their limits', () => {
    const message = refusal({
      hostId: 'lab',
      image: 'x',
      env: [
        'NVIDIA_VISIBLE_DEVICES=all',
        'LD_PRELOAD=/x.so',
        'CUDA_MPS_PINNED_DEVICE_MEM_LIMIT=0=80G',
        'OK=1',
      ],
    });
    expect(message).toMatch(/env: NVIDIA_VISIBLE_DEVICES is set by LabDeck/);
    expect(message).toMatch(/env: LD_PRELOAD is set by LabDeck/);
    expect(message).toMatch(/env: CUDA_MPS_PINNED_DEVICE_MEM_LIMIT is set by LabDeck/);
    expect(message).not.toMatch(/OK/);
  });

  it('keeps the group whose dotfiles apply, none meaning the primary group, and refuses one that is no Unix group name with the other fields', () => {
    expect(planSession({ hostId: 'lab', image: 'x', group: 'ml-team' }).group).toBe('ml-team');
    expect(planSession({ hostId: 'lab', image: 'x' }).group).toBeUndefined();
    const message = refusal({ hostId: 'lab', image: 'x', gpus: 'lots', group: 'Not A Group' });
    expect(message).toContain('gpus: "lots"');
    expect(message).toContain(
      'group: "Not A Group" is not a Unix group name (like lab or ml-team)',
    );
    for (const group of ['', '-lab', 'lab/x', 'a'.repeat(33)])
      expect(refusal({ hostId: 'lab', image: 'x', group })).toContain(`group: "${group}"`);
  });

  it('keeps the warning of a dropped pty service', () => {
    expect(
      planSession({ hostId: 'lab', image: 'x', ports: 'repl:pty:2999,web:http:8080' }),
    ).toMatchObject({
      ports: [{ name: 'web', protocol: 'http', ports: [8080] }],
      warnings: [expect.stringMatching(/pty/)],
    });
  });
});

describe('sizes', () => {
  it.each([
    ['512', 512],
    ['512b', 512],
    ['1k', 1024],
    ['1.5g', 1.5 * 1024 ** 3],
    ['64GiB', 64 * 1024 ** 3],
    ['2 T', 2 * 1024 ** 4],
    ['0.5m', 512 * 1024],
  ])('reads %s as %d bytes', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));

  it.each(['', 'g', '-1g', '1e9', '1.g', '16 gigs', '99999999999999999t'])(
    'refuses %j as a size',
    (text) => expect(parseByteSize(text)).toBeUndefined(),
  );

  it('reads CPUs exactly and refuses none or nonsense', () => {
    expect(parseNanoCpus('4')).toBe(4_000_000_000);
    expect(parseNanoCpus('0.001')).toBe(1_000_000);
    expect(parseNanoCpus('0')).toBeUndefined();
    expect(parseNanoCpus('1/2')).toBeUndefined();
  });
});
