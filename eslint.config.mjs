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
  // Services, lib/ and tooling import only what their boundary allows (eslint.boundaries.mjs).
  ...importBoundaries,
);
