import type { HubConfig } from '../lib/config';
import type { Logger } from '../lib/logger';
import { DEFAULT_DEPENDENCY_TIMEOUTS, type Neo4jTimeouts } from '../lib/dependency-timeouts';
import { createDriver, Neo4jExecutor, type Neo4jConnection } from './executor';
import { buildLauncher, launcherBuilt } from './neo4j-launcher';
import { superviseEmbeddedNeo4j, type SupervisedNeo4j } from './neo4j-supervisor';
import { applySchema } from './schema';
import { ensureReleases, releasesDirFrom } from './releases';
import { ensureSeed } from './seed/seed-run';

export interface KnowledgeGraphStore {
  connection: Neo4jConnection;
  /** The embedded Neo4j's supervisor when we launched it (restarts it when it dies); undefined for NEO4J_URI. */
  embedded?: SupervisedNeo4j;
  /** Stops the embedded Neo4j when we launched it; a server named by NEO4J_URI is left running. */
  close(): Promise<void>;
}

export interface KnowledgeGraphStartOptions {
  /**
   * Where the public releases of releases.json are (releases.ts); null: load none. Default:
   * KG_RELEASES_DIR, else knowledge-graph/data or the shared placement (releasesDirFrom), except under jest (NODE_ENV=test), where each run's fresh
   * Neo4j would otherwise import them again.
   */
  releasesDir?: string | null;
}

function defaultReleasesDir(): string | null {
  if (process.env.KG_RELEASES_DIR) return process.env.KG_RELEASES_DIR;
  return process.env.NODE_ENV === 'test' ? null : releasesDirFrom(process.env);
}

/**
 * NEO4J_URI set: use that server and launch nothing. Unset: build (first run only) and launch the
 * project's embedded Neo4j under a supervisor that restarts it when it dies. Either way, apply
 * constraints, load the seed unless this version is already there, and load each public release
 * whose files are present unless its marker says it is complete (releases.ts): first start only.
 */
export async function ensureKnowledgeGraph(
  config: HubConfig['neo4j'],
  log: Logger,
  timeouts: Neo4jTimeouts = DEFAULT_DEPENDENCY_TIMEOUTS.neo4j,
  options: KnowledgeGraphStartOptions = {},
): Promise<KnowledgeGraphStore> {
  let store: KnowledgeGraphStore;
  if (config.uri) {
    store = { connection: { uri: config.uri, user: config.user, password: config.password }, close: async () => undefined };
  } else {
    if (!launcherBuilt()) {
      log.info('building the embedded Neo4j launcher (first run; Maven resolves Neo4j 5.26 from Maven Central)');
      await buildLauncher((line) => log.debug(line as string));
    }
    const neo4j = await superviseEmbeddedNeo4j({
      dataDir: config.dataDir,
      port: config.boltPort,
      readyTimeoutMs: timeouts.startMs,
      restart: timeouts.restart,
      log: log.child({ component: 'neo4j-supervisor' }),
    });
    log.info({ uri: neo4j.uri, dataDir: config.dataDir }, 'embedded Neo4j ready');
    store = { connection: { uri: neo4j.uri, availability: neo4j }, embedded: neo4j, close: () => neo4j.stop() };
  }
  const executor = new Neo4jExecutor(createDriver(store.connection, timeouts), store.connection.uri);
  try {
    await executor.driver.verifyConnectivity();
    await applySchema(executor);
    const seed = await ensureSeed(executor);
    log.info({ seed }, seed === 'current' ? 'knowledge-graph seed already loaded' : 'knowledge-graph seed loaded');
    const releasesDir = options.releasesDir === undefined ? defaultReleasesDir() : options.releasesDir;
    if (releasesDir) log.info({ releases: await ensureReleases(executor, releasesDir, log) }, 'knowledge-base releases checked');
  } catch (error) {
    await store.close();
    throw new Error(
      `Neo4j at ${store.connection.uri} is not usable (${(error as Error).message}). ` +
        (config.uri ? 'Check NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD.' : 'Unset NEO4J_URI to use the embedded launcher.'),
      { cause: error },
    );
  } finally {
    await executor.close();
  }
  return store;
}
