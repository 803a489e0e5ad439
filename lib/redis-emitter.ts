import mqemitterRedis from 'mqemitter-redis';
import type { Logger } from './logger';
import { DEFAULT_DEPENDENCY_TIMEOUTS, type RedisTimeouts } from './dependency-timeouts';

export type RedisEmitter = ReturnType<typeof mqemitterRedis>;
type Message = Parameters<RedisEmitter['emit']>[0];
type Done = (error?: Error) => void;

/** The parts of mqemitter-redis 7 (mqemitter-redis.js) this module works with that its typings leave out. */
interface EmitterInternals {
  pubConn: RedisConnection;
  subConn: RedisConnection;
  state: NodeJS.EventEmitter;
  /** Topics with local listeners, as subscribed in Redis ('+' and '#' turned into '*'). */
  _topics: Record<string, number>;
  /** mqemitter's own emit: delivery to this process's listeners only. */
  _emit(message: Message, done?: Done): void;
  closed?: boolean;
}

interface RedisConnection extends NodeJS.EventEmitter {
  status: string;
  publish(channel: string, message: Buffer | string): Promise<number>;
  subscribe(channel: string): Promise<unknown>;
  psubscribe(pattern: string): Promise<unknown>;
}

/** Messages published while Redis is down, sent when it is back; beyond this the oldest are dropped (and counted in the log). */
export const MAX_REDIS_BACKLOG = 1_000;
/** ioredis's longest wait between reconnect attempts. */
const RECONNECT_CAP_MS = 2_000;
/**
 * Redis keeps no pub/sub messages: the backlog goes out only once every replica had its next
 * reconnect attempt (at most RECONNECT_CAP_MS apart) and so is subscribed again to hear it.
 */
const BACKLOG_FLUSH_DELAY_MS = RECONNECT_CAP_MS + 1_000;
/** Marks a message this replica published, so its echo from Redis is not delivered here a second time. */
const ORIGIN = '__hubReplica';

/**
 * Subscription events across replicas through Redis (mqemitter-redis) that survive Redis going away:
 * - every message is delivered to this replica's subscribers at once, then published for the others
 *   (mqemitter-redis alone delivers even local messages only on their round trip through Redis, so a
 *   dead Redis silenced every subscription);
 * - connect and command timeouts, no offline queue (a publish never waits on a dead Redis), and
 *   ioredis reconnecting with a back-off capped at 2 s;
 * - what could not be published waits in a bounded backlog and goes out once Redis is back and the
 *   other replicas had time to subscribe again; every topic this replica listens to is subscribed
 *   again then too (one subscribed during the outage included);
 * - connection errors are logged (mqemitter-redis re-emits them on an EventEmitter whose unhandled
 *   'error' would end the process).
 */
export function createRedisEmitter(redisUrl: string, log: Logger, timeouts: RedisTimeouts = DEFAULT_DEPENDENCY_TIMEOUTS.redis): RedisEmitter {
  const emitter = mqemitterRedis({
    // Given a connectionString, mqemitter-redis ignores every other ioredis option: pass them parsed.
    ...redisOptionsFromUrl(redisUrl),
    connectTimeout: timeouts.connectMs,
    commandTimeout: timeouts.commandMs,
    enableOfflineQueue: false,
    retryStrategy: (times: number) => Math.min(times * 100, RECONNECT_CAP_MS),
  });
  const internals = emitter as unknown as EmitterInternals;
  const replica = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const backlog: Message[] = [];
  let dropped = 0;
  let down = false;

  const deliverHere = internals._emit.bind(emitter);
  const publishToRedis = emitter.emit.bind(emitter);
  // Messages from Redis: this replica's own come back too, and were delivered here already.
  internals._emit = (message: Message, done?: Done) => {
    if ((message as Record<string, unknown>)[ORIGIN] === replica) {
      done?.();
      return;
    }
    deliverHere(message, done);
  };

  const publish = (message: Message) => {
    publishToRedis({ ...message, [ORIGIN]: replica }, (error?: Error) => {
      if (!error || internals.closed) return;
      if (!down) log.warn({ event: 'redis_publish_failed', err: error }, 'Redis unavailable: events reach this replica only until it is back');
      down = true;
      backlog.push(message);
      if (backlog.length > MAX_REDIS_BACKLOG) {
        backlog.shift();
        dropped += 1;
      }
    });
  };

  emitter.emit = (message: Message, done?: Done) => {
    if (internals.closed) {
      done?.(new Error('the event emitter is closed'));
      return;
    }
    deliverHere(message, done);
    publish(message);
  };

  const flushBacklog = () => {
    if (internals.pubConn.status !== 'ready' || internals.closed) return;
    const pending = backlog.splice(0);
    if (down || pending.length) log.info({ event: 'redis_back', republished: pending.length, dropped }, 'Redis is back: events reach every replica again');
    down = false;
    dropped = 0;
    for (const message of pending) publish(message);
  };
  internals.pubConn.on('ready', () => {
    if (!down && !backlog.length) return;
    setTimeout(flushBacklog, BACKLOG_FLUSH_DELAY_MS).unref();
  });
  internals.subConn.on('ready', () => {
    // ioredis re-subscribes only to what Redis had confirmed; a subscribe refused during the outage is repeated here.
    for (const topic of Object.keys(internals._topics)) {
      const subscribed = topic.includes('*') ? internals.subConn.psubscribe(topic) : internals.subConn.subscribe(topic);
      subscribed.catch((error: unknown) => log.warn({ event: 'redis_resubscribe_failed', topic, err: error }, 'Redis re-subscribe failed'));
    }
  });
  let lastErrorLog = 0;
  internals.state.on('error', (error: Error) => {
    // ioredis reports each failed reconnect: one line per 10 s is enough.
    if (Date.now() - lastErrorLog < 10_000) return;
    lastErrorLog = Date.now();
    log.warn({ event: 'redis_error', err: error }, 'Redis connection error');
  });
  return emitter;
}

/** ioredis options from a redis:// or rediss:// URL (user, password, database number, TLS). */
export function redisOptionsFromUrl(redisUrl: string): Record<string, unknown> {
  const url = new URL(redisUrl);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error(`REDIS_URL must be redis:// or rediss://, not ${url.protocol}`);
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
