import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { SERVICE_NODE_FLAGS } from '../src/service/nodeFlags';
import type { RunningSimulator } from '../src/simulator/types';
import { Child } from './child';
import { freePort } from './freePort';
import { onAllCores, pinned, SUBJECT_CORE } from './pinning';
import { cleanEnv, type SinkEndpoint, type Subject, type Variant } from './subject';

/** The service's CLI as the build leaves it (dist/src/cli/main.js). */
export const ENRICHER_MAIN = path.resolve(__dirname, '../src/cli/main.js');

/** Why the enricher cannot run here, or undefined when it can. */
export function enricherUnavailable(): string | undefined {
  return fs.existsSync(ENRICHER_MAIN) ? undefined : `${path.relative(process.cwd(), ENRICHER_MAIN)} is missing (not built yet?)`;
}

/**
 * What every benchmark run of the service sets beyond the addresses: export
 * uncompressed, as the passthrough forwards (the default gzip would compare
 * compressing with not compressing), and no OTLP/HTTP listener (its default
 * port 4318 is fixed and not under test).
 */
export const BENCH_ENRICHER_ENV: Readonly<Record<string, string>> = Object.freeze({
  ENRICHER_EXPORT_COMPRESSION: 'none',
  ENRICHER_OTLP_HTTP_ADDRESS: 'off',
});

/** How one enricher variant differs from the service's defaults. */
export interface EnricherVariantOptions {
  /** Label in the report. Default `enricher`. */
  name?: string;
  /** More documented environment (e.g. ENRICHER_WORKERS); wins over the harness's own. */
  env?: Readonly<Record<string, string>>;
  /** Flags for node itself, e.g. `--cpu-prof`; after the service's own (SERVICE_NODE_FLAGS), so they win. */
  nodeArgs?: readonly string[];
  /** Core to pin the service to; `all` leaves it free to use every core. Default SUBJECT_CORE. */
  core?: number | 'all';
  /** HTTP/2 receive window of the sink it is measured with, bytes. Default grpc-js's 64 KiB. */
  sinkWindowBytes?: number;
}

/**
 * The service itself, `node dist/src/cli/main.js serve`, configured only
 * through its documented environment: OTLP in on a free port, out to the
 * sink, Genesys through the simulator's URL and credentials.
 */
export function enricherVariant(simulator: RunningSimulator, options: EnricherVariantOptions = {}): Variant {
  return {
    name: options.name ?? 'enricher',
    sinkWindowBytes: options.sinkWindowBytes,
    async start(sink: SinkEndpoint, logFile: string): Promise<Subject> {
      const [grpcPort, adminPort] = [await freePort(), await freePort()];
      const env = {
        ...cleanEnv(),
        ENRICHER_OTLP_GRPC_ADDRESS: `127.0.0.1:${grpcPort}`,
        ENRICHER_EXPORT_OTLP_ENDPOINT: `http://127.0.0.1:${sink.port}`,
        ENRICHER_ADMIN_ADDRESS: `127.0.0.1:${adminPort}`,
        GENESYS_API_URL: simulator.url,
        GENESYS_CLIENT_ID: simulator.clientId,
        GENESYS_CLIENT_SECRET: simulator.clientSecret,
        ...BENCH_ENRICHER_ENV,
        ...options.env,
      };
      const argv = [process.execPath, ...SERVICE_NODE_FLAGS, ...(options.nodeArgs ?? []), ENRICHER_MAIN, 'serve'];
      const core = options.core ?? SUBJECT_CORE;
      const child = new Child({ name: options.name ?? 'enricher', argv: core === 'all' ? onAllCores(argv) : pinned(core, argv), env, logFile, ipc: false });
      await untilStatus(child, `http://127.0.0.1:${adminPort}/healthz`, 30_000);
      // With workers, /healthz answers as soon as the first one listens; the primary says when all do.
      if (Number(options.env?.ENRICHER_WORKERS ?? 1) > 1) await untilLogged(child, logFile, 'genesys-otel-enricher workers started', 30_000);
      return { pid: child.pid, address: `127.0.0.1:${grpcPort}`, child, adminUrl: `http://127.0.0.1:${adminPort}` };
    },
  };
}

/** Polls GET url until it answers 200; fails early, with the log, if the child exits. */
export async function untilStatus(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!child.running) throw child.failure('exited during start-up');
    if ((await statusOf(url)) === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw child.failure(`did not answer 200 at ${url} within ${timeoutMs} ms`);
}

/** Waits until `logFile` contains `text`; fails early, with the log, if the child exits. */
async function untilLogged(child: Child, logFile: string, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!child.running) throw child.failure('exited during start-up');
    if (fs.readFileSync(logFile, 'utf8').includes(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw child.failure(`did not log "${text}" within ${timeoutMs} ms`);
}

/** GET url's status code, or 0 when nothing answers within a second. */
export function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}
