import { describe, expect, it } from 'vitest';
import { requests } from '../../../../common/contract/contract';
import { checkFingerprintInput } from '../../../../renderer/src/features/hosts/fingerprint-input';

/** As `ssh-keygen -lf key.pub -E sha256` prints it: 43 unpadded base64 characters. */
const FINGERPRINT = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';

describe('checkFingerprintInput', () => {
  it('is ready for a well-formed fingerprint, typed or pasted with spaces around it', () => {
    expect(checkFingerprintInput(FINGERPRINT)).toEqual({ ready: true, fingerprint: FINGERPRINT });
    expect(checkFingerprintInput(`  ${FINGERPRINT}\n`)).toEqual({
      ready: true,
      fingerprint: FINGERPRINT,
    });
  });

  it('says nothing yet while the field is empty or holds the start of "SHA256:"', () => {
    for (const text of ['', '   ', 'S', 'SHA2', 'SHA256:']) {
      expect(checkFingerprintInput(text)).toEqual({ ready: false, error: null });
    }
  });

  it('counts the characters while the digest is too short or too long', () => {
    expect(checkFingerprintInput('SHA256:47DEQ')).toEqual({
      ready: false,
      error: '5 characters after "SHA256:"; a SHA256 fingerprint has 43.',
    });
    expect(checkFingerprintInput(`${FINGERPRINT}AB`)).toMatchObject({
      error: '45 characters after "SHA256:"; a SHA256 fingerprint has 43.',
    });
  });

  it('names the mistake: a missing prefix, MD5, padding, stray characters', () => {
    const digest = FINGERPRINT.slice('SHA256:'.length);
    expect(checkFingerprintInput(digest)).toMatchObject({
      error: 'It must start with "SHA256:", as ssh-keygen -l prints it.',
    });
    expect(checkFingerprintInput('sha256:' + digest)).toMatchObject({ ready: false });
    expect(checkFingerprintInput('MD5:16:27:ac:a5:76:28:2d:36')).toMatchObject({
      error: expect.stringContaining('MD5 fingerprint'),
    });
    expect(checkFingerprintInput('16:27:ac:a5:76:28:2d:36:63:1b')).toMatchObject({
      error: expect.stringContaining('MD5 fingerprint'),
    });
    expect(checkFingerprintInput(`${FINGERPRINT}=`)).toMatchObject({
      error: expect.stringContaining('leaves out the trailing "="'),
    });
    expect(checkFingerprintInput(`SHA256:47DEQpj8 HBSa`)).toEqual({
      ready: false,
      error: 'Only letters, digits, + and / may follow "SHA256:".',
    });
  });

  it('accepts exactly what hosts:replace-host-key accepts', () => {
    const schema = requests['hosts:replace-host-key'].input;
    const samples = [
      FINGERPRINT,
      `${FINGERPRINT}=`,
      FINGERPRINT.slice(0, -1),
      FINGERPRINT.replace('+', '-'),
      `SHA256:${'A'.repeat(43)}`,
      `sha256:${'A'.repeat(43)}`,
    ];
    for (const text of samples) {
      const accepted = schema.safeParse({ hostId: 'h', fingerprint: text }).success;
      expect(checkFingerprintInput(text).ready, text).toBe(accepted);
    }
  });
});
