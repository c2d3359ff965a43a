// Lint rules that keep the layers visible: the library's folders never import upward
// (core <- patterns <- checks <- runner <- testing), the library never imports the
// reference platform, and the platform uses the library only through its public entry.
'use strict';
const tseslint = require('typescript-eslint');
const importX = require('eslint-plugin-import-x');
const { createTypeScriptImportResolver } = require('eslint-import-resolver-typescript');

/** A rule forbidding imports of the given folders, with the reason in the message. */
const forbid = (groups, message) => ({ 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }] });

const LAYER = 'The library imports downward only: core <- patterns <- checks <- runner <- testing.';

module.exports = tseslint.config(
  { ignores: ['lib/**', 'dist/**', 'node_modules/**', 'imports/**', 'examples/**', 'bench/out/**', 'conformance/out/**', 'docs/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
      // no-cycle parses the modules it follows: with the TypeScript parser, or it sees no imports
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['src/library/**/*.ts'], rules: forbid(['k8s-iac', 'k8s-iac/*', '**/platform/**'], 'The library never imports the reference platform, nor itself by package name.') },
  { files: ['src/library/core/**/*.ts'], rules: forbid(['../patterns/*', '../checks/*', '../runner/*', '../testing/*', '**/platform/**'], LAYER) },
  { files: ['src/library/patterns/**/*.ts'], rules: forbid(['../checks/*', '../runner/*', '../testing/*', '**/platform/**'], LAYER) },
  { files: ['src/library/checks/**/*.ts'], rules: forbid(['../runner/*', '../testing/*', '**/platform/**'], LAYER) },
  { files: ['src/library/runner/**/*.ts'], rules: forbid(['../testing/*', '**/platform/**'], LAYER) },
  { files: ['src/platform/**/*.ts'], rules: forbid(['**/library/**', '../../imports/*'], 'The reference platform uses the library only through its public entry: import from \'k8s-iac\'.') },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
