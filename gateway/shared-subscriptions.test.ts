import type { ExecutionResult } from 'graphql';
import { SharedSubscriptions, TOO_SLOW_CODE, type SubscribeOutcome } from './shared-subscriptions';

/** A subscription source the test drives: push results, complete or fail it, see whether it was closed. */
function controlledSource() {
  const pending: Array<(result: IteratorResult<ExecutionResult>) => void> = [];
  const failures: Array<(error: Error) => void> = [];
  const buffered: ExecutionResult[] = [];
  const state = { returned: false, ended: false };
  const settle = (result: IteratorResult<ExecutionResult>) => {
    failures.shift();
    pending.shift()!(result);
  };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: () => {
      const value = buffered.shift();
      if (value) return Promise.resolve({ value, done: false });
      if (state.ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        pending.push(resolve);
        failures.push(reject);
      });
    },
    return: () => {
      state.returned = true;
      state.ended = true;
      while (pending.length) settle({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return {
    iterator,
    state,
    push(value: ExecutionResult) {
      if (pending.length) settle({ value, done: false });
      else buffered.push(value);
    },
    complete() {
      state.ended = true;
      while (pending.length) settle({ value: undefined, done: true });
    },
    fail(error: Error) {
      pending.shift();
      failures.shift()!(error);
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const result = (n: number): ExecutionResult => ({ data: { n } });

function asIterator(outcome: SubscribeOutcome): AsyncIterator<ExecutionResult> {
  return (outcome as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
}

function sharing(maxQueued = 8) {
  const closeErrors: unknown[] = [];
  return { shared: new SharedSubscriptions({ maxQueued, onCloseError: (error) => closeErrors.push(error) }), closeErrors };
}

describe('SharedSubscriptions', () => {
  it('executes identical subscriptions once and delivers every result to each subscriber', async () => {
    const { shared } = sharing();
    const source = controlledSource();
    const start = jest.fn(() => source.iterator);
    const a = asIterator(await shared.subscribe('k', start));
    const b = asIterator(await shared.subscribe('k', start));
    expect(start).toHaveBeenCalledTimes(1);
    expect(shared.size).toBe(1);

    source.push(result(1));
    source.push(result(2));
    await expect(a.next()).resolves.toEqual({ value: result(1), done: false });
    await expect(a.next()).resolves.toEqual({ value: result(2), done: false });
    await expect(b.next()).resolves.toEqual({ value: result(1), done: false });
    await expect(b.next()).resolves.toEqual({ value: result(2), done: false });
  });

  it('keeps different keys apart', async () => {
    const { shared } = sharing();
    const first = controlledSource();
    const second = controlledSource();
    const a = asIterator(await shared.subscribe('patient-1', () => first.iterator));
    const b = asIterator(await shared.subscribe('patient-2', () => second.iterator));
    first.push(result(1));
    second.push(result(2));
    await expect(a.next()).resolves.toEqual({ value: result(1), done: false });
    await expect(b.next()).resolves.toEqual({ value: result(2), done: false });
    expect(shared.size).toBe(2);
  });

  it('returns a refusal to everyone who waited for it and starts afresh for the next subscriber', async () => {
    const { shared } = sharing();
    const refusal: ExecutionResult = { errors: [{ message: 'no such patient', extensions: { code: 'PATIENT_NOT_FOUND' } } as never] };
    let release!: () => void;
    const start = jest.fn(() => new Promise<SubscribeOutcome>((resolve) => (release = () => resolve(refusal))));
    const waiting = [shared.subscribe('k', start), shared.subscribe('k', start)];
    release();
    await expect(Promise.all(waiting)).resolves.toEqual([refusal, refusal]);
    expect(shared.size).toBe(0);

    const source = controlledSource();
    const retried = asIterator(await shared.subscribe('k', () => source.iterator));
    source.push(result(3));
    await expect(retried.next()).resolves.toEqual({ value: result(3), done: false });
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('closes the source when its last subscriber leaves, and opens a new one for the next', async () => {
    const { shared } = sharing();
    const source = controlledSource();
    const a = asIterator(await shared.subscribe('k', () => source.iterator));
    const b = asIterator(await shared.subscribe('k', () => source.iterator));
    await a.return!();
    expect(source.state.returned).toBe(false);
    await b.return!();
    expect(source.state.returned).toBe(true);
    expect(shared.size).toBe(0);

    const next = controlledSource();
    const c = asIterator(await shared.subscribe('k', () => next.iterator));
    next.push(result(4));
    await expect(c.next()).resolves.toEqual({ value: result(4), done: false });
  });

  it('cuts off a subscriber that stops reading while the others receive every result', async () => {
    const { shared } = sharing(3);
    const source = controlledSource();
    const slow = asIterator(await shared.subscribe('k', () => source.iterator));
    const fast = asIterator(await shared.subscribe('k', () => source.iterator));
    const received: ExecutionResult[] = [];
    for (let n = 1; n <= 6; n += 1) {
      source.push(result(n));
      received.push((await fast.next()).value as ExecutionResult);
    }
    expect(received).toEqual([1, 2, 3, 4, 5, 6].map(result));

    const cut = await slow.next();
    expect(cut.value).toEqual({
      errors: [expect.objectContaining({ extensions: { code: TOO_SLOW_CODE }, message: expect.stringContaining('more than 3 updates') })],
    });
    await expect(slow.next()).resolves.toEqual({ value: undefined, done: true });
    expect(source.state.returned).toBe(false);
  });

  it('ends every subscriber when the source completes, and fails every subscriber when it fails', async () => {
    const { shared } = sharing();
    const completing = controlledSource();
    const a = asIterator(await shared.subscribe('done', () => completing.iterator));
    const pendingA = a.next();
    completing.complete();
    await expect(pendingA).resolves.toEqual({ value: undefined, done: true });

    const failing = controlledSource();
    const b = asIterator(await shared.subscribe('fails', () => failing.iterator));
    const c = asIterator(await shared.subscribe('fails', () => failing.iterator));
    const pendingB = b.next();
    await tick();
    failing.fail(new Error('inference subgraph closed the connection'));
    await expect(pendingB).rejects.toThrow('inference subgraph closed the connection');
    await expect(c.next()).rejects.toThrow('inference subgraph closed the connection');
    await expect(c.next()).resolves.toEqual({ value: undefined, done: true });
    expect(shared.size).toBe(0);
  });

  it('lets a start that throws reach every waiting subscriber and forgets it', async () => {
    const { shared } = sharing();
    const start = () => Promise.reject(new Error('gateway has no schema yet'));
    await expect(shared.subscribe('k', start)).rejects.toThrow('gateway has no schema yet');
    expect(shared.size).toBe(0);
  });
});
