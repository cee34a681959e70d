/** One problem with one configuration key. */
export interface ConfigProblem {
  /** The environment variable (or config key) at fault. */
  readonly key: string;
  readonly message: string;
}

/** Every configuration problem found, reported together. Never contains secret values. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
