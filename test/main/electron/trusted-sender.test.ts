import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../../common/security/csp';
import { isTrustedSender, type SenderInfo } from '../../../main/electron/trusted-sender';

const trusted = { ids: new Set([7]), origin: APP_ORIGIN };
const good: SenderInfo = {
  webContentsId: 7,
  isMainFrame: true,
  frameUrl: 'app://labdeck/index.html',
};

describe('isTrustedSender', () => {
  it('trusts the main frame of our window on our origin', () => {
    expect(isTrustedSender(good, trusted)).toBe(true);
    expect(isTrustedSender({ ...good, frameUrl: 'app://labdeck/' }, trusted)).toBe(true);
  });

  it('refuses a webContents our window factory did not create', () => {
    expect(isTrustedSender({ ...good, webContentsId: 8 }, trusted)).toBe(false);
  });

  it('refuses a subframe, even on our origin', () => {
    expect(isTrustedSender({ ...good, isMainFrame: false }, trusted)).toBe(false);
  });

  it.each([
    'https://evil.example/index.html',
    'app://evil/index.html',
    'app://labdeck.evil.example/',
    'http://labdeck/',
    'file:///opt/LabDeck/out/renderer/index.html',
    'about:blank',
    'data:text/html,<script>1</script>',
    'blob:app://labdeck/3f1c',
    'not a url',
    '',
  ])('refuses a page from elsewhere: %s', (frameUrl) => {
    expect(isTrustedSender({ ...good, frameUrl }, trusted)).toBe(false);
  });

  it('refuses a frame that is already gone', () => {
    expect(isTrustedSender({ ...good, frameUrl: undefined }, trusted)).toBe(false);
  });

  it('trusts the dev server origin only when that is the configured origin', () => {
    const dev = { ids: trusted.ids, origin: 'http://localhost:5173' };
    const devPage = { ...good, frameUrl: 'http://localhost:5173/' };
    expect(isTrustedSender(devPage, dev)).toBe(true);
    expect(isTrustedSender({ ...devPage, frameUrl: 'http://localhost:5174/' }, dev)).toBe(false);
    expect(isTrustedSender(devPage, trusted)).toBe(false);
  });

  it('trusts nothing when the configured origin is not a URL', () => {
    expect(isTrustedSender(good, { ids: trusted.ids, origin: 'labdeck' })).toBe(false);
  });
});
