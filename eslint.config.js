import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

// packages/core is the pure domain: no Node built-ins, no I/O, no clocks, no randomness.
const coreBans = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['node:*'], message: 'packages/core is pure: no Node built-ins.' },
        {
          group: [
            'fs',
            'path',
            'os',
            'child_process',
            'http',
            'https',
            'net',
            'crypto',
            'zlib',
            'stream',
            'url',
            'worker_threads',
          ],
          message: 'packages/core is pure: no Node built-ins.',
        },
        {
          group: ['@cxr-audit/*'],
          message: 'packages/core imports nothing from the other packages.',
        },
        {
          group: ['kysely', 'better-sqlite3', 'pg'],
          message: 'packages/core is pure: queries live in packages/store.',
        },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    'process',
    'Buffer',
    'fetch',
    'require',
    'setTimeout',
    'setInterval',
  ],
  'no-restricted-properties': [
    'error',
    {
      object: 'Date',
      property: 'now',
      message: 'core is deterministic: take time as a parameter.',
    },
    {
      object: 'Math',
      property: 'random',
      message: 'core is deterministic: take a seeded generator.',
    },
  ],
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'examples/**',
      'coverage/**',
      '**/*.d.ts',
      '.scratch*/**',
      '.cxr-audit/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: coreBans,
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // the HTTP contract is imported by the web bundle and the server: types only, no code
    files: ['packages/contract/src/**/*.ts'],
    ignores: ['packages/contract/src/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          'VariableDeclaration',
          'FunctionDeclaration',
          'ClassDeclaration',
          'TSEnumDeclaration',
          'ExpressionStatement',
          'ExportDefaultDeclaration',
          'ImportDeclaration[importKind="value"]',
          'ExportAllDeclaration[exportKind="value"]',
          'ExportNamedDeclaration[exportKind="value"]',
        ].map((selector) => ({
          selector,
          message:
            'packages/contract is types only (interfaces, type aliases, import/export type).',
        })),
      ],
    },
  },
  {
    // queries live in packages/store: everything above calls store functions (tests may use
    // @cxr-audit/store/testing); a transaction around store functions is not a query
    files: ['apps/**/*.{ts,tsx}', 'packages/*/src/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    ignores: [
      'packages/store/src/**',
      // these two have their own rules above, stricter than this one
      'packages/core/src/**',
      'packages/contract/src/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['kysely', 'better-sqlite3', 'pg'].map((name) => ({
            name,
            message: 'Queries live in packages/store.',
          })),
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|executeQuery)$/]',
          message:
            'Queries live in packages/store: add a store function (or a @cxr-audit/store/testing helper for a test).',
        },
      ],
    },
  },
)
