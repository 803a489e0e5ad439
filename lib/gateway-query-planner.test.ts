import { DEFAULT_GATEWAY_QUERY_PLANNER, loadGatewayQueryPlanner } from './gateway-query-planner';

class TestConfigError extends Error {}

describe('gateway query planner setting', () => {
  it('runs the default planner when GATEWAY_QUERY_PLANNER is unset or empty', () => {
    expect(loadGatewayQueryPlanner({}, TestConfigError)).toBe(DEFAULT_GATEWAY_QUERY_PLANNER);
    expect(loadGatewayQueryPlanner({ GATEWAY_QUERY_PLANNER: ' ' }, TestConfigError)).toBe(DEFAULT_GATEWAY_QUERY_PLANNER);
  });

  it('reads js and rust, in any case', () => {
    expect(loadGatewayQueryPlanner({ GATEWAY_QUERY_PLANNER: 'js' }, TestConfigError)).toBe('js');
    expect(loadGatewayQueryPlanner({ GATEWAY_QUERY_PLANNER: 'Rust' }, TestConfigError)).toBe('rust');
  });

  it('refuses any other planner, naming the ones it knows', () => {
    expect(() => loadGatewayQueryPlanner({ GATEWAY_QUERY_PLANNER: 'apollo' }, TestConfigError)).toThrow(new TestConfigError('GATEWAY_QUERY_PLANNER="apollo" is not one of js, rust'));
  });
});
