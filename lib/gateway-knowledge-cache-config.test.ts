import { loadConfig, ConfigError } from './config';
import { DEFAULT_GATEWAY_KNOWLEDGE_CACHE_TTL_MS, loadGatewayKnowledgeCacheTtl } from './gateway-knowledge-cache-config';

class TestConfigError extends Error {}

describe('GATEWAY_KNOWLEDGE_CACHE_TTL_MS', () => {
  it('is 60 s when unset or empty, takes whole milliseconds, and 0 turns the cache off', () => {
    expect(loadGatewayKnowledgeCacheTtl({}, TestConfigError)).toBe(DEFAULT_GATEWAY_KNOWLEDGE_CACHE_TTL_MS);
    expect(loadGatewayKnowledgeCacheTtl({ GATEWAY_KNOWLEDGE_CACHE_TTL_MS: ' ' }, TestConfigError)).toBe(60_000);
    expect(loadGatewayKnowledgeCacheTtl({ GATEWAY_KNOWLEDGE_CACHE_TTL_MS: '5000' }, TestConfigError)).toBe(5_000);
    expect(loadGatewayKnowledgeCacheTtl({ GATEWAY_KNOWLEDGE_CACHE_TTL_MS: '0' }, TestConfigError)).toBe(0);
    expect(loadConfig({ GATEWAY_KNOWLEDGE_CACHE_TTL_MS: '0' }).gatewayKnowledgeCacheTtlMs).toBe(0);
  });

  it('stops start-up on a value that is not a whole number of milliseconds, naming the variable', () => {
    for (const raw of ['-1', '1.5', 'NaN', '1e308', '86400001', 'one minute']) {
      expect(() => loadGatewayKnowledgeCacheTtl({ GATEWAY_KNOWLEDGE_CACHE_TTL_MS: raw }, TestConfigError)).toThrow(
        new TestConfigError(`GATEWAY_KNOWLEDGE_CACHE_TTL_MS="${raw}" is not a whole number of milliseconds from 0 (the cache off) to 86400000 (a day)`),
      );
    }
    expect(() => loadConfig({ GATEWAY_KNOWLEDGE_CACHE_TTL_MS: 'soon' })).toThrow(ConfigError);
  });
});
