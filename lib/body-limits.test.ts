import { MAX_REQUEST_BODY_BYTES, SUBGRAPH_MAX_REQUEST_BODY_BYTES } from './body-limits';
import { MAX_REQUEST_BYTES } from './apollo-http';
import { DEFAULT_GATEWAY_LIMITS, loadGatewayLimits } from './gateway-limits-config';

class TestConfigError extends Error {}

describe('the hub request-body limit', () => {
  it('is the gateway default, and every Apollo subgraph accepts more than the gateway forwards', () => {
    expect(DEFAULT_GATEWAY_LIMITS.maxBodyBytes).toBe(MAX_REQUEST_BODY_BYTES);
    expect(MAX_REQUEST_BYTES).toBe(SUBGRAPH_MAX_REQUEST_BODY_BYTES);
    expect(SUBGRAPH_MAX_REQUEST_BODY_BYTES).toBeGreaterThan(MAX_REQUEST_BODY_BYTES);
  });

  it('may be lowered at the gateway but not raised above what the subgraphs are sized for', () => {
    expect(loadGatewayLimits({ GATEWAY_MAX_BODY_BYTES: String(MAX_REQUEST_BODY_BYTES) }, TestConfigError).maxBodyBytes).toBe(MAX_REQUEST_BODY_BYTES);
    expect(loadGatewayLimits({ GATEWAY_MAX_BODY_BYTES: '1048576' }, TestConfigError).maxBodyBytes).toBe(1048576);
    expect(() => loadGatewayLimits({ GATEWAY_MAX_BODY_BYTES: String(MAX_REQUEST_BODY_BYTES + 1) }, TestConfigError)).toThrow(
      new TestConfigError(
        `GATEWAY_MAX_BODY_BYTES=${MAX_REQUEST_BODY_BYTES + 1} is above the hub's request-body limit of ${MAX_REQUEST_BODY_BYTES} bytes (lib/body-limits.ts), which the subgraphs are sized for; raise that constant instead`,
      ),
    );
  });
});
