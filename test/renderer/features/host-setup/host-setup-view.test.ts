import { describe, expect, it } from 'vitest';
import {
  canUndo,
  changeStatusView,
  checksSummary,
  setupCheckView,
  setupOffer,
  setupVerdict,
  splitChanges,
} from '../../../../renderer/src/features/host-setup/host-setup-view';
import { notSetUp, report, setUp } from './setup-fixtures';

describe('the card’s setup offer', () => {
  it('offers nothing before the status is known, when it failed, or to a user who cannot sudo', () => {
    expect(setupOffer(undefined)).toEqual({ kind: 'none' });
    expect(setupOffer({ phase: 'loading' })).toEqual({ kind: 'none' });
    expect(setupOffer({ phase: 'failed', error: { code: 'x', message: 'x' } })).toEqual({
      kind: 'none',
    });
    expect(setupOffer({ phase: 'loaded', status: notSetUp({ sudo: 'none' }) })).toEqual({
      kind: 'none',
    });
    expect(setupOffer({ phase: 'loaded', status: setUp({ sudo: 'none' }) })).toEqual({
      kind: 'none',
    });
  });

  it('is quiet on a host set up for this version', () => {
    expect(setupOffer({ phase: 'loaded', status: setUp() })).toEqual({
      kind: 'done',
      detail: 'LabDeck 1.4.0 · lab vision · 1 volume',
    });
  });

  it('says why setup is needed, and that sudo will ask for a password', () => {
    const offer = setupOffer({ phase: 'loaded', status: notSetUp() });
    expect(offer).toMatchObject({ kind: 'needed', title: 'Not set up for LabDeck' });
    if (offer.kind !== 'needed') return;
    expect(offer.reason).toContain('Folders with quotas, shared dotfiles');
    expect(offer.note).toContain('sudo password');
    const asRoot = setupOffer({ phase: 'loaded', status: notSetUp({ sudo: 'root' }) });
    expect(asRoot).toMatchObject({ kind: 'needed', note: null });
  });

  it('names the version a host is set up for when it is another one', () => {
    const status = setUp({
      helper: { state: 'other-version', installedVersions: ['1.3.2'], detail: 'only 1.3.2' },
    });
    const offer = setupOffer({ phase: 'loaded', status });
    expect(offer).toMatchObject({ kind: 'needed', title: 'Set up for LabDeck 1.3.2' });
    if (offer.kind === 'needed') expect(offer.reason).toContain('This app is LabDeck 1.4.0');
  });

  it('tells another build of this very version from another version, and says a damaged helper in one sentence', () => {
    const build = setUp({
      helper: { state: 'other-version', installedVersions: ['1.4.0'], detail: 'another build' },
    });
    expect(setupOffer({ phase: 'loaded', status: build })).toMatchObject({
      kind: 'needed',
      title: 'Set up for another build of LabDeck 1.4.0',
      reason: expect.stringMatching(/^Set the host up again from this app so /),
    });
    const damaged = setUp({
      helper: {
        state: 'invalid',
        installedVersions: ['1.4.0'],
        detail: 'The helper at /opt/x is not the file setup installed; run host setup again.',
      },
    });
    const offer = setupOffer({ phase: 'loaded', status: damaged });
    expect(offer).toMatchObject({ kind: 'needed', title: "LabDeck's helper here is damaged" });
    if (offer.kind === 'needed')
      expect(offer.reason).toMatch(/^The helper at \/opt\/x .* run host setup again\. Setting /);
  });

  it('calls for setup when the configuration is missing or broken', () => {
    const status = setUp({ config: { state: 'invalid', detail: 'lab: required' } });
    expect(setupOffer({ phase: 'loaded', status })).toMatchObject({
      kind: 'needed',
      title: "The lab's configuration is not valid",
      reason: expect.stringContaining('lab: required.'),
    });
  });

  it('offers Undo only where setup left something', () => {
    expect(canUndo(null)).toBe(false);
    expect(canUndo(notSetUp())).toBe(false);
    expect(canUndo(setUp())).toBe(true);
    expect(canUndo(notSetUp({ config: { state: 'ok', detail: 'valid', lab: 'x' } }))).toBe(true);
  });
});

