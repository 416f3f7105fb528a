import { describe, expect, it } from 'vitest';

describe('zod-config', () => {
  it('keeps zod from probing `new Function`, which the window’s CSP would report on every load', async () => {
    const compiled: unknown[][] = [];
    const original = globalThis.Function;
    // zod's probe is `new Function("")`, looked up on the global object when it runs.
    globalThis.Function = new Proxy(original, {
      construct(target, args: unknown[]) {
        compiled.push(args);
        return Reflect.construct(target, args) as object;
      },
    });
    try {
      await import('../../renderer/src/zod-config');
      const { dotfileContextSchema } = await import('../../common/dotfiles/dotfile-store');
      const parsed = dotfileContextSchema.safeParse({
        user: 'ada',
        primaryGroup: 'ada',
        groups: ['ada'],
        configured: false,
        lab: null,
        domainAdmin: false,
        groupAdmin: [],
        systemPaths: [],
      });
      expect(parsed.success).toBe(true);
    } finally {
      globalThis.Function = original;
    }
    expect(compiled).toEqual([]);
  });
});
