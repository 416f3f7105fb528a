import { describe, expect, it } from 'vitest';
import {
  overridesText,
  previewRows,
  reportText,
  summaryLine,
  whenText,
} from '../../../../renderer/src/features/dotfiles/dotfile-view';
import { summary } from './dotfile-fixtures';

describe('dotfile words', () => {
  it('shows times as the conflict messages do, and a list row’s detail', () => {
    expect(whenText('2026-12-02T14:03:59.120Z')).toBe('2026-12-02 14:03 UTC');
    expect(whenText('yesterday')).toBe('yesterday');
    expect(summaryLine(summary({ bytes: 1536, updatedBy: 'bob' }))).toBe(
      'mode 644 · 1.5 KiB · updated by bob, 2026-12-02 14:03 UTC',
    );
  });

  it('lists the preview by path, each with its level and what it overrides', () => {
    const rows = previewRows([
      {
        path: '/etc/bash.bashrc',
        scope: 'domain',
        group: null,
        mode: '644',
        bytes: 10,
        overrides: [],
      },
      {
        path: '.bashrc',
        scope: 'user',
        group: null,
        mode: '600',
        bytes: 2048,
        overrides: [
          { scope: 'group', group: 'ml' },
          { scope: 'domain', group: null },
        ],
      },
      { path: '.vimrc', scope: 'group', group: 'ml', mode: '644', bytes: 1, overrides: [] },
    ]);
    expect(rows.map((r) => [r.shown, r.source, r.overrides, r.detail])).toEqual([
      ['~/.bashrc', 'yours', 'overrides group ml’s and the lab’s', 'mode 600 · 2 KiB'],
      ['~/.vimrc', 'group ml', '', 'mode 644 · 1 B'],
      ['/etc/bash.bashrc', 'the lab', '', 'mode 644 · 10 B'],
    ]);
    expect(overridesText({ overrides: [{ scope: 'domain', group: null }] })).toBe(
      'overrides the lab’s',
    );
  });

  it('puts a session start’s dotfiles into one sentence', () => {
    expect(reportText({ group: 'ml', written: 1, skipped: [] })).toBe(
      'Dotfiles (group ml): 1 file written.',
    );
    expect(
      reportText({
        group: 'ada',
        written: 2,
        skipped: [
          { path: '.local/bin/x', reason: 'it would land in the mounted folder .local.' },
          { path: '/etc/profile', reason: 'the image has no /etc' },
        ],
      }),
    ).toBe(
      'Dotfiles (group ada): 2 files written; skipped ~/.local/bin/x (it would land in the mounted folder .local), /etc/profile (the image has no /etc).',
    );
  });
});
