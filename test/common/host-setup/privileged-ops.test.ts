import { describe, expect, it } from 'vitest';
import {
  folderRefSchema,
  MAX_STATE_VALUE_BYTES,
  stateNameSchema,
  stateValueSchema,
} from '../../../common/host-setup/privileged-ops';
import { privilegedHelperContract } from '../../../common/agent/privileged-helper-contract';
import { describeIssues } from '../../../common/contract/validation';

/** The rule a parse broke, as the helper's refusal names it. */
function problem(
  schema: { safeParse(value: unknown): { success: boolean; error?: unknown } },
  value: unknown,
): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) return 'ok';
  return describeIssues(parsed.error as Parameters<typeof describeIssues>[0]);
}

describe('folder references', () => {
  it('accept a relative path of safe parts inside a named volume', () => {
    expect(problem(folderRefSchema, { volume: 'scratch', folder: 'alice/data-1.v2' })).toBe('ok');
  });

  it.each([
    ['../etc', 'folder: must not have a ".." part'],
    ['alice/../../etc', 'folder: must not have a ".." part'],
    ['./alice', 'folder: must not have a "." part'],
    ['/etc', 'folder: must be relative, not start with "/"'],
    ['alice//data', 'folder: must not have an empty part ("//" or a trailing "/")'],
    ['alice/', 'folder: must not have an empty part ("//" or a trailing "/")'],
    ['al ice', 'folder: part "al ice" may have only letters, digits, ".", "_" and "-"'],
    ['a\0b', 'folder: part "a\0b" may have only letters, digits, ".", "_" and "-"'],
    ['a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q', 'folder: must have at most 16 parts'],
  ])('refuse %j, naming the field and the rule', (folder, rule) => {
    expect(problem(folderRefSchema, { volume: 'scratch', folder })).toBe(rule);
  });

  it('refuse unknown fields and bad volume names', () => {
    expect(problem(folderRefSchema, { volume: 'scratch', folder: 'a', path: '/etc' })).toMatch(
      /Unrecognized key.*path/i,
    );
    expect(problem(folderRefSchema, { volume: 'Scratch', folder: 'a' })).toMatch(/^volume: /);
  });
});

describe("privileged.dotfile.write's params", () => {
  const params = privilegedHelperContract.methods['privileged.dotfile.write'].params;
  const base = { path: '.bashrc', content: 'x' };

  it('take a group with scope group, none with scope domain, and null content to remove', () => {
    expect(problem(params, { scope: 'group', group: 'vision', ...base })).toBe('ok');
    expect(problem(params, { scope: 'domain', ...base, content: null, baseRevision: 3 })).toBe(
      'ok',
    );
    expect(problem(params, { scope: 'domain', ...base, mode: '600', baseRevision: null })).toBe(
      'ok',
    );
  });

  it('only bound the mode: the helper checks it with validateDotfile, beside the path', () => {
    expect(problem(params, { scope: 'domain', ...base, mode: '8xx' })).toBe('ok');
  });

  it.each([
    [{ scope: 'group', ...base }, 'group: is required for scope group'],
    [{ scope: 'domain', group: 'vision', ...base }, 'group: is only for scope group'],
    [{ scope: 'user', ...base }, /^scope: /],
    [{ scope: 'group', group: 'Bad Name', ...base }, 'group: must be a Unix group name'],
    [{ scope: 'domain', ...base, mode: '6'.repeat(17) }, /^mode: /],
    [{ scope: 'domain', ...base, baseRevision: 0 }, /^baseRevision: /],
    [{ scope: 'domain', ...base, content: 'x'.repeat(1_048_577) }, /^content: /],
    [{ scope: 'domain', ...base, path: 'x'.repeat(4097) }, /^path: /],
    [{ scope: 'domain', ...base, level: 'lab' }, /Unrecognized key.*level/i],
  ])('refuse %j, naming the field', (value, rule) => {
    expect(problem(params, value)).toMatch(rule);
  });
});

describe("privileged.dotfile.read's params", () => {
  const params = privilegedHelperContract.methods['privileged.dotfile.read'].params;

  it('take one group by its Unix name, nothing else', () => {
    expect(problem(params, { group: 'vision' })).toBe('ok');
    expect(problem(params, { group: 'Bad Name' })).toBe('group: must be a Unix group name');
    expect(problem(params, {})).toMatch(/^group: /);
    expect(problem(params, { group: 'vision', scope: 'group' })).toMatch(/Unrecognized key/i);
  });
});

describe('lab state', () => {
  it('names entries with lowercase safe names only', () => {
    expect(problem(stateNameSchema, 'invitations.v1')).toBe('ok');
    for (const name of ['../x', 'A', '.hidden', 'a/b', '', 'x'.repeat(65)])
      expect(problem(stateNameSchema, name)).toMatch(/must be 1–64 lowercase/);
  });

  it('takes any JSON value up to 64 KiB', () => {
    expect(problem(stateValueSchema, { a: [1, null, 'x'] })).toBe('ok');
    expect(problem(stateValueSchema, undefined)).toBe('(input): must be a JSON value');
    expect(problem(stateValueSchema, 'x'.repeat(MAX_STATE_VALUE_BYTES))).toMatch(
      /at most 65536 bytes as JSON \(it is 65538\)/,
    );
  });
});

describe('the privileged contract', () => {
  it('refuses an unknown field in every operation that takes params', () => {
    for (const [name, spec] of Object.entries(privilegedHelperContract.methods)) {
      const parsed = spec.params.safeParse({ level: 'lab', volume: 'v', folder: 'f', surprise: 1 });
      expect(parsed.success, name).toBe(false);
    }
  });
});
