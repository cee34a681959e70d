import type { Lifecycle } from '../pipeline/consumer';

/**
 * The lifecycle the OTLP receivers share. `start()` binds once (called again it
 * returns the same promise; after shutdown it rejects); `shutdown()` stops once,
 * after a start in progress has settled (safe twice and before start); `port` is
 * the bound port while listening. A receiver binds in `listen()` and stops in
 * `close()`; how it serves is its own.
 */
export abstract class ListeningReceiver implements Lifecycle {
  #boundPort?: number;
  #starting?: Promise<void>;
  #stopping?: Promise<void>;

  /** `name` for error messages, e.g. `OtlpGrpcReceiver`. */
  protected constructor(private readonly name: string) {}

  /** Binds and starts serving; resolves with the bound TCP port. */
  protected abstract listen(): Promise<number>;
  /** Stops serving, letting in-flight requests finish for `graceMs`. Any bind attempt has settled. */
  protected abstract close(graceMs: number): Promise<void>;
  /** Grace period of `shutdown()` when none is given, ms. */
  protected abstract defaultGraceMs(): number;

  /** The bound TCP port (the real one when the address asked for port 0). Throws before `start()` resolves. */
  get port(): number {
    if (this.#boundPort === undefined) throw new Error(`${this.name}: not listening (call start() first)`);
    return this.#boundPort;
  }

  /** Binds and starts serving. Calling it again returns the same promise; after shutdown it rejects. */
  start(): Promise<void> {
    if (this.#stopping) return Promise.reject(new Error(`${this.name}: already shut down`));
    this.#starting ??= this.listen().then((port) => {
      this.#boundPort = port;
    });
    return this.#starting;
  }

  /**
   * Stops accepting, lets in-flight requests finish for `graceMs` (default the
   * receiver's `shutdownGraceMs` option), then closes every connection. Safe twice and before start.
   */
  shutdown(options: { graceMs?: number } = {}): Promise<void> {
    this.#stopping ??= this.#stop(options.graceMs ?? this.defaultGraceMs());
    return this.#stopping;
  }

  async #stop(graceMs: number): Promise<void> {
    await this.#starting?.catch(() => undefined); // a failed bind may still leave a server to close
    await this.close(graceMs);
    this.#boundPort = undefined;
  }
}
