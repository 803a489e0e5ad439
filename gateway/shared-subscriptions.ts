import type { ExecutionResult } from 'graphql';

/**
 * Identical subscriptions share one execution. Ten thousand screens watching one patient's risk
 * used to be ten thousand upstream graphql-ws subscriptions to the inference subgraph, each executed
 * and merged by the gateway per message (the hub delivered ~2–3k messages/s, docs/benchmarks.md);
 * now the first subscriber's stream is executed once and every later subscriber with the same key
 * (document, variables and access scope — see gateway/subscription-sharing.ts) reads the same results.
 *
 * Each subscriber has its own bounded queue, so a subscriber whose socket stops reading never slows
 * the others: when more than `maxQueued` results wait for it, its queue is dropped and it receives
 * one SUBSCRIBER_TOO_SLOW error and completes (its client may resubscribe).
 */
export type SubscribeOutcome = AsyncIterable<ExecutionResult> | ExecutionResult;

export interface SharedSubscriptionsOptions {
  /** Results queued for one subscriber before it is cut off as too slow. */
  maxQueued: number;
  /** Closing the source after its last subscriber left failed: nobody waits for it, so only report. */
  onCloseError: (error: unknown) => void;
}

export const TOO_SLOW_CODE = 'SUBSCRIBER_TOO_SLOW';

function isAsyncIterable(value: SubscribeOutcome): value is AsyncIterable<ExecutionResult> {
  return typeof (value as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator] === 'function';
}

/** One subscriber's view of a shared stream: an async-generator-like iterator over a bounded queue. */
class SubscriberQueue implements AsyncIterableIterator<ExecutionResult> {
  private queued: ExecutionResult[] = [];
  private waiting: { resolve: (result: IteratorResult<ExecutionResult>) => void; reject: (error: Error) => void } | undefined;
  /** Set once: the stream completed (`{}`) or failed (`{ error }`), or this subscriber left. */
  private ended: { error?: Error } | undefined;

  constructor(
    private readonly maxQueued: number,
    private readonly leave: (queue: SubscriberQueue) => void,
  ) {}

  deliver(result: ExecutionResult): void {
    if (this.ended) return;
    if (this.waiting) return this.settle({ value: result, done: false });
    if (this.queued.length < this.maxQueued) {
      this.queued.push(result);
      return;
    }
    this.queued = [
      {
        errors: [
          {
            message: `subscriber too slow: more than ${this.maxQueued} updates were waiting to be sent; subscribe again`,
            extensions: { code: TOO_SLOW_CODE },
          } as never,
        ],
      },
    ];
    this.end();
  }

  /** No more results: the shared stream completed, failed (`error`), or this subscriber left. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = error === undefined ? {} : { error: error instanceof Error ? error : new Error(String(error)) };
    this.leave(this);
    if (this.waiting) {
      // Waiting means the queue is empty: settle with the end itself.
      if (this.ended.error) {
        const { reject } = this.waiting;
        this.waiting = undefined;
        reject(this.ended.error);
      } else this.settle({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const value = this.queued.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.ended?.error) {
      const { error } = this.ended;
      this.ended = {};
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.queued = [];
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.queued = [];
    this.end();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private settle(result: IteratorResult<ExecutionResult>): void {
    const { resolve } = this.waiting!;
    this.waiting = undefined;
    resolve(result);
  }
}

/** One executed subscription and the subscribers reading it; closed when the last one leaves. */
class SharedStream {
  private readonly subscribers = new Set<SubscriberQueue>();
  closed = false;

  constructor(
    private readonly source: AsyncIterator<ExecutionResult>,
    private readonly options: SharedSubscriptionsOptions,
    private readonly onClosed: () => void,
  ) {
    void this.pump();
  }

  attach(): SubscriberQueue {
    const queue = new SubscriberQueue(this.options.maxQueued, (left) => this.leave(left));
    this.subscribers.add(queue);
    return queue;
  }

  private leave(queue: SubscriberQueue): void {
    this.subscribers.delete(queue);
    if (this.subscribers.size === 0) this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
    Promise.resolve(this.source.return?.()).catch(this.options.onCloseError);
  }

  private async pump(): Promise<void> {
    let failure: unknown;
    try {
      for (;;) {
        const { value, done } = await this.source.next();
        if (done || this.closed) break;
        for (const subscriber of this.subscribers) subscriber.deliver(value);
      }
    } catch (error) {
      failure = error ?? new Error('subscription source failed');
    }
    this.closed = true;
    this.onClosed();
    for (const subscriber of [...this.subscribers]) subscriber.end(failure);
  }
}

interface Slot {
  outcome: Promise<SharedStream | ExecutionResult>;
}

export class SharedSubscriptions {
  private readonly streams = new Map<string, Slot>();

  constructor(private readonly options: SharedSubscriptionsOptions) {}

  /** How many distinct subscriptions are executing (for metrics and tests). */
  get size(): number {
    return this.streams.size;
  }

  /** Whether a subscription under `key` is executing (or starting): a subscriber now would join it. */
  has(key: string): boolean {
    return this.streams.has(key);
  }

  /**
   * Subscribe under `key`: join the stream already executing for it, or `start` one. A start that
   * refuses (an ExecutionResult, e.g. PATIENT_NOT_FOUND at subscribe time) is returned to everyone
   * who waited for it and not kept, so the next subscriber tries again.
   */
  async subscribe(key: string, start: () => Promise<SubscribeOutcome> | SubscribeOutcome): Promise<SubscribeOutcome> {
    for (;;) {
      let slot = this.streams.get(key);
      if (!slot) {
        const opening = { outcome: undefined as unknown as Slot['outcome'] };
        this.streams.set(key, opening);
        opening.outcome = this.open(key, opening, start);
        slot = opening;
      }
      const shared = await slot.outcome;
      if (!(shared instanceof SharedStream)) return shared;
      // Its last subscriber may have left while this one waited: then start afresh.
      if (!shared.closed) return shared.attach();
    }
  }

  private async open(key: string, slot: Slot, start: () => Promise<SubscribeOutcome> | SubscribeOutcome): Promise<SharedStream | ExecutionResult> {
    const forget = () => {
      if (this.streams.get(key) === slot) this.streams.delete(key);
    };
    let outcome: SubscribeOutcome;
    try {
      outcome = await start();
    } catch (error) {
      forget();
      throw error;
    }
    if (!isAsyncIterable(outcome)) {
      forget();
      return outcome;
    }
    return new SharedStream(outcome[Symbol.asyncIterator](), this.options, forget);
  }
}
