/**
 * The admin app behind a real AdminServer on port 0, with a logger writing
 * JSON lines into memory so tests can read the audit records (and check what
 * never appears in them).
 */
import { createAdminApp, type AdminAppOptions } from '../../../src/admin/app';
import { HealthRegistry } from '../../../src/admin/health';
import { AdminServer } from '../../../src/admin/server';
import { createLogger } from '../../../src/telemetry/logger';

export interface AdminHarness {
  readonly url: string;
  /** Every log line written so far, raw. */
  logText(): string;
  /** Parsed log records with component "audit". */
  audits(): Record<string, unknown>[];
  request(method: string, path: string, init?: { token?: string; authorization?: string; body?: string; headers?: Record<string, string> }): Promise<Answer>;
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function startAdmin(options: Omit<AdminAppOptions, 'health' | 'logger'> & { health?: HealthRegistry } = {}): Promise<AdminHarness> {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(s) } });
  const handler = createAdminApp({ health: options.health ?? new HealthRegistry(), logger, ...options });
  const server = new AdminServer({ address: '127.0.0.1:0', handler, logger: createLogger({ level: 'silent' }) });
  await server.start();
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    logText: () => lines.join(''),
    audits: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.component === 'audit'),
    async request(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
      if (init.authorization !== undefined) headers.authorization = init.authorization;
      if (init.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      const res = await fetch(url + path, { method, headers, body: init.body });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    close: () => server.shutdown(),
  };
}
