import { functionOption, intOption } from '../options';

const OWNER = 'CircuitBreaker';

/** `closed`: calls go through. `open`: calls fail at once. `half_open`: one probe call may go through. */
export type CircuitState = 'closed' | 'half_open' | 'open';

/** The numbers `enricher_genesys_circuit_state` reports. */
export const CIRCUIT_STATE_VALUE: Readonly<Record<CircuitState, number>> = Object.freeze({ closed: 0, half_open: 1, open: 2 });

export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. 0 disables the breaker (always closed). Default 5. */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before one probe call is let through, ms. Default 30,000. */
  readonly cooldownMs?: number;
  /** Clock, ms. Default performance.now. */
  readonly now?: () => number;
  /** Told when the circuit opens (`open`) or closes again (`closed`), e.g. to log it. Default none. */
  readonly onChange?: (state: 'open' | 'closed') => void;
}

/** Counters since construction. */
export interface CircuitBreakerStats {
  readonly state: CircuitState;
  /** Times the circuit opened (from closed, or again after a failed probe). */
  readonly opened: number;
  /** Probes let through in half-open state. */
  readonly probes: number;
  /** Ids whose look-up was refused at once because the circuit was open or a probe was in flight (see {@link CircuitBreaker.countShortCircuited}). */
  readonly shortCircuited: number;
}

/** Permission for one call; hand it back to {@link CircuitBreaker.record}. */
export interface CallTicket {
  readonly generation: number;
  readonly probe: boolean;
}

/**
 * A consecutive-failures circuit breaker. Closed, it counts failed calls in a
 * row; at `failureThreshold` it opens and refuses calls for `cooldownMs`; then
 * it is half-open and lets exactly one probe through: success closes it,
 * failure opens it for another cool-down. Outcomes of calls admitted before the
 * last state change are ignored, so a slow call that started while closed
 * cannot close an open circuit or reopen a fresh one. State moves on time
 * lazily (when asked), so there is no timer to clean up.
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  readonly #onChange: (state: 'open' | 'closed') => void;
  #state: 'closed' | 'open' = 'closed';
  #openedAt = 0;
  #failures = 0;
  #probeInFlight = false;
  #generation = 0;
  #opened = 0;
  #probes = 0;
  #shortCircuited = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = intOption(OWNER, 'failureThreshold', options.failureThreshold, 5, 0);
    this.#cooldownMs = intOption(OWNER, 'cooldownMs', options.cooldownMs, 30_000, 1);
    this.#now = functionOption<() => number>(OWNER, 'now', options.now, performance.now.bind(performance));
    this.#onChange = functionOption<(state: 'open' | 'closed') => void>(OWNER, 'onChange', options.onChange, () => undefined);
  }

  /** The state now (an open circuit whose cool-down has passed reads half-open). */
  state(): CircuitState {
    if (this.#state === 'closed') return 'closed';
    return this.#now() - this.#openedAt >= this.#cooldownMs ? 'half_open' : 'open';
  }

  /** False when a call asked now would be refused (open, or half-open with the probe taken). Counts nothing. */
  admitsCalls(): boolean {
    const state = this.state();
    return state === 'closed' || (state === 'half_open' && !this.#probeInFlight);
  }

  /** A ticket to make one call, or undefined when the circuit refuses it (the caller counts what it refused). */
  tryAcquire(): CallTicket | undefined {
    const state = this.state();
    if (state === 'closed') return { generation: this.#generation, probe: false };
    if (state === 'half_open' && !this.#probeInFlight) {
      this.#probeInFlight = true;
      this.#probes++;
      return { generation: this.#generation, probe: true };
    }
    return undefined;
  }

  /** Counts `n` look-ups (ids) the caller refused because the circuit did. */
  countShortCircuited(n = 1): void {
    this.#shortCircuited += n;
  }

  /** Reports how the call of `ticket` went. */
  record(ticket: CallTicket, succeeded: boolean): void {
    if (ticket.generation !== this.#generation) return; // admitted before the last change: stale news
    if (ticket.probe) {
      this.#probeInFlight = false;
      if (succeeded) this.#close();
      else this.#open();
      return;
    }
    if (succeeded) this.#failures = 0;
    else if (this.#threshold > 0 && ++this.#failures >= this.#threshold) this.#open();
  }

  stats(): CircuitBreakerStats {
    return { state: this.state(), opened: this.#opened, probes: this.#probes, shortCircuited: this.#shortCircuited };
  }

  #open(): void {
    this.#state = 'open';
    this.#openedAt = this.#now();
    this.#failures = 0;
    this.#generation++;
    this.#opened++;
    this.#onChange('open');
  }

  #close(): void {
    this.#state = 'closed';
    this.#failures = 0;
    this.#generation++;
    this.#onChange('closed');
  }
}
