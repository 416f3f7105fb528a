import { describe, expect, it } from 'vitest';
import { dotfileAdminsOf, groupAdminsOf } from '../../../common/dotfiles/dotfile-admins';
import { labConfigSchema } from '../../../common/host-setup/lab-config';

const config = labConfigSchema.parse({
  version: 1,
  lab: 'vision lab',
  labAdmins: ['alice'],
  groupAdmins: { vision: ['alice', 'bob'] },
});

describe('dotfile admins', () => {
  it("names a group's admins and the lab's, with the configuration field", () => {
    expect(groupAdminsOf(config, 'vision')).toEqual(['alice', 'bob']);
    expect(groupAdminsOf(config, 'audio')).toEqual([]);
    expect(dotfileAdminsOf(config, { scope: 'group', group: 'vision' })).toEqual({
      admins: ['alice', 'bob'],
      field: 'groupAdmins.vision',
    });
    expect(dotfileAdminsOf(config, { scope: 'domain' })).toEqual({
      admins: ['alice'],
      field: 'labAdmins',
    });
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'finds nobody for a group named %s, not a property every object has',
    (group) => {
      expect(groupAdminsOf(config, group)).toEqual([]);
      expect(dotfileAdminsOf(config, { scope: 'group', group }).admins).toEqual([]);
    },
  );
});
