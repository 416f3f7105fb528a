import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

describe('layer boundaries (DESIGN.md §1)', () => {
  it('keeps common/ free of Node, the DOM and other layers', async () => {
    expect(
      await violations(
        'common/x.ts',
        "import { readFile } from 'node:fs';\nexport const a = readFile;\n",
      ),
    ).toHaveLength(1);
    expect(await violations('common/x.ts', 'export const a = document.title;\n')).toHaveLength(1);
    expect(
      await violations(
        'common/x.ts',
        "import { createServices } from '../main/services';\nexport const a = createServices;\n",
      ),
    ).toHaveLength(1);
    expect(
      await violations('common/x.ts', "import { z } from 'zod';\nexport const a = z;\n"),
    ).toEqual([]);
  });

  it('lets only the Electron shell import electron in main/', async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    expect(await violations('main/hosts/x.ts', code)).toHaveLength(1);
    expect(await violations('main/electron/x.ts', code)).toEqual([]);
    expect(await violations('main/index.ts', code)).toEqual([]);
    expect(
      await violations(
        'main/hosts/x.ts',
        "import type { App } from 'electron';\nexport type A = App;\n",
      ),
    ).toEqual([]);
  });

  it('keeps the renderer away from main/ and Node', async () => {
    expect(
      await violations(
        'renderer/src/x.ts',
        "import { createServices } from '../../main/services';\nexport const a = createServices;\n",
      ),
    ).toHaveLength(1);
    expect(
      await violations(
        'renderer/src/x.ts',
        "import { join } from 'node:path';\nexport const a = join;\n",
      ),
    ).toHaveLength(1);
  });

  it('lets the agent bundle use only Node built-ins and common/', async () => {
    expect(
      await violations('agent-bundle/x.ts', "import { z } from 'zod';\nexport const a = z;\n"),
    ).toHaveLength(1);
    expect(
      await violations(
        'agent-bundle/x.ts',
        "import { spawn } from 'node:child_process';\nimport { ok } from '../common/contract/result';\nexport const a = [spawn, ok];\n",
      ),
    ).toEqual([]);
  });

  it('refuses named value imports from CommonJS ssh2, which break the ESM bundles', async () => {
    expect(
      await violations(
        'main/ssh/x.ts',
        "import { Client } from 'ssh2';\nexport const a = Client;\n",
      ),
    ).toHaveLength(1);
    expect(
      await violations(
        'main/ssh/x.ts',
        "import ssh2, { type Client } from 'ssh2';\nexport const a: Client = new ssh2.Client();\n",
      ),
    ).toEqual([]);
  });
});
