import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importBoundaries } from './eslint.boundaries.mjs';

export default tseslint.config(
  { ignores: ['node_modules/', 'knowledge-graph/launcher/target/', '.data/', 'coverage/', '*.config.js', 'subgraphs/inference/nlp/model/target/', 'dashboard/dist/', 'dashboard/src/gql/', 'lib/contracts/generated/', 'test-output/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['scripts/*.js', '**/*.worker.js', 'tests/support/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // One way to open a PostgreSQL pool: createPool (lib/postgres.ts) listens for 'error' on the pool and its
  // clients. A bare pg.Pool turns a connection PostgreSQL ends (a restart, DROP DATABASE ... WITH (FORCE)
  // racing pool.end()) into an unhandled error that stops the process or fails a test run.
  {
    ignores: ['lib/postgres.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "NewExpression[callee.property.name='Pool'], NewExpression[callee.name='Pool']",
        message: "Open pools with createPool (lib/postgres.ts): a bare pg.Pool has no 'error' listener.",
      }],
    },
  },
  // Services, lib/ and tooling import only what their boundary allows (eslint.boundaries.mjs).
  ...importBoundaries,
);
