import { describe, expect, it } from 'vitest';
import type { AppInfo } from '../../../../common/app/app-info';
import {
  keyboardInteractiveTitle,
  promptLabel,
  rememberOption,
  secretPromptText,
  secretRetryText,
} from '../../../../renderer/src/features/prompts/prompt-text';

const INFO: AppInfo = {
  version: '0.1.0',
  mode: 'browser',
  platform: 'linux',
  home: '/home/ana/.labdeck',
  secretsPersistent: false,
  notices: [],
};

describe('rememberOption', () => {
  it('lets browser mode remember while its server runs, and says so on the box', () => {
    expect(rememberOption(INFO)).toEqual({
      label: 'Remember (kept while this server runs)',
      enabled: true,
      note: 'Kept in memory only: LabDeck forgets it when labdeck serve stops.',
    });
    expect(rememberOption(INFO).label).not.toContain('keychain');
  });

  it('keeps the keychain wording in the desktop app, disabled without a keychain', () => {
    expect(rememberOption({ ...INFO, mode: 'electron', secretsPersistent: true })).toEqual({
      label: 'Remember (encrypted with your OS keychain)',
      enabled: true,
      note: null,
    });
    const noKeychain = rememberOption({ ...INFO, mode: 'electron' });
    expect(noKeychain.enabled).toBe(false);
    expect(noKeychain.note).toContain('No OS keychain');
  });

  it('keeps it off until the app info is known', () => {
    expect(rememberOption(null)).toEqual({ label: 'Remember', enabled: false, note: null });
  });
});

describe('prompt wording', () => {
  it('names the key or the account the secret is for', () => {
    const passphrase = secretPromptText({
      kind: 'passphrase',
      host: 'gpu-7',
      keyPath: '/home/ana/.ssh/id_ed25519',
      retry: false,
    });
    expect(passphrase.lede).toContain('/home/ana/.ssh/id_ed25519');
    expect(passphrase.label).toBe('Passphrase');
    const password = secretPromptText({
      kind: 'password',
      host: 'gpu-7',
      user: 'ana',
      retry: true,
    });
    expect(password.title).toBe('Password for ana@gpu-7');
  });

  it('says the answer was wrong when asking again, and for a password which user to check', () => {
    expect(secretRetryText({ kind: 'password', host: 'gpu-7', user: 'uxuser', retry: true })).toBe(
      'Wrong password — try again. If uxuser is not your user name on gpu-7, cancel and edit the host.',
    );
    expect(secretRetryText({ kind: 'passphrase', host: 'gpu-7', keyPath: '/k', retry: true })).toBe(
      'Wrong passphrase — try again.',
    );
  });

  it('labels keyboard-interactive fields from the server’s questions', () => {
    expect(promptLabel('Verification code: ', 0)).toBe('Verification code');
    expect(promptLabel('  ', 1)).toBe('Answer 2');
    const request = {
      kind: 'keyboard-interactive' as const,
      host: 'gpu-7',
      user: 'ana',
      name: '',
      instructions: '',
      prompts: [],
    };
    expect(keyboardInteractiveTitle(request)).toBe('Sign in to gpu-7');
    expect(keyboardInteractiveTitle({ ...request, name: 'Duo two-factor' })).toBe('Duo two-factor');
  });
});
