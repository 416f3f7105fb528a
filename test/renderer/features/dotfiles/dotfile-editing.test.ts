import { describe, expect, it } from 'vitest';
import { isDirty } from '../../../../renderer/src/features/dotfiles/dotfile-draft';
import { document, summary } from './dotfile-fixtures';
import { client, CONFLICT, sent, setup } from './dotfiles-store-fixture';

describe('dotfiles store: the open file, its saves and conflicts', () => {
  it('saves an opened file from the revision it was opened at, then lists the level again', async () => {
    const fake = client().answer('dotfiles:set', async (input) => ({
      ok: true,
      value: summary({ revision: 4, bytes: input.content.length }),
    }));
    const { store } = await setup(fake);
    await store.getState().open('.bashrc');
    store.getState().edit({ content: 'alias ll="ls -l"\n', path: '.other' });
    const draft = store.getState().draft!;
    expect(draft.path).toBe('.bashrc'); // an opened file keeps its path
    expect(isDirty(draft)).toBe(true);
    const result = await store.getState().save();
    expect(result?.ok).toBe(true);
    expect(sent(fake, 'dotfiles:set')).toEqual([
      {
        hostId: 'local',
        scope: 'user',
        path: '.bashrc',
        content: 'alias ll="ls -l"\n',
        mode: '644',
        baseRevision: 3,
      },
    ]);
    expect(store.getState().draft?.saved?.revision).toBe(4);
    expect(isDirty(store.getState().draft)).toBe(false);
    expect(sent(fake, 'dotfiles:list')).toHaveLength(2);
  });

  it('creates a new file with baseRevision null, at the group level chosen', async () => {
    const fake = client().answer('dotfiles:set', async () => ({
      ok: true,
      value: summary({ scope: 'group', group: 'ml', path: '/etc/profile.d/lab.sh', revision: 1 }),
    }));
    const { store } = await setup(fake);
    store.getState().chooseLevel({ scope: 'group', group: 'ml' });
    store.getState().startNew();
    expect(isDirty(store.getState().draft)).toBe(false);
    store.getState().edit({ path: '/etc/profile.d/lab.sh', content: 'export LAB=1\n' });
    await store.getState().save();
    expect(sent(fake, 'dotfiles:set')).toEqual([
      {
        hostId: 'local',
        scope: 'group',
        group: 'ml',
        path: '/etc/profile.d/lab.sh',
        content: 'export LAB=1\n',
        mode: '644',
        baseRevision: null,
      },
    ]);
    expect(store.getState().draft?.saved?.revision).toBe(1);
  });

  it('keeps the text after a conflict, compares it with theirs, and overwrites from their revision', async () => {
    let saves = 0;
    const fake = client().answer('dotfiles:set', async () =>
      saves++ === 0
        ? { ok: false, error: CONFLICT }
        : { ok: true, value: summary({ revision: 6 }) },
    );
    const { store } = await setup(fake);
    await store.getState().open('.bashrc');
    store.getState().edit({ content: 'mine\n' });
    const refused = await store.getState().save();
    expect(refused).toEqual({ ok: false, error: CONFLICT });
    expect(store.getState().draft).toMatchObject({
      content: 'mine\n',
      conflict: { error: CONFLICT },
    });
    // Save again is no way out: it would be refused the same.
    expect(await store.getState().save()).toBeNull();

    fake.succeed('dotfiles:read', document({ content: 'theirs\n', revision: 5, updatedBy: 'bob' }));
    await store.getState().compareTheirs();
    expect(store.getState().draft).toMatchObject({
      compare: 'theirs',
      content: 'mine\n',
      conflict: { theirs: { content: 'theirs\n', revision: 5 } },
    });
    const written = await store.getState().overwrite();
    expect(written?.ok).toBe(true);
    expect(sent(fake, 'dotfiles:set').at(-1)).toMatchObject({ content: 'mine\n', baseRevision: 5 });
    expect(store.getState().draft).toMatchObject({ conflict: null, compare: 'none' });
    expect(store.getState().draft?.saved).toMatchObject({ revision: 6, content: 'mine\n' });
  });

  it('overwrites a file removed meanwhile as a new one, and discards mine for theirs', async () => {
    const fake = client().fail('dotfiles:set', CONFLICT);
    const { store } = await setup(fake);
    await store.getState().open('.bashrc');
    store.getState().edit({ content: 'mine\n' });
    await store.getState().save();
    fake.fail('dotfiles:read', { code: 'dotfile-not-found', message: 'There is no ~/.bashrc.' });
    await store.getState().overwrite();
    expect(sent(fake, 'dotfiles:set').at(-1)).toMatchObject({ baseRevision: null });

    fake.succeed('dotfiles:read', document({ content: 'theirs\n', revision: 9 }));
    const before = store.getState().draft!.id;
    store.setState((s) => ({ draft: s.draft && { ...s.draft, conflict: { error: CONFLICT } } }));
    await store.getState().discardMine();
    const after = store.getState().draft!;
    expect(after.id).not.toBe(before); // a new editor, with their text
    expect(after).toMatchObject({ content: 'theirs\n', conflict: null });
    expect(after.saved?.revision).toBe(9);
  });

  it('asks before unsaved text is dropped, and keeps it when told no', async () => {
    const { store } = await setup(client());
    await store.getState().open('.bashrc');
    let ran = 0;
    store.getState().whenClean(() => ran++);
    expect(ran).toBe(1); // nothing typed: no question
    store.getState().edit({ content: 'changed\n' });
    store.getState().whenClean(() => ran++);
    expect(store.getState().discardAsk).not.toBeNull();
    store.getState().answerDiscard(false);
    expect(ran).toBe(1);
    expect(store.getState().draft?.content).toBe('changed\n');
    store.getState().whenClean(() => ran++);
    store.getState().answerDiscard(true);
    expect(ran).toBe(2);
    expect(store.getState().draft).toBeNull();
  });

  it('drops a file that opens after the level was changed', async () => {
    let answer: (() => void) | undefined;
    const fake = client().answer(
      'dotfiles:read',
      () =>
        new Promise((resolve) => {
          answer = () => resolve({ ok: true, value: document() });
        }),
    );
    const { store } = await setup(fake);
    const opening = store.getState().open('.bashrc');
    store.getState().chooseLevel({ scope: 'domain' });
    answer!();
    await opening;
    expect(store.getState().draft).toBeNull();
  });

  it('keeps a failed save in the draft, and forgets previews once a save lands', async () => {
    const fake = client()
      .fail('dotfiles:set', {
        code: 'dotfile-limit',
        message: 'Your dotfiles would have 101 files.',
      })
      .succeed('dotfiles:preview', { group: 'ada', files: [] });
    const { store } = await setup(fake);
    await store.getState().loadPreview('local', 'ada');
    expect(Object.keys(store.getState().previews)).toHaveLength(1);
    store.getState().startNew();
    store.getState().edit({ path: '.x', content: 'x' });
    await store.getState().save();
    expect(store.getState().draft?.failure?.code).toBe('dotfile-limit');
    expect(Object.keys(store.getState().previews)).toHaveLength(1);
    fake.succeed('dotfiles:set', summary({ path: '.x', revision: 1 }));
    store.getState().edit({ content: 'y' });
    expect(store.getState().draft?.failure).toBeNull();
    await store.getState().save();
    expect(store.getState().previews).toEqual({});
  });
});
