// Flat config: typed linting (strict-type-checked) over every package, tests included, and
// Prettier owns formatting (eslint-config-prettier turns the stylistic rules off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    name: 'keyplane/ignores',
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      // Generated L1 bindings (npm run gen -w @keyplane/cdktf) and their cdktn copy: never edited.
      'packages/cdktf/src/gen/**',
      'packages/cdktn/generated-src/**',
    ],
  },
  {
    name: 'keyplane/typescript',
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.eslint.json'], tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/return-await': ['error', 'always'],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    name: 'keyplane/tests',
    files: ['**/test/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Hard rule: emulators are independent implementations of the clouds' public specs; an
    // engine bug must not be able to cancel itself out through shared code.
    name: 'keyplane/emulators-independent',
    files: ['packages/emulators/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@keyplane/engine', '@keyplane/engine/*', '**/engine/src/**'],
              message: 'emulators must not use engine code',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
