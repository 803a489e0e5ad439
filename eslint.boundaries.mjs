/**
 * Import boundaries between the hub's services, its shared library and its tooling (issue 19).
 *
 * Services (each a deployable process with its own data; a service may import only its own folders
 * and the shared ones below):
 *   patient          subgraphs/patient/
 *   genomics         subgraphs/genomics/
 *   knowledge-graph  subgraphs/knowledge-graph/ and knowledge-graph/ (its Neo4j data layer: executor,
 *                    bootstrap, seed, importers, launcher)
 *   inference        subgraphs/inference/
 *   gateway          gateway/
 * Shared by every service: lib/ (lib/contracts/ holds what crosses a service boundary: events, typed
 * clients generated from schema/*.graphql, reference data both sides read) and schema/ (the SDLs).
 * Tooling: bench/, scripts/, tests/, knowledge-graph/eval/ (the rare-disease ranking evaluation, a
 * bench of inference's ranking over published cases) and test files anywhere (`*.test.ts`) may import
 * anything.
 *
 * Rules:
 *   1. a service does not import another service's files (it talks to it through lib/contracts: a
 *      GraphQL document over HTTP or an event);
 *   2. lib/ imports no service, and no bench/, scripts/ or tests/;
 *   3. runtime code (services and lib/) does not import bench/, scripts/ or tests/.
 *
 * eslint-plugin-import-x's no-restricted-paths does the checking: it declares ESLint 10 as a peer
 * (eslint-plugin-boundaries 7.2 ran too, but declares only eslint >= 6 and warned of deprecated syntax
 * on every run). A rule that cannot resolve an import reports nothing, so
 * scripts/import-boundaries.test.ts lints violating imports through this very config and fails when
 * they pass.
 */
import importX from 'eslint-plugin-import-x';

export const SERVICES = {
  patient: ['subgraphs/patient'],
  genomics: ['subgraphs/genomics'],
  'knowledge-graph': ['subgraphs/knowledge-graph', 'knowledge-graph'],
  inference: ['subgraphs/inference'],
  gateway: ['gateway'],
};
const TOOLING = ['bench', 'scripts', 'tests', 'knowledge-graph/eval'];
const SERVICE_FOLDERS = Object.values(SERVICES).flat();
const under = (folder) => `./${folder}/**`;

const zones = [
  ...Object.entries(SERVICES).flatMap(([service, own]) =>
    own.map((folder) => ({
      target: under(folder),
      from: SERVICE_FOLDERS.filter((other) => !own.includes(other)).map(under),
      message: `The ${service} service must not import another service's files: go through lib/contracts (a generated client or an event), or move shared reference data into lib/contracts/reference.`,
    })),
  ),
  {
    target: under('lib'),
    from: SERVICE_FOLDERS.map(under),
    message: 'lib/ is shared by every service and must not import one: move what both need into lib/.',
  },
  {
    target: [...SERVICE_FOLDERS, 'lib'].map(under),
    from: TOOLING.map(under),
    message: 'Runtime code must not import bench/, scripts/, tests/ or knowledge-graph/eval/: move what it needs into lib/.',
  },
];

/**
 * Temporary exceptions, file by file, each naming the import it still makes. Empty: every runtime
 * file keeps to the rules. An entry here is a debt to clear, never a way to add a new crossing.
 */
export const TEMPORARY_ALLOWED = [];

export const importBoundaries = [
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    ignores: ['**/*.test.ts', ...TOOLING.map((folder) => `${folder}/**`), 'dashboard/**', ...TEMPORARY_ALLOWED.map((entry) => entry.file)],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.mts', '.js', '.mjs', '.json'] })] },
    rules: { 'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones }] },
  },
];
