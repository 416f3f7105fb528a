import { describe, expect, it } from 'vitest';
import {
  parseGroup,
  parsePasswd,
  resolveSessionUser,
  sessionHome,
  type SessionUser,
} from '../../../main/dotfiles/container-user';

const PASSWD = parsePasswd(
  [
    'root:x:0:0:root:/root:/bin/bash',
    '# a comment',
    '',
    'broken:x:notanumber:0::/nowhere:/bin/sh',
    'ada:x:1000:1000:Ada:/home/ada:/bin/bash',
    'ada:x:1001:1001:second ada, never used:/home/ada2:/bin/sh',
    'jovyan:x:1234:100::/home/jovyan:/bin/bash',
  ].join('\n'),
);
const GROUPS = parseGroup('root:x:0:\nusers:x:100:\nlab:x:2000:ada,jovyan\n');

describe('parsePasswd and parseGroup', () => {
  it('reads name, ids and home, skipping comments, blank lines and lines without numeric ids', () => {
    expect(PASSWD).toEqual([
      { name: 'root', uid: 0, gid: 0, home: '/root' },
      { name: 'ada', uid: 1000, gid: 1000, home: '/home/ada' },
      { name: 'ada', uid: 1001, gid: 1001, home: '/home/ada2' },
      { name: 'jovyan', uid: 1234, gid: 100, home: '/home/jovyan' },
    ]);
    expect(GROUPS).toEqual([
      { name: 'root', gid: 0 },
      { name: 'users', gid: 100 },
      { name: 'lab', gid: 2000 },
    ]);
  });
});

describe('resolveSessionUser', () => {
  const user = (spec: string, passwd = PASSWD) => resolveSessionUser(spec, passwd, GROUPS);

  it('takes an empty User as root, with root’s passwd home', () => {
    expect(user('')).toEqual({
      ok: true,
      user: { uid: 0, gid: 0, label: 'root', passwdHome: '/root' },
    });
  });

  it('finds a name (the first entry wins) or a uid in the passwd file', () => {
    expect(user('ada')).toEqual({
      ok: true,
      user: { uid: 1000, gid: 1000, label: 'ada', passwdHome: '/home/ada' },
    });
    expect(user('1234')).toEqual({
      ok: true,
      user: { uid: 1234, gid: 100, label: 'jovyan', passwdHome: '/home/jovyan' },
    });
  });

  it('takes a uid without an entry (or without a passwd file) as that uid with gid 0 and no home', () => {
    expect(user('4321')).toEqual({
      ok: true,
      user: { uid: 4321, gid: 0, label: 'uid 4321', passwdHome: undefined },
    });
    expect(user('', [])).toEqual({
      ok: true,
      user: { uid: 0, gid: 0, label: 'uid 0', passwdHome: undefined },
    });
  });

  it('replaces the gid with the group after the colon, by name or number', () => {
    expect(user('ada:lab')).toMatchObject({ ok: true, user: { uid: 1000, gid: 2000 } });
    expect(user('1234:0')).toMatchObject({ ok: true, user: { uid: 1234, gid: 0 } });
    expect(user('4321:777')).toMatchObject({ ok: true, user: { uid: 4321, gid: 777 } });
    expect(user('jovyan:users')).toMatchObject({ ok: true, user: { uid: 1234, gid: 100 } });
  });

  it('refuses a name nobody in the image has, user or group, naming it', () => {
    expect(user('ghost')).toEqual({
      ok: false,
      message: 'its user "ghost" is not in the image\'s /etc/passwd',
    });
    expect(user('ada', [])).toMatchObject({ ok: false });
    expect(user('ada:nogroup')).toEqual({
      ok: false,
      message: 'its group "nogroup" is not in the image\'s /etc/group',
    });
  });
});

describe('sessionHome', () => {
  const ada: SessionUser = { uid: 1000, gid: 1000, label: 'ada', passwdHome: '/home/ada' };
  const root: SessionUser = { uid: 0, gid: 0, label: 'uid 0', passwdHome: undefined };
  const stranger: SessionUser = { uid: 4321, gid: 0, label: 'uid 4321', passwdHome: undefined };

  it("uses the container's last HOME= (the user's --env, /home/work with folders, the image's), then passwd, then /root for root", () => {
    expect(sessionHome(['PATH=/bin', 'HOME=/image', 'HOME=/home/work'], ada)).toEqual({
      ok: true,
      home: '/home/work',
    });
    expect(sessionHome(['PATH=/bin'], ada)).toEqual({ ok: true, home: '/home/ada' });
    expect(sessionHome(['HOME='], ada)).toEqual({ ok: true, home: '/home/ada' });
    expect(sessionHome([], root)).toEqual({ ok: true, home: '/root' });
    expect(sessionHome(['HOME=/srv//me/./'], stranger)).toEqual({ ok: true, home: '/srv/me' });
  });

  it('gives no home to a user without one, a relative HOME or HOME=/', () => {
    expect(sessionHome([], stranger)).toEqual({
      ok: false,
      reason: "the session's user (uid 4321) has no home directory",
    });
    expect(sessionHome(['HOME=work'], ada)).toEqual({
      ok: false,
      reason: "the session's HOME (work) is not an absolute path",
    });
    expect(sessionHome(['HOME=/'], ada)).toMatchObject({ ok: false });
    expect(sessionHome(['HOME=/home/..'], ada)).toMatchObject({ ok: false });
  });
});
