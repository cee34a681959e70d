import { Redis, type RedisOptions } from 'ioredis';
import { CircuitBreaker, type CircuitState } from '../directory/breaker/circuitBreaker';
import { intOption, requiredOption } from '../directory/options';
import { Histogram, type HistogramSnapshot } from '../telemetry/metricsHistogram';
import type { Logger } from '../telemetry/logger';
import { redactRedisUrl } from './redisUrl';

const OWNER = 'FleetRedis';

/** Bounds of Redis command durations, seconds: a LAN round trip (0.25 ms) to a wait that ran out. */
export const REDIS_SECONDS_BUCKETS: readonly number[] = Object.freeze([0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]);

export interface FleetRedisOptions {
  /** ENRICHER_REDIS_URL. Required. Holds the password: only its redacted form is ever logged. */
  readonly url: string;
  /** Longest one command may take, ms; then it counts as an error and the caller goes on without it. Default 250. */
  readonly waitMs?: number;
  /** Prefix of every key and channel. Default `genesys-enricher:`. */
  readonly keyPrefix?: string;
  /** Consecutive failed commands that open the Redis breaker. Default 5. */
  readonly breakerFailures?: number;
  /** How long the breaker stays open before one probe command, ms. Default 5000. */
  readonly breakerCooldownMs?: number;
  /** Longest pause between reconnect attempts, ms (backoff doubles up to it, jittered). Default 5000. */
  readonly maxReconnectDelayMs?: number;
  readonly logger: Logger;
}

/** What a command came to: its value, or that Redis could not answer (the caller goes on without it). */
export type RedisOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

/** Counters since construction. */
export interface FleetRedisStats {
  /** Commands that answered. */
  readonly ok: number;
  /** Commands that failed: timeout, connection lost, not connected, error reply. */
  readonly errors: number;
  /** Commands not sent because the Redis breaker was open. */
  readonly shortCircuited: number;
  /** Whether the command connection is up now. */
  readonly connected: boolean;
  /** Times the connection came up (the first time included). */
  readonly connects: number;
  readonly breaker: CircuitState;
  readonly breakerOpened: number;
  /** Durations of commands that were sent, seconds. */
  readonly latency: HistogramSnapshot;
}

const FAILED: RedisOutcome<never> = Object.freeze({ ok: false });

/**
 * The fleet's one Redis: a command connection and, on demand, a subscriber
 * connection (pub/sub needs its own). Every command goes through `run`, which
 * bounds it (`waitMs`, no offline queue: while disconnected a command
 * fails at once rather than waiting for the reconnect), times it, counts it,
 * and feeds a breaker so a Redis that keeps failing is not asked at all for a
 * while. `run` never rejects: Redis is an optimisation, never a dependency of
 * a span. Reconnects forever with jittered exponential backoff.
 */
export class FleetRedis {
  readonly keyPrefix: string;
  readonly #url: string;
  readonly #options: RedisOptions;
  readonly #client: Redis;
  readonly #breaker: CircuitBreaker;
  readonly #latency = new Histogram(REDIS_SECONDS_BUCKETS);
  readonly #logger: Logger;
  readonly #waitMs: number;
  #subscriber: Redis | undefined;
  readonly #handlers = new Map<string, Set<(message: string) => void>>();
  readonly #scripts = new Map<string, string>();
  #ok = 0;
  #errors = 0;
  #shortCircuited = 0;
  #connects = 0;
  #down = false;
  #closed = false;

