import { loadGatewayEdges, loadJwtMaxLifetimeHours, parseCorsOrigins } from './gateway-edges-config';

class TestConfigError extends Error {}

describe('gateway edge settings', () => {
  it('lists no CORS origin and no metrics token by default, and bounds tokens to 24 hours', () => {
    expect(loadGatewayEdges({}, TestConfigError)).toEqual({ corsOrigins: [], metricsToken: undefined });
    expect(loadJwtMaxLifetimeHours({}, TestConfigError)).toBe(24);
  });

  it('reads CORS_ORIGINS as origins exactly as browsers send them', () => {
    expect(parseCorsOrigins(' https://portal.example.org, http://localhost:5173/ ', TestConfigError)).toEqual(['https://portal.example.org', 'http://localhost:5173']);
  });

  it.each([
    ['*', 'CORS_ORIGINS: "*" is not an origin (scheme://host[:port])'],
    ['https://portal.example.org/app', 'CORS_ORIGINS: "https://portal.example.org/app" is not an origin (scheme://host[:port], no path, no wildcard); did you mean "https://portal.example.org"?'],
    ['https://Portal.Example.org', 'CORS_ORIGINS: "https://Portal.Example.org" is not an origin (scheme://host[:port], no path, no wildcard); did you mean "https://portal.example.org"?'],
    ['file:///tmp/x', 'CORS_ORIGINS: "file:///tmp/x" is not an origin (scheme://host[:port], no path, no wildcard); did you mean "null"?'],
  ])('refuses CORS_ORIGINS=%s at startup', (raw, message) => {
    expect(() => parseCorsOrigins(raw, TestConfigError)).toThrow(new TestConfigError(message));
  });

  it('refuses a short METRICS_TOKEN and a lifetime that is not a positive number of hours', () => {
    expect(() => loadGatewayEdges({ METRICS_TOKEN: 'short' }, TestConfigError)).toThrow('METRICS_TOKEN is 5 characters; it needs at least 16');
    expect(loadGatewayEdges({ METRICS_TOKEN: 'a-long-enough-metrics-token' }, TestConfigError).metricsToken).toBe('a-long-enough-metrics-token');
    for (const raw of ['0', '-1', 'day', 'Infinity']) expect(() => loadJwtMaxLifetimeHours({ JWT_MAX_LIFETIME_HOURS: raw }, TestConfigError)).toThrow(`JWT_MAX_LIFETIME_HOURS="${raw}" is not a number of hours above 0`);
    expect(loadJwtMaxLifetimeHours({ JWT_MAX_LIFETIME_HOURS: '12.5' }, TestConfigError)).toBe(12.5);
  });
});
