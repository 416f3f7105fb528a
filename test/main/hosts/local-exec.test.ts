import { describe, expect, it } from 'vitest';
import { execLocal } from '../../../main/hosts/local-exec';

describe('execLocal', () => {
  it('runs argv as a program and its arguments, never through a shell', async () => {
    const result = await execLocal(['printf', '%s|', 'a b', '$HOME', '; echo no']);
    expect(result.code).toBe(0);
    expect(result.stdout.toString('utf8')).toBe('a b|$HOME|; echo no|');
  });

  it('writes stdin and reports the exit code and stderr', async () => {
    const result = await execLocal(['sh', '-c', 'cat; echo oops >&2; exit 3'], { stdin: 'hi' });
    expect(result).toMatchObject({ code: 3, stderr: 'oops\n' });
    expect(result.stdout.toString('utf8')).toBe('hi');
  });

  it('fails with the program named when it cannot be started', async () => {
    await expect(execLocal(['/nonexistent/labdeck-test'])).rejects.toMatchObject({
      code: 'local-exec-failed',
      message: expect.stringContaining('/nonexistent/labdeck-test'),
    });
  });

  it('stops a program that runs past its bound', async () => {
    await expect(execLocal(['sleep', '5'], { timeoutMs: 50 })).rejects.toMatchObject({
      code: 'local-exec-timeout',
    });
  });
});
