/** Something whose readiness the service reports on /readyz. */
export interface ReadinessCheck {
  readonly name: string;
  /** True when the component is up and serving. */
  ready(): boolean;
}

/** Health of the whole service: live while the process serves, ready when every check is. */
export class HealthRegistry {
  private readonly checks: ReadinessCheck[] = [];
  private stopping = false;

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  /** Marks the service as shutting down: no longer ready. */
  markStopping(): void {
    this.stopping = true;
  }

  readiness(): { ready: boolean; checks: Record<string, boolean> } {
    const checks: Record<string, boolean> = {};
    for (const c of this.checks) checks[c.name] = c.ready();
    const ready = !this.stopping && Object.values(checks).every(Boolean);
    return { ready, checks };
  }
}
