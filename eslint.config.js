// Lint config: typescript-eslint recommended on server, tests, benches and scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import i18next from 'eslint-plugin-i18next';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'data/', 'web/dist/', 'dist/', 'test/artifacts/', '.tmp/', 'server/src/db/migrations/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // server code names its types; the few `any` left say why in a comment next to an eslint-disable
    files: ['server/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // on Node 20 an AsyncLocalStorage turns on promise hooks for the whole process: request paths measured
      // 25-40% slower in `npm run bench -- api`; pass what the work needs (a request id) instead
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'node:async_hooks', message: 'Pass the value explicitly (see eslint.config.mjs).' }] },
      ],
    },
  },
  {
    // every word a person reads in the web app comes from locales/<tag>.json through t(): no literal text in JSX
    // nor in the attributes people read (what screen readers say included)
    files: ['web/src/**/*.tsx'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          'should-validate-template': true,
          'jsx-attributes': {
            include: ['alt', 'title', 'placeholder', 'label', 'aria-label', 'aria-description', 'aria-valuetext'],
          },
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
);
