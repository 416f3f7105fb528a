import { describe, expect, it } from 'vitest';
import { parsePastedAddress } from '../../../../renderer/src/features/hosts/pasted-address';

describe('parsePastedAddress: addresses as hints and docs print them', () => {
  it('reads user@host:port, user@[::1]:port, host:port and ssh:// URIs', () => {
    expect(parsePastedAddress('alice@gpu-7.lab.example:2222')).toEqual({
      user: 'alice',
      hostname: 'gpu-7.lab.example',
      port: 2222,
    });
    expect(parsePastedAddress('  alice@[::1]:2222 \n')).toEqual({
      user: 'alice',
      hostname: '::1',
      port: 2222,
    });
    expect(parsePastedAddress('gpu-7:2200')).toEqual({ hostname: 'gpu-7', port: 2200 });
    expect(parsePastedAddress('alice@gpu-7')).toEqual({ user: 'alice', hostname: 'gpu-7' });
    expect(parsePastedAddress('ssh://alice@gpu-7:2222')).toEqual({
      user: 'alice',
      hostname: 'gpu-7',
      port: 2222,
    });
    // ssh reads an IPv6 address after @ without brackets as a host, not host:port.
    expect(parsePastedAddress('alice@fe80::1')).toEqual({ user: 'alice', hostname: 'fe80::1' });
  });

  it('leaves what it cannot read completely to the field, as typed', () => {
    for (const text of [
      'gpu-7', // a plain host name: the field takes it as it is
      '::1',
      'alice@gpu-7:4819l', // a port that is not a number
      'alice@gpu-7:0',
      'alice@gpu-7:65536',
      'alice@gpu-7:22:33',
      'alice@-v',
      'alice@',
      '@gpu-7',
      'a@b@c',
      'gpu 7',
      '',
    ]) {
      expect(parsePastedAddress(text), text).toBeNull();
    }
  });
});

describe('parsePastedAddress: ssh commands', () => {
  it('reads -p, -l, the destination, and which wins as ssh has it', () => {
    expect(parsePastedAddress('ssh -p 2222 alice@gpu-7')).toEqual({
      user: 'alice',
      hostname: 'gpu-7',
      port: 2222,
    });
    expect(parsePastedAddress('ssh alice@gpu-7 -p 2222')).toEqual(
      parsePastedAddress('ssh -p2222 alice@gpu-7'),
    );
    expect(parsePastedAddress('ssh -l bob alice@gpu-7')?.user).toBe('bob');
    expect(parsePastedAddress('ssh gpu-7')).toEqual({ hostname: 'gpu-7' });
  });

  it('takes -i and -J into the identity file and jump hosts, quotes included', () => {
    expect(
      parsePastedAddress(`ssh -i "~/.ssh/lab key" -J bob@gate:2022,carol@inner alice@gpu-7`),
    ).toEqual({
      user: 'alice',
      hostname: 'gpu-7',
      identityFile: '~/.ssh/lab key',
      jump: ['bob@gate:2022', 'carol@inner'],
    });
  });

  it('reads nothing from a command whose every part it cannot place', () => {
    for (const text of [
      'ssh alice@gpu-7 nvidia-smi', // a remote command
      'ssh -v alice@gpu-7', // an option the form has no field for
      'ssh -L 8888:localhost:8888 alice@gpu-7',
      'ssh -o Port=2222 alice@gpu-7',
      'ssh -p 2222', // no destination
      'ssh -p', // an option without its value
      'ssh -p 22x alice@gpu-7',
      'ssh -p 1 -p 2 alice@gpu-7', // two ports: which one the user meant is a guess
      'ssh alice@gpu-7:2222', // ssh reads this as a host named "gpu-7:2222"
      'ssh -J gate alice@gpu-7', // a jump host without its user
      'ssh "alice@gpu-7', // an unbalanced quote
      'ssh alice@$HOST', // needs a shell
      'ssh alice@gpu-7; rm -rf ~',
      'ssh alice@gpu-7\nssh bob@gpu-8',
    ]) {
      expect(parsePastedAddress(text), text).toBeNull();
    }
  });
});