describe('a setup report', () => {
  it('ends with the verdict the CLI prints, in the window’s words', () => {
    const done = report('setup', [
      { status: 'done', title: 'create /var/lib/labdeck' },
      { status: 'unchanged', title: 'group labdeck exists' },
    ]);
    expect(setupVerdict(done, 'gpu-7')).toBe('gpu-7 is set up for LabDeck 1.4.0: 1 change made.');
    const again = report('setup', [{ status: 'unchanged', title: 'group labdeck exists' }]);
    expect(setupVerdict(again, 'gpu-7')).toBe(
      'Nothing changed: gpu-7 is already set up for LabDeck 1.4.0.',
    );
    const plan = report('dry-run', [
      { status: 'planned', title: 'a' },
      { status: 'planned', title: 'b' },
    ]);
    expect(setupVerdict(plan, 'gpu-7')).toBe(
      'Preview: setup would make 2 changes; nothing was changed yet.',
    );
    expect(setupVerdict(report('dry-run', []), 'gpu-7')).toContain('Nothing to change');
    const undone = report('undo', [
      { status: 'removed', title: 'a' },
      { status: 'restored', title: 'b' },
      { status: 'kept', title: 'c' },
    ]);
    expect(setupVerdict(undone, 'gpu-7')).toBe('Undone: 1 removed, 1 restored, 1 kept.');
    expect(setupVerdict(report('undo', [], { changed: false }), 'gpu-7')).toContain(
      'Nothing to undo',
    );
  });

  it('reads each change status in words', () => {
    expect(changeStatusView('planned')).toEqual({ label: 'Would do', tone: 'warning' });
    expect(changeStatusView('unchanged').label).toBe('Unchanged');
    expect(changeStatusView('removed').label).toBe('Removed');
  });

  it('shows a fix only for a check that did not pass, split into commands', () => {
    const failing = setupCheckView({
      check: 'nvidia-toolkit',
      title: 'NVIDIA container toolkit',
      status: 'fail',
      detail: 'not installed',
      fix: 'Install it: `apt-get install nvidia-container-toolkit`, then `systemctl restart docker`',
    });
    expect(failing.label).toBe('Failed');
    expect(failing.fix?.commands).toEqual([
      'apt-get install nvidia-container-toolkit',
      'systemctl restart docker',
    ]);
    const nobody = {
      check: 'group-members',
      title: 'Members of labdeck',
      status: 'warn',
      detail: 'nobody yet',
      fix: 'sudo usermod -aG labdeck USER (the user connects again afterwards)',
    } as const;
    const members = setupCheckView(nobody);
    expect(members.fix).toEqual({
      lead: null,
      commands: ['sudo usermod -aG labdeck USER'],
      note: 'the user connects again afterwards',
    });
    const passing = setupCheckView({ ...nobody, status: 'pass' });
    expect(passing.fix).toBeNull();
  });

  it('sums the checks up, coloured by the worst', () => {
    const check = { check: 'docker', title: 'Docker', detail: '' } as const;
    const pass = { ...check, status: 'pass' } as const;
    expect(checksSummary(report('setup', [], { checks: [pass, pass] }))).toEqual({
      text: 'All 2 checks passed.',
      tone: 'ok',
    });
    const warn = { ...check, status: 'warn' } as const;
    expect(checksSummary(report('setup', [], { checks: [pass, warn] }))).toEqual({
      text: 'Checks: 1 warning — each with the command that fixes it.',
      tone: 'warning',
    });
    const fail = { ...check, status: 'fail' } as const;
    expect(checksSummary(report('setup', [], { checks: [warn, fail, warn] }))).toEqual({
      text: 'Checks: 1 failed, 2 warnings — each with the command that fixes it.',
      tone: 'danger',
    });
  });

  it('folds away what was already so, keeping the order of the rest', () => {
    const changes = [
      { status: 'unchanged', title: 'a' },
      { status: 'done', title: 'b' },
      { status: 'kept', title: 'c' },
      { status: 'unchanged', title: 'd' },
    ] as const;
    const { shown, unchanged } = splitChanges(report('setup', [...changes]));
    expect(shown.map((c) => c.title)).toEqual(['b', 'c']);
    expect(unchanged.map((c) => c.title)).toEqual(['a', 'd']);
  });
});
