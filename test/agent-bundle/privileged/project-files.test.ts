import { describe, expect, it } from 'vitest';
import {
  FIRST_PROJECT_ID,
  nextProjectId,
  projectIdOf,
  projectNameOf,
  withoutProject,
  withProject,
} from '../../../agent-bundle/privileged/project-files';

const admins = {
  projid: '# ours\nbackup:42\n\nhome:20001\n',
  projects: '42:/srv/backup\n20001:/home\n',
};

describe('XFS project files', () => {
  it('number LabDeck projects from 10000, taking the smallest id neither file uses', () => {
    expect(nextProjectId({ projid: '', projects: '' })).toBe(FIRST_PROJECT_ID);
    expect(nextProjectId(admins)).toBe(FIRST_PROJECT_ID);
    expect(nextProjectId({ projid: 'a:5\n', projects: '' })).toBe(FIRST_PROJECT_ID);
    const used = {
      projid: 'x-10000:10000\nx-10001:10001\nx-10003:10003\n',
      projects: '10000:/v/a\n10001:/v/b\n10003:/v/d\n',
    };
    expect(nextProjectId(used)).toBe(10_002);
  });

  it('reuse an id freed by a removed project, and skip one that only one file still names', () => {
    let files = { projid: '', projects: '' };
    for (const path of ['/v/a', '/v/b', '/v/c'])
      files = withProject(files, nextProjectId(files), `p${path}`, path);
    expect(projectIdOf(files, '/v/c')).toBe(10_002);
    files = withoutProject(files, 10_001);
    expect(nextProjectId(files)).toBe(10_001);
    // An admin's half-removed entry: projects still names 10001, so it is not free.
    expect(nextProjectId({ projid: files.projid, projects: `${files.projects}10001:/old\n` })).toBe(
      10_003,
    );
  });

  it('add a project to both files, keeping every other line', () => {
    const added = withProject(admins, 20002, 'labdeck-x-20002', '/srv/x/alice');
    expect(added).toEqual({
      projid: '# ours\nbackup:42\n\nhome:20001\nlabdeck-x-20002:20002\n',
      projects: '42:/srv/backup\n20001:/home\n20002:/srv/x/alice\n',
    });
    expect(projectIdOf(added, '/srv/x/alice')).toBe(20002);
    expect(projectNameOf(added, 20002)).toBe('labdeck-x-20002');
    expect(projectIdOf(added, '/srv/x')).toBeUndefined();
  });

  it('add a line to a file that lacks a final newline', () => {
    expect(withProject({ projid: 'a:1', projects: '1:/a' }, 2, 'b', '/b')).toEqual({
      projid: 'a:1\nb:2\n',
      projects: '1:/a\n2:/b\n',
    });
  });

  it('remove exactly one project, and remove nothing when called again', () => {
    const added = withProject(admins, 20002, 'labdeck-x-20002', '/srv/x/alice');
    const removed = withoutProject(added, 20002);
    expect(removed).toEqual(admins);
    expect(withoutProject(removed, 20002)).toEqual(admins);
  });

  it('find paths with colons by the first colon only', () => {
    const files = { projid: 'p:7\n', projects: '7:/srv/odd:name\n' };
    expect(projectIdOf(files, '/srv/odd:name')).toBe(7);
  });
});
