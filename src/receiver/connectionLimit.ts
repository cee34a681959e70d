import type http2 from 'node:http2';
import type net from 'node:net';
import type { Logger } from '../telemetry/logger';

/**
 * Transport defaults both receivers share: connections per receiver, idle
 * timeout (ms) and receive deadline (ms: the whole request must have arrived
 * within it).
 */
export const TRANSPORT_DEFAULTS = Object.freeze({ maxConnections: 4096, idleTimeoutMs: 300_000, receiveTimeoutMs: 15_000 });

export interface ConnectionLimitOptions {
  /** Connections open at once; further ones are closed as they arrive. 0: no cap. */
  readonly maxConnections: number;
  /** A connection with no traffic either way for this long is closed, ms. 0: never. */
  readonly idleTimeoutMs: number;
  readonly logger: Logger;
  /** At most one warning per this interval about refused connections, ms. Default 10,000. */
  readonly logIntervalMs?: number;
}

/** Counters and gauges since construction. */
export interface ConnectionStats {
  /** Connections open now (gauge). */
  readonly open: number;
  /** Connections closed on arrival because the cap was reached. */
  readonly refused: number;
  /** Connections closed after `idleTimeoutMs` without traffic. */
  readonly idleClosed: number;
}

/**
 * A cap on a receiver's concurrent connections and an idle timeout, so that
 * clients holding connections open (or idle) cannot take every file
 * descriptor of the process: the admin server, the exporter and the queue
 * files keep theirs. The cap is the listener's own `maxConnections` (Node
 * closes connections over it at accept); refusals are counted and logged
 * at most once per `logIntervalMs`, with the number refused since the last line.
 */
export class ConnectionLimit {
  readonly #max: number;
  readonly #idleMs: number;
  readonly #log: Logger;
  readonly #logIntervalMs: number;
  #open = 0;
  #refused = 0;
  #idleClosed = 0;
  #refusedSinceLog = 0;
  #lastLog = -Infinity;

  /** Throws on invalid options, naming each problem. */
  constructor(options: ConnectionLimitOptions) {
    this.#max = options.maxConnections;
    this.#idleMs = options.idleTimeoutMs;
    this.#log = options.logger;
    this.#logIntervalMs = options.logIntervalMs ?? 10_000;
    const problems: string[] = [];
    if (!Number.isSafeInteger(this.#max) || this.#max < 0) problems.push(`maxConnections must be an integer >= 0, got ${this.#max}`);
    if (!Number.isSafeInteger(this.#idleMs) || this.#idleMs < 0 || this.#idleMs > 2 ** 31 - 1) problems.push(`idleTimeoutMs must be an integer from 0 to 2^31-1, got ${this.#idleMs}`);
    if (problems.length > 0) throw new RangeError(`ConnectionLimit: invalid options: ${problems.join('; ')}`);
  }

  /**
   * Applies the cap to `server`'s connections, and the idle timeout on their
   * sockets unless `idleOnSockets` is false (HTTP/2: the session reads the
   * socket natively, so socket activity timers never see its traffic; use
   * `watchSessions` there). Call before it listens.
   */
  apply(server: net.Server, options: { readonly idleOnSockets?: boolean } = {}): void {
    if (this.#max > 0) server.maxConnections = this.#max;
    server.on('drop', () => this.#dropped());
    const idleOnSockets = options.idleOnSockets ?? true;
    server.on('connection', (socket: net.Socket) => {
      this.#open++;
      socket.once('close', () => this.#open--);
      if (this.#idleMs > 0 && idleOnSockets) {
        socket.setTimeout(this.#idleMs);
        socket.once('timeout', () => {
          this.#idleClosed++;
          socket.destroy();
        });
      }
    });
  }

  /**
   * The idle timeout for HTTP/2: a session without a frame either way for
   * `idleTimeoutMs` is closed gracefully (GOAWAY; streams in progress may
   * finish). Node refreshes the session's timer on every frame, so nothing is
   * added per request.
   */
  watchSessions(h2: http2.Http2Server | http2.Http2SecureServer): void {
    if (this.#idleMs === 0) return;
    h2.on('session', (session: http2.ServerHttp2Session) => {
      session.setTimeout(this.#idleMs, () => {
        this.#idleClosed++;
        session.close();
      });
    });
  }

  stats(): ConnectionStats {
    return { open: this.#open, refused: this.#refused, idleClosed: this.#idleClosed };
  }

  #dropped(): void {
    this.#refused++;
    this.#refusedSinceLog++;
    const now = Date.now();
    if (now - this.#lastLog < this.#logIntervalMs) return;
    this.#log.warn(
      { maxConnections: this.#max, refusedConnections: this.#refusedSinceLog, intervalMs: this.#logIntervalMs },
      'connection cap reached: closing new connections as they arrive',
    );
    this.#lastLog = now;
    this.#refusedSinceLog = 0;
  }
}
