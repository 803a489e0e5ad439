import type { ExecutionResult } from 'graphql';
import { ACTIVE_SUBSCRIPTIONS_METRIC, GatewayObservability, clientLabeller, clientNameFromHeaders } from './observability';

async function gauge(observability: GatewayObservability, name = ACTIVE_SUBSCRIPTIONS_METRIC): Promise<number> {
  const metric = await observability.registry.getSingleMetric(name)!.get();
  return metric.values[0]?.value ?? 0;
}

/** A subscription source that yields what is pushed and records being returned. */
function quietSource() {
  let waiting: ((result: IteratorResult<ExecutionResult>) => void) | undefined;
  const source = {
    returned: false,
    push(value: ExecutionResult) {
      waiting?.({ value, done: false });
    },
    next: () => new Promise<IteratorResult<ExecutionResult>>((resolve) => (waiting = resolve)),
    return: async () => {
      source.returned = true;
      waiting?.({ value: undefined, done: true });
      return { value: undefined, done: true as const };
    },
    [Symbol.asyncIterator]() {
      return source;
    },
  };
  return source;
}

describe('gateway observability', () => {
  it('counts a subscription from its first read until it is returned, even while no event has arrived', async () => {
    const observability = new GatewayObservability({ processMetrics: false });
    const source = quietSource();
    const tracked = observability.trackSubscriptions(undefined, '1', {}, {}, source)!;
    expect(await gauge(observability)).toBe(0);

    const pending = tracked.next();
    expect(await gauge(observability)).toBe(1);
    source.push({ data: { n: 1 } });
    expect(await pending).toEqual({ value: { data: { n: 1 } }, done: false });

    const waiting = tracked.next();
    await tracked.return!();
    expect(source.returned).toBe(true);
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(await gauge(observability)).toBe(0);
  });

  it('counts a subscription that ends or fails by itself once', async () => {
    const observability = new GatewayObservability({ processMetrics: false });
    async function* twoThenFail() {
      yield { data: { n: 1 } };
      throw new Error('upstream closed');
    }
    const tracked = observability.trackSubscriptions(undefined, '1', {}, {}, twoThenFail())!;
    await tracked.next();
    expect(await gauge(observability)).toBe(1);
    await expect(tracked.next()).rejects.toThrow('upstream closed');
    await tracked.return!();
    expect(await gauge(observability)).toBe(0);
  });

  it('leaves results of queries sent over graphql-ws alone', () => {
    const observability = new GatewayObservability({ processMetrics: false });
    expect(observability.trackSubscriptions(undefined, '1', {}, {}, { data: { a: 1 } })).toBeUndefined();
  });

  it('keeps each gateway’s metrics in its own registry', async () => {
    const first = new GatewayObservability({ processMetrics: false });
    const second = new GatewayObservability({ processMetrics: false });
    first.trackSubscriptions(undefined, '1', {}, {}, quietSource())!.next();
    expect(await gauge(first)).toBe(1);
    expect(await gauge(second)).toBe(0);
  });

  it('labels the client from its header, bounded: unknown, invalid and other', () => {
    const label = clientLabeller(clientNameFromHeaders, 2);
    const http = (headers: Record<string, string>) => ({ request: { headers: new Headers(headers) } });
    const ws = (headers: Record<string, string>) => ({ req: { headers } as never });
    expect(label(http({ 'x-client-name': 'clinician-web' }))).toBe('clinician-web');
    expect(label(ws({ 'apollographql-client-name': 'research-portal' }))).toBe('research-portal');
    expect(label(http({}))).toBe('unknown');
    expect(label(undefined)).toBe('unknown');
    expect(label(http({ 'x-client-name': 'has spaces "and quotes"' }))).toBe('invalid');
    expect(label(http({ 'x-client-name': 'a-third-client' }))).toBe('other');
    expect(label(http({ 'x-client-name': 'clinician-web' }))).toBe('clinician-web');
  });
});
