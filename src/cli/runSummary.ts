import type { RunStatus } from '../deactivation/types';
import type { BulkItem } from './deactivationFactory';
import { formatTable, MAX_CELL, printable } from './table';

/** Statuses that count as a failed user for the exit code: failed, and partial (something did not take). */
const NOT_OK: ReadonlySet<RunStatus> = new Set<RunStatus>(['failed', 'partial']);

/** A user's status for the summary: the run's, or `failed` when the run did not come back. */
export function itemStatus(item: BulkItem): RunStatus {
  return item.report?.status ?? 'failed';
}

/** True when the user failed or ended partial: the CLI then exits 1. */
export function itemFailed(item: BulkItem): boolean {
  return item.error !== undefined || NOT_OK.has(itemStatus(item));
}

/**
 * The summary table: user id, name, status, steps changed (planned, in a dry
 * run), items left as they were, error; then a line counting each status.
 */
export function formatSummary(items: readonly BulkItem[]): string {
  // People named by external id, email or CSV row get a SOURCE column saying how; plain id runs keep the short table.
  const sourced = items.some((item) => item.source !== undefined);
  const rows = items.map((item) => {
    const r = item.report;
    const changedOutcome = r?.dryRun ? 'planned' : 'done';
    const changed = r ? r.steps.filter((s) => s.outcome === changedOutcome).length : 0;
    const left = r ? r.steps.reduce((n, s) => n + (s.left?.length ?? 0), 0) : 0;
    const row = [item.userId || '-', r?.user?.name ?? '', itemStatus(item), r ? String(changed) : '', r ? String(left) : '', errorText(item)];
    return sourced ? [item.source ?? '', ...row] : row;
  });
  const header = ['USER ID', 'NAME', 'STATUS', 'CHANGED', 'LEFT', 'ERROR'];
  const table = formatTable(sourced ? ['SOURCE', ...header] : header, rows);
  return `${table}${countLine(items)}\n${fullErrors(items)}`;
}

/** The errors the table had to cut at MAX_CELL, in full, one per user. */
function fullErrors(items: readonly BulkItem[]): string {
  const cut = items.filter((item) => printable(errorText(item)).length > MAX_CELL);
  if (cut.length === 0) return '';
  return `\nerrors in full:\n${cut.map((item) => `  ${printable(item.userId)}: ${printable(errorText(item))}\n`).join('')}`;
}

function errorText(item: BulkItem): string {
  if (item.error) return `${item.error.code}: ${item.error.message}`;
  const failed = item.report?.steps.find((s) => s.outcome === 'failed');
  if (!failed) return '';
  return failed.error ? `${failed.step}: ${failed.error.code}: ${failed.error.message}` : `${failed.step} failed`;
}

function countLine(items: readonly BulkItem[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(itemStatus(item), (counts.get(itemStatus(item)) ?? 0) + 1);
  const order: RunStatus[] = ['completed', 'unchanged', 'planned', 'partial', 'failed'];
  const parts = order.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`);
  return `${items.length} user${items.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
