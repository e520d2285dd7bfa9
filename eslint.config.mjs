// Lint: typescript-eslint's recommended rules, plus a wall around workflows/:
// workflow code is replayed, so it must not reach Node built-ins, I/O or clocks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'web/static/vendor/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['*.js', '*.cjs', 'test/**/*.js'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['web/static/**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', console: 'readonly', localStorage: 'readonly', URLSearchParams: 'readonly', FormData: 'readonly', location: 'readonly', history: 'readonly', Chart: 'readonly', setTimeout: 'readonly' } },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [
          ...nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins.' })),
          { name: 'pg', message: 'Workflows do no I/O; use an activity.' },
          { name: 'pino', message: 'Use log from @temporalio/workflow.' },
          { name: 'uuid', message: 'Use uuid4() from @temporalio/workflow.' },
          { name: '@temporalio/client', message: 'Workflows cannot use the client.' },
          { name: '@temporalio/worker', message: 'Workflows cannot use the worker.' },
          { name: '@temporalio/activity', message: 'Workflows cannot use activity context.' },
        ],
        patterns: [
          { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'Import activities only as types, for proxyActivities.' },
          { group: ['**/api/**', '**/db/**', '**/worker/**', '**/common/**'], message: 'Workflows are deterministic: no I/O modules.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'setInterval', message: 'Use sleep() or condition() from @temporalio/workflow.' },
        { name: 'process', message: 'Workflows must not read the process environment.' },
        { name: 'fetch', message: 'Workflows do no I/O; use an activity.' },
      ],
    },
  },
);
