import { describe, expect, it } from 'vitest';
import type { TerminalLink } from '../../../common/contract/terminals';
import { linkNotice } from '../../../main/cli/terminal-link-notice';

const attached: TerminalLink = { link: 'attached', exitCode: null, droppedBytes: 0 };
const reattaching: TerminalLink = { link: 'reattaching', exitCode: null, droppedBytes: 0 };

describe("the CLI's line for a change of a terminal's link", () => {
  it('says nothing for the first attach, and nothing for the same state twice', () => {
    expect(linkNotice(undefined, attached)).toBeUndefined();
    expect(linkNotice(attached, attached)).toBeUndefined();
    expect(linkNotice(reattaching, reattaching)).toBeUndefined();
  });

  it('says [reattaching…] after a drop, with the reason when known, made terminal-safe', () => {
    expect(linkNotice(attached, reattaching)).toBe('[reattaching…]');
    expect(linkNotice(undefined, reattaching)).toBe('[reattaching…]');
    expect(
      linkNotice(attached, {
        ...reattaching,
        error: { code: 'host-disconnected', message: 'lab dropped\u001b[2J the connection' },
      }),
    ).toBe('[reattaching… lab dropped the connection]');
  });

  it('says [attached] once back, once', () => {
    expect(linkNotice(reattaching, attached)).toBe('[attached]');
    expect(linkNotice(reattaching, { ...attached, droppedBytes: 2_501_000 })).toBe('[attached]');
  });

  it('leaves the end to the attach, which says it after the last output', () => {
    expect(linkNotice(attached, { link: 'ended', exitCode: 3, droppedBytes: 0 })).toBeUndefined();
  });
});
