import { describe, expect, it } from 'vitest';
import { linkView, tabLink } from '../../../../renderer/src/features/terminals/link-view';
import type { PaneLink } from '../../../../renderer/src/features/terminals/terminals-store';

const link = (state: PaneLink['state'], exitCode: number | null = null): PaneLink => ({
  state,
  exitCode,
  droppedBytes: 0,
});

describe('link view', () => {
  it('says attached, reattaching… and ended with the exit code', () => {
    expect(linkView(link('attached'))).toEqual({ label: 'attached', tone: 'ok', busy: false });
    expect(linkView(link('reattaching'))).toMatchObject({ label: 'reattaching…', busy: true });
    expect(linkView(link('ended', 0))).toMatchObject({
      label: 'ended (exit code 0)',
      tone: 'neutral',
    });
    expect(linkView(link('ended', 3))).toMatchObject({
      label: 'ended (exit code 3)',
      tone: 'danger',
    });
    expect(linkView(link('ended'))).toMatchObject({ label: 'ended' });
    expect(linkView(link('missing'))).toMatchObject({ label: 'not found', tone: 'danger' });
  });

  it('shows on a tab the pane that most needs attention', () => {
    expect(tabLink([link('attached'), link('reattaching'), link('attached')])?.state).toBe(
      'reattaching',
    );
    expect(tabLink([link('ended', 1), link('reattaching')])?.state).toBe('ended');
    expect(tabLink([link('attached'), link('missing'), link('ended')])?.state).toBe('missing');
    expect(tabLink([])).toBeUndefined();
  });
});
