import type { RunStatus } from '../deactivation/types';
import type { Logger } from '../telemetry/logger';

/**
 * One admin request, as the audit log keeps it. Carries who (a token
 * fingerprint, never the token), what and the outcome; the raw path is not
 * kept (it is attacker-controlled), only the route pattern and a valid user id.
 */
export interface AuditRecord {
  /** Token fingerprint (12 hex digits), `anonymous` or `invalid`. */
  readonly who: string;
  /** The client's address, as the TCP connection gives it (behind a proxy: the proxy's). */
  readonly client: string;
  readonly method: string;
  /** Route pattern, e.g. `/v1/users/{userId}/deactivate`; null when no route matched. */
  readonly route: string | null;
  /** The canonical user id, when the path carried a valid one. */
  readonly userId?: string;
  readonly dryRun?: boolean;
  readonly reason?: string;
  /** HTTP status answered. */
  readonly status: number;
  /** The error code of an error answer. */
  readonly code?: string;
  /** The run's status and id, when a run report came back. */
  readonly runStatus?: RunStatus;
  readonly runId?: string;
  /** From the request's arrival to the answer, milliseconds. */
  readonly durationMs: number;
}

/** Writes audit records, one log line each, through a `{component: 'audit'}` child logger. */
export class AuditLog {
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger.child({ component: 'audit' });
  }

  record(r: AuditRecord): void {
    this.logger.info(r, 'admin request');
  }
}
