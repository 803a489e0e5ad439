/**
 * GATEWAY_KNOWLEDGE_CACHE_TTL_MS: how long the gateway answers a knowledge-graph entity (a variant's gene,
 * therapies, evidence) from its cache (gateway/knowledge-cache.ts); 0 turns the cache off. Pure, like the other
 * gateway loaders, so `lib/config.ts` reads it without loading the gateway.
 */

type ConfigErrorClass = new (message: string) => Error;

/** A release imported into Neo4j reaches every answer within a minute; until then answers name the release they came from. */
export const DEFAULT_GATEWAY_KNOWLEDGE_CACHE_TTL_MS = 60_000;

/** A day: knowledge held longer would hide a new release's corrections for longer than a clinician expects. */
export const MAX_GATEWAY_KNOWLEDGE_CACHE_TTL_MS = 86_400_000;

export function loadGatewayKnowledgeCacheTtl(env: NodeJS.ProcessEnv, ConfigError: ConfigErrorClass): number {
  const raw = env.GATEWAY_KNOWLEDGE_CACHE_TTL_MS?.trim();
  if (!raw) return DEFAULT_GATEWAY_KNOWLEDGE_CACHE_TTL_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > MAX_GATEWAY_KNOWLEDGE_CACHE_TTL_MS) {
    throw new ConfigError(`GATEWAY_KNOWLEDGE_CACHE_TTL_MS="${raw}" is not a whole number of milliseconds from 0 (the cache off) to ${MAX_GATEWAY_KNOWLEDGE_CACHE_TTL_MS} (a day)`);
  }
  return value;
}
