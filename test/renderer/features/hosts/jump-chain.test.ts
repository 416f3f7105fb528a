import { describe, expect, it } from 'vitest';
import { hopAddress, jumpChainLabel } from '../../../../renderer/src/features/hosts/jump-chain';
import { localHost, sshHost } from '../../host-fixtures';

describe('jumpChainLabel', () => {
  const gateway = sshHost(); // gpu-7: ana@gpu-7.lab.example:2222

  it('names each hop by the LabDeck host that is that endpoint, else by its address', () => {
    const hops = [
      { user: 'ana', hostname: 'gpu-7.lab.example', port: 2222 },
      { user: 'bob', hostname: 'fe80::1', port: 2200 },
      { user: 'cy', hostname: 'gw.lab', port: 22 },
    ];
    expect(jumpChainLabel(hops, [localHost(), gateway])).toBe(
      'via gpu-7 → bob@[fe80::1]:2200 → cy@gw.lab',
    );
  });

  it('does not take a host with another user or port for the hop', () => {
    const hop = { user: 'root', hostname: 'gpu-7.lab.example', port: 2222 };
    expect(jumpChainLabel([hop], [gateway])).toBe('via root@gpu-7.lab.example:2222');
    expect(jumpChainLabel([{ ...hop, user: 'ana', port: 22 }], [gateway])).toBe(
      'via ana@gpu-7.lab.example',
    );
  });

  it('says nothing for a host reached directly', () => {
    expect(jumpChainLabel([], [gateway])).toBeNull();
    expect(hopAddress({ user: 'ana', hostname: '::1', port: 22 })).toBe('ana@::1');
  });
});
