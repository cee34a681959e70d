import type { BulkProgress } from './deactivationFactory';

/** Something progress is written to: stderr, normally. */
export interface ProgressStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * Shows a bulk run's progress with the estimated time left. On a terminal: a
 * bar redrawn in place. Otherwise (a log file, CI): a plain line at every
 * tenth of the way, so a thousand users make ten lines, not a thousand.
 */
export class ProgressReporter {
  private lastTenth = 0;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    /** What runs, for the plain lines, e.g. "deactivate" or "deactivate (dry run)". */
    private readonly verb: string,
    /** Bar width in characters. Default 30. */
    private readonly width = 30,
  ) {}

  update(p: BulkProgress): void {
    if (p.total === 0) return;
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${this.bar(p)}`);
      this.drawn = true;
      return;
    }
    const tenth = Math.floor((p.done * 10) / p.total);
    if (tenth <= this.lastTenth) return;
    this.lastTenth = tenth;
    const failed = p.failed ? `, ${p.failed} failed` : '';
    const left = p.done === p.total ? '' : `, about ${formatDuration(p.etaMs)} left`;
    this.stream.write(`${this.verb}: ${p.done}/${p.total} users done${failed}${left}\n`);
  }

  /** Ends the bar's line, so what follows starts on a fresh one. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }

  private bar(p: BulkProgress): string {
    const filled = Math.round((p.done / p.total) * this.width);
    const failed = p.failed ? `  ${p.failed} failed` : '';
    const eta = p.done === p.total ? '  done' : `  ETA ${formatDuration(p.etaMs)}`;
    return `[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${p.done}/${p.total}${failed}${eta}`;
  }
}

/** A duration for people: `<1s`, `42s`, `3m 05s`, `1h 20m`; `?` when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return '<1s';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