  constructor(options: FleetRedisOptions) {
    requiredOption(OWNER, 'options', options);
    this.#url = requiredOption(OWNER, 'url', options.url);
    this.#logger = requiredOption(OWNER, 'logger', options.logger);
    this.keyPrefix = options.keyPrefix ?? 'genesys-enricher:';
    const waitMs = intOption(OWNER, 'waitMs', options.waitMs, 250);
    this.#waitMs = waitMs;
    const maxDelay = intOption(OWNER, 'maxReconnectDelayMs', options.maxReconnectDelayMs, 5000);
    this.#breaker = new CircuitBreaker({
      failureThreshold: intOption(OWNER, 'breakerFailures', options.breakerFailures, 5, 0),
      cooldownMs: intOption(OWNER, 'breakerCooldownMs', options.breakerCooldownMs, 5000),
      onChange: (state) =>
        state === 'open'
          ? this.#logger.warn({ redis: redactRedisUrl(this.#url) }, 'Redis circuit opened: the fleet shares nothing until a probe succeeds (each process uses its own cache and Genesys calls)')
          : this.#logger.info({ redis: redactRedisUrl(this.#url) }, 'Redis circuit closed: sharing resumed'),
    });
    this.#options = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // A backstop for a connection that stopped answering; the caller's bound is `waitMs` (see run()).
      commandTimeout: Math.max(1000, waitMs * 10),
      connectTimeout: Math.max(1000, waitMs * 10),
      enableAutoPipelining: true,
      // Forever, 50 ms doubling to maxDelay, +-25% so a fleet does not reconnect in step.
      retryStrategy: (times) => Math.round(Math.min(maxDelay, 50 * 2 ** Math.min(times, 16)) * (0.75 + Math.random() * 0.5)),
    };
    this.#client = new Redis(this.#url, this.#options);
    this.#watch(this.#client, 'commands');
  }

  /** Starts connecting in the background; commands fail fast until it is up. */
  start(): void {
    this.#client.connect().catch(() => undefined); // 'error' events report it; reconnects go on
  }

  /**
   * Resolves true once the command connection is up, false after `timeoutMs`
   * (or when closed). For callers that must not take "not connected yet" for
   * "Redis is down", such as the deactivation lock right after start.
   */
  async whenReady(timeoutMs: number): Promise<boolean> {
    if (this.#client.status === 'ready') return true;
    if (this.#closed) return false;
    return new Promise<boolean>((resolve) => {
      const done = (up: boolean) => {
        clearTimeout(timer);
        this.#client.off('ready', onReady);
        resolve(up);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(this.#client.status === 'ready'), timeoutMs);
      this.#client.on('ready', onReady);
    });
  }

  /** Runs `fn` on the command connection within the wait bound; `{ok:false}` when Redis could not answer. */
  async run<T>(fn: (redis: Redis) => Promise<T>): Promise<RedisOutcome<T>> {
    if (this.#closed) return FAILED;
    const ticket = this.#breaker.tryAcquire();
    if (!ticket) {
      this.#shortCircuited++;
      return FAILED;
    }
    const started = performance.now();
    try {
      const value = await withinWait(fn(this.#client), this.#waitMs);
      this.#ok++;
      this.#breaker.record(ticket, true);
      return { ok: true, value };
    } catch {
      this.#errors++;
      this.#breaker.record(ticket, false);
      return FAILED;
    } finally {
      this.#latency.observe((performance.now() - started) / 1000);
    }
  }

  /**
   * Defines a Lua script once, run later by name with `script()`: sent as
   * EVALSHA (the body only when Redis does not know it yet, e.g. after a restart).
   */
  defineScript(name: string, lua: string): void {
    if (this.#scripts.has(name)) return;
    this.#scripts.set(name, lua);
    this.#client.defineCommand(name, { lua });
    if (this.#client.status === 'ready') this.#loadScripts([lua]);
  }

  /** Runs a script of `defineScript` on `keys` and `args`, within the wait bound like `run`. */
  script<T>(name: string, keys: readonly string[], args: readonly (string | number)[]): Promise<RedisOutcome<T>> {
    return this.run((r) => (r as unknown as Record<string, (...a: unknown[]) => Promise<T>>)[name]!(keys.length, ...keys, ...args));
  }

  /** `keyPrefix` + name. */
  key(name: string): string {
    return this.keyPrefix + name;
  }

  /** Calls `handler` with each message on `channel` (prefixed here), on a subscriber connection resubscribed after reconnects. */
  subscribe(channel: string, handler: (message: string) => void): void {
    const full = this.key(channel);
    let set = this.#handlers.get(full);
    if (!set) {
      set = new Set();
      this.#handlers.set(full, set);
      this.#subscriberConnection().subscribe(full).catch(() => undefined);
    }
    set.add(handler);
  }

  stats(): FleetRedisStats {
    const breaker = this.#breaker.stats();
    return {
      ok: this.#ok,
      errors: this.#errors,
      shortCircuited: this.#shortCircuited,
      connected: this.#client.status === 'ready',
      connects: this.#connects,
      breaker: breaker.state,
      breakerOpened: breaker.opened,
      latency: this.#latency.snapshot(),
    };
  }

  /** Closes both connections. Safe twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#client.disconnect();
    this.#subscriber?.disconnect();
  }

  #subscriberConnection(): Redis {
    if (this.#subscriber) return this.#subscriber;
    // A subscriber may queue its SUBSCRIBE until connected; it sends nothing else.
    const sub = new Redis(this.#url, { ...this.#options, enableOfflineQueue: true, commandTimeout: undefined, enableAutoPipelining: false });
    this.#watch(sub, 'subscriber');
    sub.on('message', (channel: string, message: string) => {
      for (const handler of this.#handlers.get(channel) ?? []) {
        try {
          handler(message);
        } catch (err) {
          this.#logger.warn({ channel, err: (err as Error).message }, 'fleet message handler failed');
        }
      }
    });
    this.#subscriber = sub;
    if (!this.#closed) sub.connect().catch(() => undefined);
    return sub;
  }

  #loadScripts(scripts: readonly string[]): void {
    for (const lua of scripts) this.#client.script('LOAD', lua).catch(() => undefined);
  }

  // One log line per outage and per recovery, never per failed command; never the URL's password.
  #watch(connection: Redis, role: string): void {
    const where = redactRedisUrl(this.#url);
    connection.on('ready', () => {
      // Loaded before the first miss needs them (a Redis that restarted has forgotten them), so no
      // look-up pays EVALSHA, NOSCRIPT, EVAL within its wait.
      if (role === 'commands') this.#loadScripts([...this.#scripts.values()]);
      if (role === 'commands') this.#connects++;
      if (this.#down || (role === 'commands' && this.#connects === 1)) this.#logger.info({ redis: where, role }, 'Redis connected');
      if (role === 'commands') this.#down = false;
    });
    connection.on('error', (err: Error) => {
      if (role !== 'commands' || this.#down || this.#closed) return;
      this.#down = true;
      this.#logger.warn({ redis: where, role, err: describe(err) }, 'Redis unavailable: going on without it, reconnecting with backoff');
    });
    connection.on('end', () => undefined);
  }
}

/**
 * `work`, or a rejection once `ms` have passed. When the timer fires, the
 * answer may already sit unread in the socket: this process was busy (its
 * event loop late), not Redis slow. So the verdict waits one `setImmediate`,
 * which runs after the poll phase has read the sockets; an answer that was
 * there by then still counts.
 */
function withinWait<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => setImmediate(() => {
      if (settled) return;
      settled = true;
      reject(new Error(`Redis did not answer within ${ms} ms`));
    }), ms);
    work.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

// The error's code and message; ioredis messages name host:port, never the password.
function describe(err: Error): string {
  const code = (err as { code?: string }).code;
  return code ? `${code}: ${err.message}` : err.message;
}
