import { describe, expect, it } from 'vitest';
import {
  DOTFILES_HOST_KEY,
  listKey,
} from '../../../../renderer/src/features/dotfiles/dotfiles-store';
import { context } from './dotfile-fixtures';
import { client, memory, sent, settle, setup } from './dotfiles-store-fixture';

describe('dotfiles store: hosts, levels and lists', () => {
  it('opens on the host chosen last, asking who the user is there and their own files', async () => {
    const fake = client();
    const { store, kept } = await setup(fake, memory({ [DOTFILES_HOST_KEY]: 'h-gpu-7' }));
    expect(store.getState().hostId).toBe('h-gpu-7');
    expect(sent(fake, 'dotfiles:context')).toEqual([{ hostId: 'h-gpu-7' }]);
    expect(sent(fake, 'dotfiles:list')).toEqual([{ hostId: 'h-gpu-7', scope: 'user' }]);
    expect(store.getState().lists[listKey('h-gpu-7', { scope: 'user' })]).toMatchObject({
      phase: 'loaded',
    });
    store.getState().chooseHost('local');
    expect(kept.items.get(DOTFILES_HOST_KEY)).toBe('local');
  });

  it('falls back to the user level on a host where the group chosen is not one of theirs', async () => {
    const fake = client().answer('dotfiles:context', async ({ hostId }) => ({
      ok: true,
      value: hostId === 'local' ? context() : context({ groups: ['ada'], groupAdmin: [] }),
    }));
    const { store } = await setup(fake);
    store.getState().chooseLevel({ scope: 'group', group: 'ml' });
    store.getState().chooseHost('h-gpu-7');
    await settle();
    expect(store.getState().level).toEqual({ scope: 'user' });
    expect(sent(fake, 'dotfiles:list').at(-1)).toEqual({ hostId: 'h-gpu-7', scope: 'user' });
  });

  it('keeps a group the user only administers as the level on the next host that has it', async () => {
    const admin = context({ groups: ['ada'], groupAdmin: ['robots'] });
    const fake = client().succeed('dotfiles:context', admin);
    const { store } = await setup(fake);
    store.getState().chooseLevel({ scope: 'group', group: 'robots' });
    store.getState().chooseHost('h-gpu-7');
    await settle();
    expect(store.getState().level).toEqual({ scope: 'group', group: 'robots' });
    expect(sent(fake, 'dotfiles:list').at(-1)).toEqual({
      hostId: 'h-gpu-7',
      scope: 'group',
      group: 'robots',
    });
  });
});
