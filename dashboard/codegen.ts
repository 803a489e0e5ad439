/**
 * GraphQL Code Generator (client preset): typed operations for the dashboard from the supergraph.
 * `npm run dashboard:codegen` (scripts/dashboard-codegen.ts) writes src/gql/ and the persisted-documents
 * manifest, dashboard/persisted-documents.json; scripts/dashboard-codegen.test.ts fails when they are stale.
 */
import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema/supergraph.graphql',
  documents: ['dashboard/src/**/*.{ts,tsx}', '!dashboard/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'dashboard/src/gql/': {
      preset: 'client',
      config: {
        // Operations as plain strings: no graphql-js runtime in the browser bundle.
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { JSON: 'unknown' },
      },
      presetConfig: {
        fragmentMasking: false,
        // The SHA-256 of each printed operation as bare hex: the id the gateway's trusted documents
        // (gateway/manifests.ts, `npm run pq -- publish`) and APQ key on; the preset's 'sha256' adds a prefix.
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: (operation: string) => createHash('sha256').update(operation, 'utf8').digest('hex') },
      },
    },
  },
};

export default config;
