/**
 * GraphQL Code Generator (client preset) for the calls one service makes to another: each subgraph
 * another service reads has its operations in lib/contracts/operations/<subgraph>/*.graphql, typed
 * against that subgraph's own SDL (schema/<subgraph>.graphql, built as a federation subgraph so
 * `_entities` and `_Any` exist), generated into lib/contracts/generated/<subgraph>/.
 * `npm run contracts:codegen` (scripts/contracts-codegen.ts) writes them; scripts/contracts-codegen.test.ts
 * fails when they are stale, so a change to a subgraph's SDL that breaks a caller shows up there and in tsc.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { parse, printSchema } from 'graphql';

/** The subgraphs other services call over HTTP. */
export const CALLED_SUBGRAPHS = ['patient', 'genomics', 'knowledge-graph'] as const;

/** The subgraph's schema as its server serves it: its SDL plus federation's `_entities` / `_Any` / `_service`. */
export function subgraphSchemaSdl(root: string, subgraph: string): string {
  const sdl = fs.readFileSync(path.join(root, 'schema', `${subgraph}.graphql`), 'utf8');
  return printSchema(buildSubgraphSchema({ typeDefs: parse(sdl) }));
}

export function contractsCodegenConfig(root: string): CodegenConfig {
  return {
    ignoreNoDocuments: false,
    generates: Object.fromEntries(
      CALLED_SUBGRAPHS.map((subgraph) => [
        `lib/contracts/generated/${subgraph}/`,
        {
          schema: subgraphSchemaSdl(root, subgraph),
          documents: [`lib/contracts/operations/${subgraph}/*.graphql`],
          preset: 'client',
          config: {
            // Operations as plain strings: the caller POSTs the text; no graphql-js document at run time.
            documentMode: 'string',
            enumsAsTypes: true,
            useTypeImports: true,
            onlyOperationTypes: true,
            scalars: { JSON: 'unknown', _Any: '{ __typename: string; [key: string]: unknown }' },
          },
          presetConfig: { fragmentMasking: false },
        },
      ]),
    ),
  };
}
