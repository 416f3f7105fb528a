import { describe, expect, it } from 'vitest';
import { parseHostKeyChange } from '../../../../renderer/src/features/hosts/host-key-change';

/** Shaped exactly as main/ssh/host-key-policy.ts writes it. */
const MESSAGE =
  'The host key of gpu-7.lab.example has CHANGED. Known: ssh-ed25519 ' +
  'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s (/home/ana/.ssh/known_hosts:3), ' +
  'ssh-rsa SHA256:Z9+/aB3dE (/home/ana/.ssh/known_hosts, old:7). Offered now: ssh-ed25519 ' +
  'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU. Someone may be intercepting the ' +
  'connection, or the server was reinstalled.';

describe('parseHostKeyChange', () => {
  it('reads every known key and the offered one, paths with commas included', () => {
    expect(parseHostKeyChange(MESSAGE)).toEqual({
      known: [
        {
          type: 'ssh-ed25519',
          fingerprint: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
          source: '/home/ana/.ssh/known_hosts:3',
        },
        {
          type: 'ssh-rsa',
          fingerprint: 'SHA256:Z9+/aB3dE',
          source: '/home/ana/.ssh/known_hosts, old:7',
        },
      ],
      offered: {
        type: 'ssh-ed25519',
        fingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
        source: null,
      },
    });
  });

  it('gives up on any other shape, so the card shows the message whole', () => {
    expect(parseHostKeyChange('gpu-7 already has a different known key.')).toBeNull();
    expect(parseHostKeyChange('Known: garbage. Offered now: ssh-ed25519 SHA256:abc.')).toBeNull();
  });
});
