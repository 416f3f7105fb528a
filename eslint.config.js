// ESLint flat config. Besides the usual rules it keeps LabDeck's layers apart (DESIGN.md §1):
// common/ is Node- and DOM-free; main/ services never import electron (only main/index.ts and
// main/electron/ do); renderer/ never reaches main/; agent-bundle/ imports only common/ and Node.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const layer = (name) => ({
  group: [`**/${name}/**`, `**/${name}`],
  message: `This layer may not import ${name}/ (see DESIGN.md §1).`,
});
const electron = {
  name: 'electron',
  message: 'Only main/index.ts and main/electron/ may import electron.',
};
// ssh2 is CommonJS: Node's ESM loader sees only its default export, so named value imports
// type-check and pass under vitest, then fail in the built CLI and app.
const ssh2Named = {
  name: 'ssh2',
  importNames: ['Client', 'Server', 'utils', 'HTTPAgent', 'HTTPSAgent'],
  allowTypeImports: true,
  message: 'ssh2 is CommonJS: use its default export (`import ssh2 from "ssh2"`).',
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'resources/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='execSync']",
          message: 'Use execFile with an argv array.',
        },
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message:
            "Write `import * as z from 'zod'`: the `z` namespace object keeps all of zod (locales included) in the CLI bundle.",
        },
      ],
    },
  },
  {
    files: ['common/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electron,
            { name: 'react', message: 'common/ is shared with the agent and main.' },
          ],
          patterns: [
            { regex: '^node:', message: 'common/ must not use Node modules.' },
            layer('main'),
            layer('renderer'),
            layer('preload'),
            layer('agent-bundle'),
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'process',
        'Buffer',
        'require',
        'navigator',
        'localStorage',
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/index.ts', 'main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ ...electron, allowTypeImports: true }, ssh2Named],
          patterns: [layer('renderer'), layer('preload')],
        },
      ],
    },
  },
  {
    files: ['main/index.ts', 'main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [ssh2Named], patterns: [layer('renderer'), layer('preload')] },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [layer('main'), layer('renderer'), layer('agent-bundle')] },
      ],
    },
  },
  {
    files: ['agent-bundle/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [
            {
              regex: '^(?!node:|\\.)',
              message:
                'The agent is one file with no dependencies: Node built-ins and common/ only.',
            },
            layer('main'),
            layer('renderer'),
            layer('preload'),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [
            { regex: '^node:', message: 'The renderer runs in a browser.' },
            layer('main'),
            layer('preload'),
            layer('agent-bundle'),
          ],
        },
      ],
    },
  },
);
